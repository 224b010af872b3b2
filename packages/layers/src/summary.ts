import { noGrad, tidy, zeros, type Tensor } from '@scratchnet/core';
import type { Module } from './module.js';

interface Row {
  name: string;
  kind: string;
  output: string;
  params: number;
}

function ownParamCount(m: Module): number {
  const childParams = m.children().reduce((n, c) => n + c.parameterCount(), 0);
  return m.parameterCount() - childParams;
}

/**
 * A table of the module's layers (dotted name, class, output shape, parameters) and the totals.
 * With `inputShape`, one forward pass on zeros (no gradients, evaluation mode) records each
 * layer's output shape.
 */
export function summarize(model: Module, inputShape?: readonly number[]): string {
  const named: [string, Module][] = [];
  const walk = (prefix: string, m: Module): void => {
    for (const [n, c] of m.namedChildren()) {
      const path = prefix ? `${prefix}.${n}` : n;
      named.push([path, c]);
      walk(path, c);
    }
  };
  walk('', model);
  const shapes = new Map<Module, string>();
  if (inputShape) {
    const wasTraining = model.training;
    const originals = named.map(([, m]) => [m, m.forward.bind(m)] as const);
    for (const [m, fwd] of originals) {
      m.forward = (x: Tensor): Tensor => {
        const y = fwd(x);
        shapes.set(m, `[${y.shape.join(', ')}]`);
        return y;
      };
    }
    try {
      model.eval();
      noGrad(() => tidy(() => void model.forward(zeros(inputShape))));
    } finally {
      for (const [m] of originals) delete (m as { forward?: unknown }).forward;
      model.train(wasTraining);
    }
  }
  const rows: Row[] = named.map(([name, m]) => ({ name, kind: m.className, output: shapes.get(m) ?? '?', params: ownParamCount(m) }));
  const head: Row = { name: 'layer', kind: 'type', output: 'output shape', params: -1 };
  const w = {
    name: Math.max(...[head, ...rows].map((r) => r.name.length)),
    kind: Math.max(...[head, ...rows].map((r) => r.kind.length)),
    output: Math.max(...[head, ...rows].map((r) => r.output.length)),
  };
  const line = (r: Row): string =>
    `${r.name.padEnd(w.name)}  ${r.kind.padEnd(w.kind)}  ${r.output.padEnd(w.output)}  ${r.params < 0 ? 'params' : r.params.toLocaleString('en-US')}`;
  const rule = '─'.repeat(line(head).length + 4);
  const total = model.parameterCount();
  const buffers = model.namedBuffers().reduce((n, [, b]) => n + b.size, 0);
  return [
    `${model.className}`, rule, line(head), rule, ...rows.map(line), rule,
    `trainable parameters: ${total.toLocaleString('en-US')}${buffers ? `   buffers: ${buffers.toLocaleString('en-US')}` : ''}`,
  ].join('\n');
}

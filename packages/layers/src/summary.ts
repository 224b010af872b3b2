import { Tensor, noGrad, tidy, zeros } from '@scratchnet/core';
import type { AnyModule } from './module.js';

interface Row {
  name: string;
  kind: string;
  output: string;
  params: number;
}

function ownParamCount(m: AnyModule): number {
  const childParams = m.children().reduce((n, c) => n + c.parameterCount(), 0);
  return m.parameterCount() - childParams;
}

/**
 * A table of the module's layers (dotted name, class, output shape, parameters) and the totals.
 * With `inputShape`, one forward pass on zeros (no gradients, evaluation mode) records each
 * layer's output shape.
 */
export function summarize(model: AnyModule, inputShape?: readonly number[]): string {
  const named: [string, AnyModule][] = [];
  const walk = (prefix: string, m: AnyModule): void => {
    for (const [n, c] of m.namedChildren()) {
      const path = prefix ? `${prefix}.${n}` : n;
      named.push([path, c]);
      walk(path, c);
    }
  };
  walk('', model);
  const shapes = new Map<AnyModule, string>();
  if (inputShape) {
    const wasTraining = model.training;
    const originals = named.map(([, m]) => [m, m.forward.bind(m)] as const);
    for (const [m, fwd] of originals) {
      m.forward = (...inputs: unknown[]): unknown => {
        const y: unknown = fwd(...inputs);
        // Modules that return a tuple (attention: [output, weights]) show their first output.
        const first: unknown = Array.isArray(y) ? y[0] : y;
        if (first instanceof Tensor) shapes.set(m, `[${first.shape.join(', ')}]`);
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

/**
 * RNN, LSTM, GRU and their cells on every backend: forward values against float64 loops written from
 * PyTorch's equations (test/recurrent-ref.ts), gradients of the input, every parameter and the
 * initial states against central differences of that reference.
 */
import {
  add, dispose, memory, mul, randomNormal, setBackend, sum, tidy, variable, variableGrads, type Tensor, type Variable,
} from '@scratchnet/core';
import { numericGradient, reference } from '@scratchnet/core/testing';
import { describe, expect, it } from 'vitest';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '../src/index.js';
import type { AnyModule } from '../src/module.js';
import { testBackends } from './backends.js';
import { worstError } from './gradcheck.js';
import { refCellStep, refRecurrent, type RefMode } from './recurrent-ref.js';
import type { NDArray } from './ref-types.js';

/** A Variable of seeded normal values (the temporary tensor freed). */
function randomVariable(shape: number[], seed: number): Variable {
  const t = randomNormal(shape, { seed });
  const v = variable(t);
  t.dispose();
  return v;
}

async function toNd(t: Tensor): Promise<NDArray> {
  return reference.nd(t.shape, await t.data());
}

/** One configuration to check: the layer, its input shape, whether initial states are passed, lengths. */
interface RecurrentCase {
  name: string;
  mode: RefMode;
  make: () => RNN | LSTM | GRU;
  input: number[];
  withState: boolean;
  lengths?: number[];
}

const cases: RecurrentCase[] = [
  { name: 'RNN tanh, one layer, with h0', mode: 'tanh', make: () => new RNN(3, 4, { seed: 1 }), input: [4, 3, 3], withState: true },
  {
    name: 'RNN relu, 2 layers, bidirectional, batchFirst, no bias', mode: 'relu', input: [2, 3, 3], withState: false,
    make: () => new RNN(3, 4, { seed: 2, nonlinearity: 'relu', numLayers: 2, bidirectional: true, batchFirst: true, bias: false }),
  },
  { name: 'LSTM, 2 layers, bidirectional, with [h0, c0]', mode: 'lstm', make: () => new LSTM(3, 4, { seed: 3, numLayers: 2, bidirectional: true }), input: [3, 2, 3], withState: true },
  {
    name: 'LSTM, bidirectional, batchFirst, lengths [4, 2, 3]', mode: 'lstm', input: [3, 4, 2], withState: true, lengths: [4, 2, 3],
    make: () => new LSTM(2, 3, { seed: 4, bidirectional: true, batchFirst: true }),
  },
  { name: 'GRU, 2 layers, with h0', mode: 'gru', make: () => new GRU(3, 4, { seed: 5, numLayers: 2 }), input: [3, 2, 3], withState: true },
  {
    name: 'GRU, 2 layers, bidirectional, lengths [1, 3]', mode: 'gru', input: [3, 2, 2], withState: false, lengths: [1, 3],
    make: () => new GRU(2, 3, { seed: 6, numLayers: 2, bidirectional: true }),
  },
  { name: 'GRU unbatched [T, inputSize] with h0 [layers, hidden]', mode: 'gru', make: () => new GRU(3, 2, { seed: 7 }), input: [4, 3], withState: true },
];

/** The layer's forward as a flat list [output, hN, (cN)]. */
function runLayer(layer: RNN | LSTM | GRU, x: Tensor, states: Tensor[], lengths?: number[]): Tensor[] {
  const opts = lengths ? { lengths } : {};
  if (layer instanceof LSTM) {
    const [y, [h, c]] = layer.forward(x, states.length ? [states[0]!, states[1]!] : null, opts);
    return [y, h, c];
  }
  const [y, h] = layer.forward(x, states[0] ?? null, opts);
  return [y, h];
}

function stateShape(layer: RNN | LSTM | GRU, input: number[]): number[] {
  const count = layer.numLayers * layer.numDirections;
  if (input.length === 2) return [count, layer.hiddenSize];
  return [count, layer.batchFirst ? input[0]! : input[1]!, layer.hiddenSize];
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  const e = worstError(got, want, rtol, atol);
  expect(e.ratio, `${what} worst at ${e.index}: got ${got[e.index]}, want ${want[e.index]}`).toBeLessThanOrEqual(1);
}

/** Forward against the reference, then gradients of every watched tensor against central differences. */
async function checkAgainstReference(
  layer: AnyModule, watched: Variable[], forward: () => Tensor[], ref: (...xs: NDArray[]) => NDArray[], seed: number,
): Promise<void> {
  const nds = await Promise.all(watched.map(toNd));
  const want = ref(...nds);
  const got = tidy(() => forward());
  expect(got.map((t) => t.shape)).toEqual(want.map((w) => [...w.shape]));
  for (let i = 0; i < got.length; i++) expectClose(await got[i]!.data(), want[i]!.data, 1e-4, 1e-5, `forward output ${i}`);
  const cots = want.map((w, i) => randomNormal(w.shape, { seed: seed + i }));
  const cotNds = await Promise.all(cots.map(toNd));
  const { value, grads } = variableGrads(() => forward().reduce((s, y, i) => add(s, sum(mul(y, cots[i]!))), sum(mul(cots[0]!, 0))), watched);
  const names = new Map(layer.namedParameters().map(([n, v]) => [v, n]));
  for (let i = 0; i < watched.length; i++) {
    const g = await grads.get(watched[i]!)!.data();
    const num = numericGradient((...xs) => ref(...xs), nds, cotNds, i);
    const scale = Math.max(1, ...Array.from(num.data, Math.abs));
    expectClose(g, num.data, 2e-3, 2e-4 * scale, `gradient of ${names.get(watched[i]!) ?? (i === 0 ? 'the input' : `state ${i}`)}`);
  }
  dispose([got, value, grads, cots]);
}

for (const backend of testBackends()) {
  describe(`recurrent layers on backend '${backend}'`, () => {
    cases.forEach((c, k) => {
      it(`${c.name}: forward matches the float64 reference, gradients match central differences`, async () => {
        await setBackend(backend);
        const before = memory().numTensors;
        const layer = c.make();
        const x = randomVariable(c.input, 300 + k);
        const stateCount = c.withState ? (c.mode === 'lstm' ? 2 : 1) : 0;
        const states = Array.from({ length: stateCount }, (_, i) => randomVariable(stateShape(layer, c.input), 400 + 10 * k + i));
        const params = layer.namedParameters();
        const spec = {
          mode: c.mode, inputSize: layer.inputSize, hiddenSize: layer.hiddenSize, numLayers: layer.numLayers, bidirectional: layer.bidirectional,
          batchFirst: layer.batchFirst, paramNames: params.map(([n]) => n),
        };
        await checkAgainstReference(
          layer, [x, ...params.map(([, v]) => v), ...states], () => runLayer(layer, x, states, c.lengths),
          (xn, ...rest) => refRecurrent(spec, xn, rest, c.withState, c.lengths), 500 + 10 * k,
        );
        dispose([x, states]);
        layer.dispose();
        expect(memory().numTensors).toBe(before);
      });
    });

    const cellCases: { name: string; mode: RefMode; make: () => RNNCell | LSTMCell | GRUCell }[] = [
      { name: 'RNNCell relu', mode: 'relu', make: () => new RNNCell(3, 4, { nonlinearity: 'relu', seed: 11 }) },
      { name: 'LSTMCell', mode: 'lstm', make: () => new LSTMCell(3, 4, { seed: 12 }) },
      { name: 'GRUCell without bias', mode: 'gru', make: () => new GRUCell(3, 4, { seed: 13, bias: false }) },
    ];
    cellCases.forEach((c, k) => {
      it(`${c.name}: one step matches the float64 reference, gradients match central differences`, async () => {
        await setBackend(backend);
        const before = memory().numTensors;
        const cell = c.make();
        const B = 3;
        const x = randomVariable([B, 3], 600 + k);
        const states = Array.from({ length: c.mode === 'lstm' ? 2 : 1 }, (_, i) => randomVariable([B, 4], 700 + 10 * k + i));
        const params = cell.namedParameters();
        const forward = (): Tensor[] => {
          if (cell instanceof LSTMCell) return cell.forward(x, [states[0]!, states[1]!]);
          return [cell.forward(x, states[0])];
        };
        const ref = (xn: NDArray, ...rest: NDArray[]): NDArray[] => {
          const p = new Map(params.map(([n], i) => [n, rest[i]!]));
          const [h0, c0] = rest.slice(params.length);
          const hs = new Float64Array(B * 4);
          const cs = new Float64Array(B * 4);
          for (let b = 0; b < B; b++) {
            const next = refCellStep(
              c.mode, xn.data.subarray(b * 3, b * 3 + 3), h0!.data.slice(b * 4, b * 4 + 4), c0 ? c0.data.slice(b * 4, b * 4 + 4) : null, 4,
              { wih: p.get('weight_ih')!, whh: p.get('weight_hh')!, bih: p.get('bias_ih'), bhh: p.get('bias_hh') },
            );
            hs.set(next.h, b * 4);
            if (next.c) cs.set(next.c, b * 4);
          }
          return c0 ? [reference.nd([B, 4], hs), reference.nd([B, 4], cs)] : [reference.nd([B, 4], hs)];
        };
        await checkAgainstReference(cell, [x, ...params.map(([, v]) => v), ...states], forward, ref, 800 + 10 * k);
        dispose([x, states]);
        cell.dispose();
        expect(memory().numTensors).toBe(before);
      });
    });
  });
}

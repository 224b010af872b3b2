/**
 * Cross entropy over sequences and images, as PyTorch accepts it: logits [N, C, T] (or
 * [N, C, d1, d2]) with int32 targets [N, T] ([N, d1, d2]), `ignoreIndex` positions contributing to
 * neither the loss nor the mean's denominator, label smoothing and class weights — values against a
 * float64 loop and gradients against central differences, on every backend.
 */
import { dispose, randomNormal, setBackend, tensor, valueAndGrad, mul, sum, type Tensor } from '@scratchnet/core';
import { numericGradient, reference } from '@scratchnet/core/testing';
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss, NLLLoss, crossEntropy, type CrossEntropyLossOptions, type Reduction } from '../src/index.js';
import { testBackends } from './backends.js';
import { worstError } from './gradcheck.js';
import type { NDArray } from './ref-types.js';

interface RefOptions {
  reduction: Reduction;
  ignoreIndex: number;
  labelSmoothing: number;
  weight?: readonly number[];
}

/**
 * PyTorch's cross entropy for class indices, from its definition: at each position p of
 * [N, d1, ...], ℓ = (1 − ε)·(−w[y]·log softmax(x)[y]) + ε/C·Σ_c −w[c]·log softmax(x)[c], zero where
 * y = ignoreIndex; 'mean' divides by Σ w[y] over the positions not ignored.
 */
function refSequenceCE(x: NDArray, target: readonly number[], o: RefOptions): NDArray {
  const [N, C] = x.shape as [number, number];
  const inner = x.shape.slice(2).reduce((p, d) => p * d, 1);
  const w = o.weight ?? Array<number>(C).fill(1);
  const per = new Float64Array(N * inner);
  let denom = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < inner; s++) {
      const y = target[n * inner + s]!;
      if (y === o.ignoreIndex) continue;
      const logits = Array.from({ length: C }, (_, c) => x.data[(n * C + c) * inner + s]!);
      const m = Math.max(...logits);
      const lse = m + Math.log(logits.reduce((a, v) => a + Math.exp(v - m), 0));
      const smooth = logits.reduce((a, v, c) => a - w[c]! * (v - lse), 0);
      per[n * inner + s] = (1 - o.labelSmoothing) * -w[y]! * (logits[y]! - lse) + (o.labelSmoothing / C) * smooth;
      denom += w[y]!;
    }
  }
  if (o.reduction === 'none') return reference.nd([N, ...x.shape.slice(2)], per);
  const total = per.reduce((a, v) => a + v, 0);
  return reference.nd([], [o.reduction === 'sum' ? total : total / denom]);
}

/** Targets in [0, C) with every `every`-th position set to the ignored index. */
function targetsWithIgnored(count: number, C: number, ignoreIndex: number, every: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: count }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return i % every === every - 1 ? ignoreIndex : s % C;
  });
}

const cases: { name: string; shape: number[]; options: CrossEntropyLossOptions & RefOptions }[] = [
  { name: '[N, C, T] mean, ignoreIndex −100', shape: [3, 5, 4], options: { reduction: 'mean', ignoreIndex: -100, labelSmoothing: 0 } },
  { name: '[N, C, T] sum, ignoreIndex 0 (a real class)', shape: [2, 4, 6], options: { reduction: 'sum', ignoreIndex: 0, labelSmoothing: 0 } },
  { name: '[N, C, T] none, label smoothing 0.1', shape: [2, 5, 3], options: { reduction: 'none', ignoreIndex: -100, labelSmoothing: 0.1 } },
  {
    name: '[N, C, d1, d2] mean with weights and smoothing', shape: [2, 3, 3, 2],
    options: { reduction: 'mean', ignoreIndex: -1, labelSmoothing: 0.2, weight: [0.5, 2, 1] },
  },
];

for (const backend of testBackends()) {
  describe(`CrossEntropyLoss over sequences on backend '${backend}'`, () => {
    cases.forEach((c, k) => {
      it(`${c.name}: value matches the float64 loop, gradient matches central differences`, async () => {
        await setBackend(backend);
        const [N, C] = c.shape as [number, number];
        const count = N * c.shape.slice(2).reduce((p, d) => p * d, 1);
        const targets = targetsWithIgnored(count, C, c.options.ignoreIndex, 3, 17 + k);
        const targetShape = [N, ...c.shape.slice(2)];
        const x = randomNormal(c.shape, { seed: 40 + k, std: 2 });
        const t = tensor(targets, targetShape, 'int32');
        const loss = new CrossEntropyLoss(c.options);
        const xNd = reference.nd(c.shape, await x.data());
        const want = refSequenceCE(xNd, targets, c.options);
        const cot = randomNormal(want.shape, { seed: 60 + k });
        const cotNd = reference.nd(want.shape, await cot.data());
        const { value, grads } = valueAndGrad((xi: Tensor) => sum(mul(loss.forward(xi, t), cot)))(x);
        const out = loss.forward(x, t);
        expect(out.shape).toEqual([...want.shape]);
        const got = await out.data();
        const fwd = worstError(got, want.data, 1e-5, 1e-6);
        expect(fwd.ratio, `loss worst at ${fwd.index}: got ${got[fwd.index]}, want ${want.data[fwd.index]}`).toBeLessThanOrEqual(1);
        const num = numericGradient((xi) => refSequenceCE(xi, targets, c.options), [xNd], [cotNd], 0);
        const g = await grads[0]!.data();
        const e = worstError(g, num.data, 2e-3, 2e-5);
        expect(e.ratio, `gradient worst at ${e.index}: got ${g[e.index]}, want ${num.data[e.index]}`).toBeLessThanOrEqual(1);
        // Ignored positions get no gradient at all.
        const inner = count / N;
        targets.forEach((y, p) => {
          if (y !== c.options.ignoreIndex) return;
          const n = Math.floor(p / inner);
          for (let cls = 0; cls < C; cls++) expect(g[(n * C + cls) * inner + (p % inner)]).toBe(0);
        });
        dispose([x, t, cot, value, grads, out]);
      });
    });
  });
}

describe('sequence losses: behaviour', () => {
  it('the ignored positions leave the mean of the others unchanged (denominator counts only real targets)', async () => {
    const x = randomNormal([2, 4, 5], { seed: 1 });
    const full = [1, 2, 3, 0, 1, 2, 2, 3, 1, 0];
    const masked = full.map((v, i) => (i % 5 >= 3 ? -100 : v));
    const kept = [0, 1, 2, 5, 6, 7];
    const perPosition = await new CrossEntropyLoss({ reduction: 'none' }).forward(x, tensor(full, [2, 5], 'int32')).data();
    const mean = (await new CrossEntropyLoss().forward(x, tensor(masked, [2, 5], 'int32')).data())[0]!;
    expect(mean).toBeCloseTo(kept.reduce((s, i) => s + perPosition[i]!, 0) / kept.length, 5);
    x.dispose();
  });

  it('every target ignored: the mean is NaN (0/0) as in PyTorch, the sum is 0', async () => {
    const x = randomNormal([1, 3, 2], { seed: 2 });
    const t = tensor([-100, -100], [1, 2], 'int32');
    expect(Number.isNaN((await new CrossEntropyLoss().forward(x, t).data())[0])).toBe(true);
    expect(Math.abs((await new CrossEntropyLoss({ reduction: 'sum' }).forward(x, t).data())[0]!)).toBe(0);
    dispose([x, t]);
  });

  it('crossEntropy(input, target, options) is the functional form of CrossEntropyLoss, NLLLoss agrees on log-probabilities', async () => {
    const x = randomNormal([2, 4, 3], { seed: 3 });
    const t = tensor([0, 3, -100, 2, 1, 1], [2, 3], 'int32');
    const a = await crossEntropy(x, t, { labelSmoothing: 0.05 }).data();
    const b = await new CrossEntropyLoss({ labelSmoothing: 0.05 }).forward(x, t).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    const logp = x.logSoftmax(1);
    const nll = await new NLLLoss().forward(logp, t).data();
    expect(nll[0]).toBeCloseTo((await crossEntropy(x, t).data())[0]!, 5);
    dispose([x, t, logp]);
  });
});

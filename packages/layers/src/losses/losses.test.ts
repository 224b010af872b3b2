import '@scratchnet/backend-js';
import {
  ArgumentError, DTypeError, ShapeError, add, dispose, getBackend, listBackends, memory, registerBackend, removeBackend, setBackend,
  tensor, tidy, valueAndGrad, mul, sum, type Tensor,
} from '@scratchnet/core';
import { SuiteRng } from '@scratchnet/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss, type Reduction } from './index.js';

// ---------- float64 references, written from PyTorch's definitions ----------

/** Deterministic test data (the conformance suite's mulberry32), rounded to float32 so both sides see the same inputs. */
function rng(seed: number): () => number {
  const gen = new SuiteRng(seed);
  return () => gen.next();
}
function randn(n: number, seed: number, scale = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.fround((r() * 2 - 1) * scale));
}
function randInts(n: number, hi: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.floor(r() * hi));
}

function refLogSoftmax(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

function reduceRef(values: number[], reduction: Reduction, denom = values.length): number | number[] {
  if (reduction === 'none') return values;
  const s = values.reduce((a, b) => a + b, 0);
  return reduction === 'sum' ? s : s / denom;
}

interface RefCEOptions {
  reduction: Reduction;
  labelSmoothing?: number;
  weight?: number[];
  ignoreIndex?: number;
  logProbs?: boolean; // NLLLoss: rows are already log-probabilities
}

/** Cross entropy of rows [N][C] against class indices or probability rows, as torch defines it. */
function refCE(rows: number[][], target: number[] | number[][], o: RefCEOptions): number | number[] {
  const C = rows[0]!.length;
  const eps = o.labelSmoothing ?? 0;
  const w = o.weight ?? Array<number>(C).fill(1);
  const ignore = o.ignoreIndex ?? -100;
  const losses: number[] = [];
  let denom = 0;
  rows.forEach((row, i) => {
    const lp = o.logProbs ? row : refLogSoftmax(row);
    const t = target[i]!;
    if (typeof t === 'number') {
      if (t === ignore) {
        losses.push(0);
        return;
      }
      const nll = -w[t]! * lp[t]!;
      const smooth = -lp.reduce((s, v, c) => s + w[c]! * v, 0);
      losses.push((1 - eps) * nll + (eps / C) * smooth);
      denom += w[t]!;
    } else {
      const p = t.map((v) => v * (1 - eps) + eps / C);
      losses.push(-lp.reduce((s, v, c) => s + v * p[c]! * w[c]!, 0));
      denom += 1;
    }
  });
  return reduceRef(losses, o.reduction, denom);
}

function refMSE(p: number[], t: number[], reduction: Reduction): number | number[] {
  return reduceRef(p.map((v, i) => (v - t[i]!) ** 2), reduction);
}

function refBCE(x: number[], y: number[], reduction: Reduction, posWeight?: (i: number) => number): number | number[] {
  // Written from the definition −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], with stable log σ.
  const logSigmoid = (v: number): number => (v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v)));
  return reduceRef(x.map((v, i) => -((posWeight?.(i) ?? 1) * y[i]! * logSigmoid(v) + (1 - y[i]!) * logSigmoid(-v))), reduction);
}

function toRows(flat: readonly number[], n: number, c: number): number[][] {
  return Array.from({ length: n }, (_, i) => flat.slice(i * c, (i + 1) * c));
}

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function expectClose(actual: readonly number[], expected: readonly number[], rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)})`);
    }
  });
}

const flat = (v: number | number[]): number[] => (typeof v === 'number' ? [v] : v);

/**
 * Checks d(Σ r·loss)/d(prediction) from core's autodiff against central differences of the float64
 * reference (r: fixed random cotangent, so 'none' is checked element by element).
 */
async function gradCheck(
  predFlat: number[], shape: number[], lossFn: (p: Tensor) => Tensor, ref: (p: number[]) => number | number[], tol = 2e-3,
): Promise<void> {
  const outLen = flat(ref(predFlat)).length;
  const r = randn(outLen, 99).map((v) => v + 1.5);
  const f64 = (p: number[]): number => flat(ref(p)).reduce((s, v, i) => s + v * r[i]!, 0);
  const h = 1e-5;
  const numeric = predFlat.map((_, i) => {
    const up = predFlat.slice();
    const down = predFlat.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f64(up) - f64(down)) / (2 * h);
  });
  const x = tensor(predFlat, shape, 'float32');
  const rT = tensor(r, outLen === 1 ? [] : undefined, 'float32');
  const { value, grads } = valueAndGrad((p) => sum(mul(lossFn(p), outLen === 1 ? rT : tensorLike(rT, p, lossFn))))(x);
  const g = await read(grads[0]!);
  const scale = Math.max(1, ...numeric.map(Math.abs));
  g.forEach((gi, i) => {
    if (Math.abs(gi - numeric[i]!) > tol * scale) throw new Error(`gradient ${i}: autodiff ${gi}, central difference ${numeric[i]}`);
  });
  value.dispose();
  grads[0]!.dispose();
  x.dispose();
  rT.dispose();
}

/** Reshapes the flat cotangent to the loss output's shape (for reduction 'none'). */
function tensorLike(r: Tensor, p: Tensor, lossFn: (p: Tensor) => Tensor): Tensor {
  const shape = tidy(() => lossFn(p).shape);
  return r.reshape(shape);
}

/** Runs `fn` and reads its result: a synchronous throw and a failed read both reject. */
async function forwardAndRead(fn: () => Tensor): Promise<unknown> {
  const out = fn();
  try {
    return await out.data();
  } finally {
    out.dispose();
  }
}

// ---------- tests ----------

for (const backend of listBackends()) {
  describe(`losses on '${backend}'`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });
    const reductions: Reduction[] = ['mean', 'sum', 'none'];
    const N = 5;
    const C = 4;
    const logits = randn(N * C, 1, 3);
    const labels = randInts(N, C, 2);
    const soft = toRows(randn(N * C, 3).map((v) => Math.abs(v) + 0.05), N, C).map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      return row.map((v) => Math.fround(v / s));
    });

    describe('CrossEntropyLoss', () => {
      for (const reduction of reductions) {
        it(`class indices, reduction '${reduction}'`, async () => {
          const out = new CrossEntropyLoss({ reduction }).forward(tensor(logits, [N, C]), tensor(labels, [N], 'int32'));
          expect(out.shape).toEqual(reduction === 'none' ? [N] : []);
          expectClose(await read(out), flat(refCE(toRows(logits, N, C), labels, { reduction })));
        });

        it(`soft targets, reduction '${reduction}'`, async () => {
          const out = new CrossEntropyLoss({ reduction }).forward(tensor(logits, [N, C]), tensor(soft.flat(), [N, C]));
          expectClose(await read(out), flat(refCE(toRows(logits, N, C), soft, { reduction })));
        });

        it(`label smoothing 0.2 with indices and with soft targets, reduction '${reduction}'`, async () => {
          const loss = new CrossEntropyLoss({ reduction, labelSmoothing: 0.2 });
          const a = loss.forward(tensor(logits, [N, C]), tensor(labels, [N], 'int32'));
          expectClose(await read(a), flat(refCE(toRows(logits, N, C), labels, { reduction, labelSmoothing: 0.2 })));
          const b = loss.forward(tensor(logits, [N, C]), tensor(soft.flat(), [N, C]));
          expectClose(await read(b), flat(refCE(toRows(logits, N, C), soft, { reduction, labelSmoothing: 0.2 })));
        });

        it(`class weights, ignoreIndex and label smoothing together, reduction '${reduction}'`, async () => {
          const weight = [0.5, 2, 1, 3];
          const t = labels.slice();
          t[1] = -100;
          t[3] = -100;
          const loss = new CrossEntropyLoss({ reduction, weight, labelSmoothing: 0.1 });
          const out = loss.forward(tensor(logits, [N, C]), tensor(t, [N], 'int32'));
          expectClose(await read(out), flat(refCE(toRows(logits, N, C), t, { reduction, weight, labelSmoothing: 0.1 })));
        });
      }

      it('one-hot float targets give the same loss as class indices', async () => {
        const oneHot = labels.flatMap((l) => Array.from({ length: C }, (_, c) => (c === l ? 1 : 0)));
        const loss = new CrossEntropyLoss({ reduction: 'none', labelSmoothing: 0.3 });
        const a = await read(loss.forward(tensor(logits, [N, C]), tensor(oneHot, [N, C])));
        const b = await read(loss.forward(tensor(logits, [N, C]), tensor(labels, [N], 'int32')));
        expectClose(a, b);
      });

      it('logits of magnitude 1e4 stay finite and correct', async () => {
        const big = [1e4, -1e4, 5e3, 0, -3e3, 1e4 - 2, 9999, -1e4, 1e4, 1e4, 1e4, -1e4];
        const t = [1, 0, 3];
        const loss = new CrossEntropyLoss({ reduction: 'none', labelSmoothing: 0.1 });
        const out = await read(loss.forward(tensor(big, [3, 4]), tensor(t, [3], 'int32')));
        expect(out.every(Number.isFinite)).toBe(true);
        expectClose(out, flat(refCE(toRows(big, 3, 4), t, { reduction: 'none', labelSmoothing: 0.1 })), 1e-5, 1e-3);
        const { grads } = valueAndGrad((x) => loss.forward(x, tensor(t, [3], 'int32')))(tensor(big, [3, 4]));
        expect((await read(grads[0]!)).every(Number.isFinite)).toBe(true);
      });

      it('[N, C, L] inputs with [N, L] class indices and [N, C, L] probabilities', async () => {
        const L = 3;
        const x = randn(2 * C * L, 7, 2); // [2, C, L]
        const t = randInts(2 * L, C, 8);
        const rowsOf = (v: number[]): number[][] => {
          const rows: number[][] = [];
          for (let n = 0; n < 2; n++) for (let l = 0; l < L; l++) rows.push(Array.from({ length: C }, (_, c) => v[(n * C + c) * L + l]!));
          return rows;
        };
        const out = new CrossEntropyLoss({ reduction: 'none' }).forward(tensor(x, [2, C, L]), tensor(t, [2, L], 'int32'));
        expect(out.shape).toEqual([2, L]);
        expectClose(await read(out), flat(refCE(rowsOf(x), t, { reduction: 'none' })));
        const p = randn(2 * C * L, 9).map((v) => Math.abs(v));
        const outP = new CrossEntropyLoss({ reduction: 'mean', labelSmoothing: 0.1 }).forward(tensor(x, [2, C, L]), tensor(p, [2, C, L]));
        expectClose(await read(outP), flat(refCE(rowsOf(x), rowsOf(p), { reduction: 'mean', labelSmoothing: 0.1 })));
      });

      it('unbatched [C] input with a scalar class index', async () => {
        const row = logits.slice(0, C);
        const out = new CrossEntropyLoss({ reduction: 'none' }).forward(tensor(row, [C]), tensor(2, [], 'int32'));
        expect(out.shape).toEqual([]);
        expectClose(await read(out), flat(refCE([row], [2], { reduction: 'none' })));
      });

      it('gradient w.r.t. logits matches central differences (indices, weights, smoothing, each reduction)', async () => {
        for (const reduction of reductions) {
          const loss = new CrossEntropyLoss({ reduction, labelSmoothing: 0.15, weight: [1, 0.5, 2, 1.5] });
          const t = tensor(labels, [N], 'int32');
          await gradCheck(logits, [N, C], (p) => loss.forward(p, t), (p) => refCE(toRows(p, N, C), labels, { reduction, labelSmoothing: 0.15, weight: [1, 0.5, 2, 1.5] }));
        }
      });

      it('gradient w.r.t. logits matches central differences (soft targets)', async () => {
        const loss = new CrossEntropyLoss({ labelSmoothing: 0.05 });
        const t = tensor(soft.flat(), [N, C]);
        await gradCheck(logits, [N, C], (p) => loss.forward(p, t), (p) => refCE(toRows(p, N, C), soft, { reduction: 'mean', labelSmoothing: 0.05 }));
      });

      it('errors name the loss, the argument and the shapes', async () => {
        const loss = new CrossEntropyLoss();
        const x = tensor(logits, [N, C]);
        expect(() => loss.forward(x, tensor([0, 1, 2], [3], 'int32'))).toThrow(ShapeError);
        expect(() => loss.forward(x, tensor([0, 1, 2], [3], 'int32'))).toThrow(/CrossEntropyLoss: target shape \[3\] \(int32\) does not match input shape \[5,4\]; expected class indices \[5\]/);
        expect(() => loss.forward(x, tensor(soft.flat().slice(0, 12), [3, 4]))).toThrow(/probabilities \[5,4\] \(float32\)/);
        // At once where the indices can be read synchronously, at the next read on an async-only backend.
        await expect(forwardAndRead(() => loss.forward(x, tensor([0, 1, 4, 2, 0], [5], 'int32')))).rejects.toThrow(/class index 4 at position 2 is out of range for 4 classes/);
        expect(() => loss.forward(x, tensor([true, false, true, true, false], [5], 'bool'))).toThrow(DTypeError);
        expect(() => loss.forward(tensor(labels, [N], 'int32'), tensor(labels, [N], 'int32'))).toThrow(/CrossEntropyLoss: input must have dtype float32, got int32/);
        expect(() => new CrossEntropyLoss({ labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be a number in \[0, 1\], got 1.5/);
        expect(() => new CrossEntropyLoss({ reduction: 'avg' as Reduction })).toThrow(ArgumentError);
        expect(() => new CrossEntropyLoss({ weight: [1, 2] }).forward(x, tensor(labels, [N], 'int32'))).toThrow(/weight has 2 values but input \[5,4\] has 4 classes/);
      });

      it('does not leak tensors and reports its config', () => {
        const x = tensor(logits, [N, C]);
        const t = tensor(labels, [N], 'int32');
        const loss = new CrossEntropyLoss({ labelSmoothing: 0.1, weight: [1, 1, 2, 1] });
        const before = memory().numTensors;
        tidy(() => {
          loss.forward(x, t);
        });
        expect(memory().numTensors).toBe(before);
        expect(loss.name).toBe('CrossEntropyLoss');
        expect(loss.toConfig()).toEqual({ className: 'CrossEntropyLoss', config: { reduction: 'mean', weight: [1, 1, 2, 1], ignoreIndex: -100, labelSmoothing: 0.1 } });
        x.dispose();
        t.dispose();
      });
    });

    describe('NLLLoss', () => {
      const logProbs = toRows(logits, N, C).flatMap(refLogSoftmax).map(Math.fround);
      for (const reduction of reductions) {
        it(`matches the reference with weights and an ignored target, reduction '${reduction}'`, async () => {
          const t = labels.slice();
          t[0] = 7;
          const out = new NLLLoss({ reduction, weight: [1, 2, 3, 4], ignoreIndex: 7 }).forward(tensor(logProbs, [N, C]), tensor(t, [N], 'int32'));
          expectClose(await read(out), flat(refCE(toRows(logProbs, N, C), t, { reduction, weight: [1, 2, 3, 4], ignoreIndex: 7, logProbs: true })));
        });
      }

      it('gradient w.r.t. the log-probabilities matches central differences', async () => {
        const loss = new NLLLoss({ reduction: 'none' });
        const t = tensor(labels, [N], 'int32');
        await gradCheck(logProbs, [N, C], (p) => loss.forward(p, t), (p) => refCE(toRows(p, N, C), labels, { reduction: 'none', logProbs: true }));
      });

      it('rejects float targets', () => {
        expect(() => new NLLLoss().forward(tensor(logProbs, [N, C]), tensor(soft.flat(), [N, C]))).toThrow(/NLLLoss: target must have dtype int32, got float32/);
      });
    });

    describe('MSELoss', () => {
      const p = randn(12, 11);
      const t = randn(12, 12);
      for (const reduction of reductions) {
        it(`matches the reference, reduction '${reduction}'`, async () => {
          const out = new MSELoss({ reduction }).forward(tensor(p, [3, 4]), tensor(t, [3, 4]));
          expect(out.shape).toEqual(reduction === 'none' ? [3, 4] : []);
          expectClose(await read(out), flat(refMSE(p, t, reduction)));
        });
      }
      it('gradient matches central differences', async () => {
        const target = tensor(t, [3, 4]);
        await gradCheck(p, [3, 4], (x) => new MSELoss().forward(x, target), (x) => refMSE(x, t, 'mean'));
      });
      it('rejects mismatched shapes', () => {
        expect(() => new MSELoss().forward(tensor(p, [3, 4]), tensor(t, [12]))).toThrow(/MSELoss: target shape \[12\] does not match prediction shape \[3,4\]/);
      });
    });

    describe('BCEWithLogitsLoss', () => {
      const x = [...randn(10, 21, 4), 0, 0];
      const y = [...randn(10, 22).map((v) => Math.fround(Math.abs(v))), 1, 0];
      for (const reduction of reductions) {
        it(`matches the reference, reduction '${reduction}'`, async () => {
          const out = new BCEWithLogitsLoss({ reduction }).forward(tensor(x, [3, 4]), tensor(y, [3, 4]));
          expectClose(await read(out), flat(refBCE(x, y, reduction)));
        });
        it(`posWeight per class, reduction '${reduction}'`, async () => {
          const pw = [0.5, 2, 3, 1];
          const out = new BCEWithLogitsLoss({ reduction, posWeight: pw }).forward(tensor(x, [3, 4]), tensor(y, [3, 4]));
          expectClose(await read(out), flat(refBCE(x, y, reduction, (i) => pw[i % 4]!)));
        });
      }
      it('logits of magnitude 1e4 stay finite and correct', async () => {
        const big = [1e4, -1e4, 1e4, -1e4];
        const out = await read(new BCEWithLogitsLoss({ reduction: 'none' }).forward(tensor(big, [4]), tensor([1, 0, 0, 1], [4])));
        expectClose(out, [0, 0, 1e4, 1e4]);
      });
      it('gradient matches central differences, including at x = 0, with posWeight', async () => {
        const target = tensor(y, [3, 4]);
        await gradCheck(x, [3, 4], (p) => new BCEWithLogitsLoss().forward(p, target), (p) => refBCE(p, y, 'mean'));
        const pw = [0.5, 2, 3, 1];
        await gradCheck(x, [3, 4], (p) => new BCEWithLogitsLoss({ reduction: 'none', posWeight: pw }).forward(p, target), (p) => refBCE(p, y, 'none', (i) => pw[i % 4]!));
      });
      it('errors and config', () => {
        expect(() => new BCEWithLogitsLoss().forward(tensor(x, [3, 4]), tensor(y, [4, 3]))).toThrow(ShapeError);
        expect(() => new BCEWithLogitsLoss({ posWeight: [1, 2, 3] }).forward(tensor(x, [3, 4]), tensor(y, [3, 4]))).toThrow(/posWeight of shape \[3\] does not broadcast to prediction shape \[3,4\]/);
        const cfg = new BCEWithLogitsLoss({ posWeight: [1, 2], reduction: 'sum' }).toConfig();
        expect(cfg).toEqual({ className: 'BCEWithLogitsLoss', config: { reduction: 'sum', posWeight: { values: [1, 2], shape: [2] } } });
        expect(new BCEWithLogitsLoss(cfg.config).toConfig()).toEqual(cfg);
      });
    });
  });
}

describe('class-index targets on a backend that cannot read synchronously', () => {
  it('an out-of-range target fails at the next read, with the message the synchronous check gives', async () => {
    await setBackend('js');
    const inner = getBackend();
    const name = 'js-async-only-losses';
    const asyncOnly = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'readSync' || prop === 'shutdown') return undefined;
        if (prop === 'name') return name;
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    registerBackend(name, () => asyncOnly, { priority: -100 });
    try {
      await setBackend(name);
      const x = tensor([0.1, 0.5, -0.3, 1.2, 0.0, -0.7], [2, 3]);
      const bad = tensor([0, 3], [2], 'int32'); // written from the host: checked at once
      const computed = add(tensor([0, 1], [2], 'int32'), tensor([0, 2], [2], 'int32')); // [0, 3] from a kernel: checked on arrival
      const good = tensor([2, 0], [2], 'int32');
      await expect(forwardAndRead(() => new CrossEntropyLoss().forward(x, bad))).rejects.toThrow(/CrossEntropyLoss: target class index 3 at position 1 is out of range for 3 classes/);
      await expect(forwardAndRead(() => new CrossEntropyLoss().forward(x, computed))).rejects.toThrow(/CrossEntropyLoss: target class index 3 at position 1 is out of range for 3 classes/);
      await expect(forwardAndRead(() => new NLLLoss().forward(x, computed))).rejects.toThrow(/NLLLoss: target class index 3 at position 1/);
      await expect(forwardAndRead(() => new CrossEntropyLoss().forward(x, good))).resolves.toHaveLength(1);
      dispose([x, bad, computed, good]);
    } finally {
      await setBackend('js');
      await removeBackend(name);
    }
  });
});

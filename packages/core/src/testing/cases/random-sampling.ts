/**
 * Cases of the sampling ops: distribution properties over large samples, permutation validity, seeded
 * reproducibility, and (where the device computes) equality with a host replica of the algorithm in
 * float32 arithmetic for the same seed, so every backend must give exactly the same draws.
 */
import * as sn from '../../index.js';
import type { Tensor } from '../../index.js';
import type { SuiteRng } from '../prng.js';
import { ensure, ensureClose, ensureSame, valuesOf } from './check.js';
import type { ConformanceCase, PropertyCase } from './types.js';

const f = Math.fround;

function prop(op: string, name: string, check: (rng: SuiteRng) => Promise<void>, checksGradient = false): PropertyCase {
  return { kind: 'property', op, name, check, checksGradient };
}

const seedOf = (rng: SuiteRng): number => rng.int(1, 2 ** 31 - 1);

/** Share of each value 0..k-1 among `values`. */
function shares(values: readonly number[], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const v of values) counts[v]!++;
  return counts.map((c) => c / values.length);
}

function ensurePermutation(values: readonly number[], n: number, what: string): void {
  ensure(values.length === n && [...values].sort((a, b) => a - b).every((v, i) => v === i), `${what}: [${values.slice(0, 12).join(',')}${values.length > 12 ? ',…' : ''}] is not a permutation of 0..${n - 1}`);
}

/** Awaits `program` and requires it to fail (at the call or at the read) with `cls` and a message holding `parts`. */
async function ensureFails(program: () => Promise<unknown>, cls: typeof sn.ScratchNetError, parts: readonly string[]): Promise<void> {
  let thrown: unknown = null;
  try {
    await program();
  } catch (e) {
    thrown = e;
  }
  ensure(thrown instanceof cls, `expected ${cls.name}, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`);
  const message = (thrown as Error).message;
  const missing = parts.filter((p) => !message.includes(p));
  ensure(missing.length === 0, `the message "${message}" does not mention ${missing.join(', ')}`);
}

// Host replicas of the device arithmetic, in float32 (core's cumsum adds y[i − by] for by = 1, 2, 4, …).
function replicaCumsum(row: readonly number[]): number[] {
  let y = row.map(f);
  for (let by = 1; by < y.length; by *= 2) {
    const prev = y;
    y = prev.map((v, i) => (i >= by ? f(v + prev[i - by]!) : v));
  }
  return y;
}

function replicaInverseCdf(probs: readonly number[][], s: number, seed: number): number[][] {
  const u = new sn.RandomGenerator(seed).uniform(probs.length * s);
  return probs.map((p, r) => {
    // Zero weights repeat the previous running total (a running maximum over −∞ in their place).
    let top = -Infinity;
    const cdf = replicaCumsum(p).map((c, j) => (top = p[j]! > 0 ? Math.max(top, c) : top));
    const total = cdf[cdf.length - 1]!;
    return Array.from({ length: s }, (_, k) => {
      const t = f(u[r * s + k]! * total);
      return cdf.filter((c) => c <= t).length;
    });
  });
}

function replicaWithoutReplacement(probs: readonly number[][], s: number, seed: number): number[][] {
  const c = probs[0]!.length;
  const u = new sn.RandomGenerator(seed).uniform(probs.length * c);
  return probs.map((p, r) => {
    const keys = p.map((v, j) => f(f(v) * f(1 / -Math.log(u[r * c + j]! + 2 ** -25))));
    return keys.map((_, j) => j).sort((a, b) => keys[b]! - keys[a]! || a - b).slice(0, s);
  });
}

function replicaCategorical(logits: readonly number[][], s: number, seed: number): number[][] {
  const c = logits[0]!.length;
  const u = new sn.RandomGenerator(seed).uniform(logits.length * s * c);
  return logits.map((l, r) => Array.from({ length: s }, (_, k) => {
    let best = -1;
    let bestKey = -Infinity;
    for (let j = 0; j < c; j++) {
      const key = f(f(l[j]!) + f(-Math.log(-Math.log(u[(r * s + k) * c + j]! + 2 ** -25))));
      if (best < 0 || key > bestKey) {
        best = j;
        bestKey = key;
      }
    }
    return best;
  }));
}

const randintCases: ConformanceCase[] = [
  prop('randint', 'int32 in [low, high), every value about equally often, seeded', async (rng) => {
    const s = seedOf(rng);
    const t = sn.randint(-3, 4, [200, 100], { seed: s });
    ensure(t.dtype === 'int32' && t.shape.join(',') === '200,100', `randint: dtype ${t.dtype}, shape [${t.shape.join(',')}]`);
    const v = await valuesOf(t);
    ensure(v.every((x) => Number.isInteger(x) && x >= -3 && x < 4), 'randint: a value outside the integers of [-3, 4)');
    shares(v.map((x) => x + 3), 7).forEach((share, k) => ensure(Math.abs(share - 1 / 7) < 0.01, `randint: ${k - 3} has share ${share}, expected ≈ ${1 / 7}`));
    ensureSame(v, await valuesOf(sn.randint(-3, 4, [200, 100], { seed: s })), `randint seed ${s} twice`);
    const other = await valuesOf(sn.randint(-3, 4, [200, 100], { seed: s + 1 }));
    ensure(other.some((x, i) => x !== v[i]), `randint: seeds ${s} and ${s + 1} gave identical draws`);
  }),
  prop('randint', 'the whole int32 range, and an empty shape', async (rng) => {
    const v = await valuesOf(sn.randint(-(2 ** 31), 2 ** 31, [4000], { seed: seedOf(rng) }));
    ensure(v.every((x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31), 'randint over int32: a value outside int32');
    const negative = v.filter((x) => x < 0).length / v.length;
    ensure(Math.abs(negative - 0.5) < 0.05, `randint over int32: ${negative} negative, expected ≈ 0.5`);
    ensure(new Set(v).size > 3990, `randint over int32: only ${new Set(v).size} distinct values of 4000`);
    ensure((await valuesOf(sn.randint(0, 5, [3, 0]))).length === 0, 'randint with shape [3,0] is not empty');
  }),
  { kind: 'error', op: 'randint', name: 'high not above low', inputs: [], run: () => sn.randint(4, 4, [2]), error: 'ArgumentError', message: ['high (4)', 'low (4)'] },
  { kind: 'error', op: 'randint', name: 'a bound that is not an integer', inputs: [], run: () => sn.randint(0.5, 4, [2]), error: 'ArgumentError', message: ['low', '0.5'] },
];

const bernoulliCases: ConformanceCase[] = [
  prop('bernoulli', 'a p tensor broadcast over rows: p = 0 never, p = 1 always, p = 0.3 about 30%', async (rng) => {
    const s = seedOf(rng);
    const p = sn.tensor([0, 0.3, 1]);
    const t = sn.bernoulli(p, { shape: [5000, 3], seed: s });
    ensure(t.dtype === 'float32' && t.shape.join(',') === '5000,3', `bernoulli: dtype ${t.dtype}, shape [${t.shape.join(',')}]`);
    const v = await valuesOf(t);
    ensure(v.every((x) => x === 0 || x === 1), 'bernoulli: a value other than 0 / 1');
    const col = (j: number): number[] => v.filter((_, i) => i % 3 === j);
    ensure(col(0).every((x) => x === 0) && col(2).every((x) => x === 1), 'bernoulli: p = 0 gave a 1 or p = 1 gave a 0');
    const mean = col(1).reduce((a, b) => a + b, 0) / 5000;
    ensure(Math.abs(mean - 0.3) < 0.025, `bernoulli(0.3): mean ${mean}`);
    // Exactly u < p for the seed's uniforms, whatever the backend.
    const u = new sn.RandomGenerator(s).uniform(15000);
    ensureSame(v, Array.from(u, (x, i) => (x < f([0, 0.3, 1][i % 3]!) ? 1 : 0)), `bernoulli seed ${s} against u < p on the host`);
  }),
  prop('bernoulli', 'a number p with a shape; a tensor p keeps its shape', async (rng) => {
    const s = seedOf(rng);
    const v = await valuesOf(sn.bernoulli(0.75, { shape: [20000], seed: s }));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    ensure(Math.abs(mean - 0.75) < 0.02, `bernoulli(0.75): mean ${mean}`);
    ensureSame(v, await valuesOf(sn.bernoulli(0.75, { shape: [20000], seed: s })), `bernoulli seed ${s} twice`);
    ensure(sn.bernoulli(sn.full([2, 3], 0.5), { seed: s }).shape.join(',') === '2,3', 'bernoulli(p [2,3]) shape');
    ensure(sn.bernoulli(0.5).shape.length === 0, 'bernoulli(number) without a shape is not a scalar');
  }),
  prop('bernoulli', 'p outside [0, 1] in a tensor fails by the next read', async () => {
    await ensureFails(() => sn.bernoulli(sn.add(sn.tensor([0.5, 0.2]), sn.tensor([0, 1]))).data(), sn.ArgumentError, ['bernoulli', '[0, 1]', '1.2']);
  }),
  { kind: 'error', op: 'bernoulli', name: 'a number p above 1', inputs: [], run: () => sn.bernoulli(1.5), error: 'ArgumentError', message: ['p', '1.5'] },
  { kind: 'error', op: 'bernoulli', name: 'an int32 p', inputs: [{ shape: [3], dtype: 'int32', gen: 'indices<2' }], run: (p: Tensor) => sn.bernoulli(p), error: 'DTypeError', message: ['p', 'int32'] },
  { kind: 'error', op: 'bernoulli', name: 'p does not broadcast to the shape', inputs: [{ shape: [3], dtype: 'float32', gen: 'unit' }], run: (p: Tensor) => sn.bernoulli(p, { shape: [2, 4] }), error: 'ShapeError', message: ['[3]', '[2,4]'] },
];

const permutationCases: ConformanceCase[] = [
  prop('randperm', 'a permutation, seeded; every order of 3 about equally likely', async (rng) => {
    const s = seedOf(rng);
    const t = sn.randperm(257, { seed: s });
    ensure(t.dtype === 'int32', `randperm: dtype ${t.dtype}`);
    const v = await valuesOf(t);
    ensurePermutation(v, 257, 'randperm(257)');
    ensureSame(v, await valuesOf(sn.randperm(257, { seed: s })), `randperm seed ${s} twice`);
    ensure((await valuesOf(sn.randperm(0))).length === 0 && (await valuesOf(sn.randperm(1)))[0] === 0, 'randperm(0) / randperm(1)');
    const gen = new sn.RandomGenerator(s);
    const seen = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const key = (await valuesOf(sn.randperm(3, { seed: gen }))).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    ensure(seen.size === 6, `randperm(3): saw ${seen.size} orders`);
    for (const [k, c] of seen) ensure(Math.abs(c / 3000 - 1 / 6) < 0.03, `randperm(3): order ${k} has share ${c / 3000}`);
  }),
  prop('shuffle', 'rows permuted intact, along axis 0 and 1, as randperm with the same seed', async (rng) => {
    const s = seedOf(rng);
    const x = sn.reshape(sn.arange(0, 35), [7, 5]);
    const perm = await valuesOf(sn.randperm(7, { seed: s }));
    const y = await valuesOf(sn.shuffle(x, { seed: s }));
    ensureSame(y, perm.flatMap((r) => [0, 1, 2, 3, 4].map((c) => r * 5 + c)), `shuffle(seed ${s}) rows against randperm(7)`);
    const cols = await valuesOf(sn.randperm(5, { seed: s }));
    const z = await valuesOf(sn.shuffle(x, { seed: s, axis: -1 }));
    ensureSame(z, [0, 1, 2, 3, 4, 5, 6].flatMap((r) => cols.map((c) => r * 5 + c)), `shuffle(axis -1, seed ${s}) against randperm(5)`);
    ensure(sn.shuffle(sn.zeros([0, 2])).shape.join(',') === '0,2', 'shuffle of an empty axis');
  }),
  prop('shuffle', 'the gradient goes back to the original positions', async (rng) => {
    const s = seedOf(rng);
    const x = sn.tensor(Float32Array.from({ length: 12 }, () => rng.normal()), [4, 3]);
    const c = Float32Array.from({ length: 12 }, () => rng.normal());
    const perm = await valuesOf(sn.randperm(4, { seed: s }));
    const [g] = sn.grad((t: Tensor) => sn.sum(sn.mul(sn.shuffle(t, { seed: s }), sn.tensor(c, [4, 3]))))(x);
    const want = new Array<number>(12).fill(0);
    perm.forEach((r, i) => [0, 1, 2].forEach((k) => (want[r * 3 + k] = c[i * 3 + k]!)));
    ensureClose(await valuesOf(g!), want, 1e-6, `shuffle gradient (seed ${s})`);
  }, true),
  { kind: 'error', op: 'randperm', name: 'n not a non-negative integer', inputs: [], run: () => sn.randperm(-1), error: 'ArgumentError', message: ['n', '-1'] },
  { kind: 'error', op: 'shuffle', name: 'axis out of range', inputs: [{ shape: [2, 3], dtype: 'float32' }], run: (x: Tensor) => sn.shuffle(x, { axis: 2 }), error: 'ArgumentError', message: ['axis 2', 'rank 2'] },
];

const P = [0.2, 0, 1.2, 0.6]; // unnormalised: 0.1, 0, 0.6, 0.3

const multinomialCases: ConformanceCase[] = [
  prop('multinomial', 'with replacement: frequencies of unnormalised weights, never a zero weight', async (rng) => {
    const s = seedOf(rng);
    const t = sn.multinomial(sn.tensor(P), 20000, { replacement: true, seed: s });
    ensure(t.dtype === 'int32' && t.shape.join(',') === '20000', `multinomial: dtype ${t.dtype}, shape [${t.shape.join(',')}]`);
    const got = shares(await valuesOf(t), 4);
    [0.1, 0, 0.6, 0.3].forEach((want, k) => ensure(Math.abs(got[k]! - want) < 0.015, `multinomial: category ${k} has share ${got[k]}, expected ≈ ${want}`));
    ensure(got[1] === 0, 'multinomial drew a zero-weight category');
  }),
  prop('multinomial', 'with replacement, [4,6] rows with zeros first, inside and last: exactly the host float32 inverse CDF', async (rng) => {
    const s = seedOf(rng);
    const probs = [0, 1, 2, 3, 4, 5].map((_, j) => [j + 1, j === 2 ? 0 : 1, 6 - j]);
    const rows = [...[0, 1, 2].map((r) => probs.map((p) => f(p[r]! * 0.37))), [0, 0, 1, 0, 2, 0]];
    const got = await valuesOf(sn.multinomial(sn.tensor(rows), 500, { replacement: true, seed: s }));
    rows.forEach((row, r) => ensure(got.slice(r * 500, (r + 1) * 500).every((k) => row[k]! > 0), `multinomial: row ${r} drew a zero-weight category`));
    ensureSame(got, replicaInverseCdf(rows, 500, s).flat(), `multinomial(replacement, seed ${s}) against the host replica`);
  }),
  prop('multinomial', 'without replacement: distinct draws, first draw ∝ weight, exactly the host replica', async (rng) => {
    const s = seedOf(rng);
    const rows = Array.from({ length: 3000 }, () => P);
    const t = sn.multinomial(sn.tensor(rows), 3, { seed: s });
    ensure(t.shape.join(',') === '3000,3', `multinomial shape [${t.shape.join(',')}]`);
    const v = await valuesOf(t);
    for (let r = 0; r < 3000; r++) {
      const row = v.slice(r * 3, r * 3 + 3);
      ensure(new Set(row).size === 3 && !row.includes(1), `multinomial without replacement: row ${r} drew [${row.join(',')}]`);
    }
    const first = shares(v.filter((_, i) => i % 3 === 0), 4);
    [0.1, 0, 0.6, 0.3].forEach((want, k) => ensure(Math.abs(first[k]! - want) < 0.03, `multinomial first draw: ${k} has share ${first[k]}, expected ≈ ${want}`));
    ensureSame(v, replicaWithoutReplacement(rows, 3, s).flat(), `multinomial(seed ${s}) against the host replica`);
  }),
  prop('multinomial', 'k = C without replacement is a permutation; k = 0 is empty; seeded', async (rng) => {
    const s = seedOf(rng);
    const p = sn.tensor([[1, 2, 3, 4, 5], [5, 1, 1, 1, 1]]);
    const v = await valuesOf(sn.multinomial(p, 5, { seed: s }));
    ensurePermutation(v.slice(0, 5), 5, 'multinomial(k = C) row 0');
    ensurePermutation(v.slice(5), 5, 'multinomial(k = C) row 1');
    ensureSame(v, await valuesOf(sn.multinomial(p, 5, { seed: s })), `multinomial seed ${s} twice`);
    ensure(sn.multinomial(p, 0).shape.join(',') === '2,0', 'multinomial(k = 0) shape');
  }),
  prop('multinomial', 'a negative or all-zero row fails by the next read', async () => {
    await ensureFails(() => sn.multinomial(sn.sub(sn.tensor([[1, 2], [1, 1]]), sn.tensor([0, 3])), 1).data(), sn.ArgumentError, ['multinomial', 'row 0', '-1']);
    await ensureFails(() => sn.multinomial(sn.mul(sn.tensor([[1, 2], [1, 1]]), sn.tensor([[1, 1], [0, 0]])), 1, { replacement: true }).data(), sn.ArgumentError, ['multinomial', 'row 1', 'all zeros']);
  }),
  { kind: 'error', op: 'multinomial', name: 'more draws than categories without replacement', inputs: [{ shape: [2, 4], dtype: 'float32', gen: 'positive' }], run: (p: Tensor) => sn.multinomial(p, 5), error: 'ArgumentError', message: ['numSamples 5', '4 categories', '[2,4]'] },
  { kind: 'error', op: 'multinomial', name: 'int32 weights', inputs: [{ shape: [4], dtype: 'int32', gen: 'indices<3' }], run: (p: Tensor) => sn.multinomial(p, 1), error: 'DTypeError', message: ['probs', 'int32'] },
  { kind: 'error', op: 'multinomial', name: 'rank 3 weights', inputs: [{ shape: [2, 2, 2], dtype: 'float32', gen: 'positive' }], run: (p: Tensor) => sn.multinomial(p, 1), error: 'ShapeError', message: ['probs', '[2,2,2]'] },
];

const categoricalCases: ConformanceCase[] = [
  prop('categorical', 'frequencies of softmax(logits), −Infinity never drawn, exactly the host replica', async (rng) => {
    const s = seedOf(rng);
    const logits = [Math.log(0.2), -Infinity, Math.log(0.5), Math.log(0.3)];
    const t = sn.categorical(sn.tensor(logits), 20000, { seed: s });
    ensure(t.dtype === 'int32' && t.shape.join(',') === '20000', `categorical: dtype ${t.dtype}, shape [${t.shape.join(',')}]`);
    const v = await valuesOf(t);
    const got = shares(v, 4);
    [0.2, 0, 0.5, 0.3].forEach((want, k) => ensure(Math.abs(got[k]! - want) < 0.015, `categorical: category ${k} has share ${got[k]}, expected ≈ ${want}`));
    ensureSame(v, replicaCategorical([logits], 20000, s).flat(), `categorical(seed ${s}) against the host replica`);
  }),
  prop('categorical', '[2,3] logits give [2, numSamples]; seeded', async (rng) => {
    const s = seedOf(rng);
    const logits = sn.tensor([[0, 5, 0], [-5, 0, 5]]);
    const v = await valuesOf(sn.categorical(logits, 300, { seed: s }));
    ensure(v.length === 600, `categorical: ${v.length} draws`);
    ensureSame(v, await valuesOf(sn.categorical(logits, 300, { seed: s })), `categorical seed ${s} twice`);
    ensure(shares(v.slice(0, 300), 3)[1]! > 0.9 && shares(v.slice(300), 3)[2]! > 0.9, 'categorical: the dominant logit is not drawn most');
  }),
  prop('categorical', 'an all −Infinity row fails by the next read', async () => {
    await ensureFails(() => sn.categorical(sn.mul(sn.tensor([[1, 1], [-Infinity, -Infinity]]), sn.tensor([1, 2])), 2).data(), sn.ArgumentError, ['categorical', 'row 1', '-Infinity']);
  }),
  { kind: 'error', op: 'categorical', name: 'numSamples not an integer', inputs: [{ shape: [3], dtype: 'float32' }], run: (l: Tensor) => sn.categorical(l, 2.5), error: 'ArgumentError', message: ['numSamples', '2.5'] },
];

/** Cases of randint, bernoulli, randperm, shuffle, multinomial and categorical. */
export const samplingCases: ConformanceCase[] = [...randintCases, ...bernoulliCases, ...permutationCases, ...multinomialCases, ...categoricalCases];

import * as sn from '../../index.js';
import { ensure, ensureClose, ensureSame, stats, valuesOf } from './check.js';
import type { ConformanceCase, PropertyCase } from './types.js';
import type { SuiteRng } from '../prng.js';

const N = 20000;

function prop(op: string, name: string, check: (rng: SuiteRng) => Promise<void>, checksGradient = false): PropertyCase {
  return { kind: 'property', op, name, check, checksGradient };
}

const seedOf = (rng: SuiteRng): number => rng.int(1, 2 ** 31 - 1);

export const randomCases: ConformanceCase[] = [
  prop('randomUniform', 'same seed gives the same numbers, another seed others', async (rng) => {
    const s = seedOf(rng);
    const a = await valuesOf(sn.randomUniform([7, 13], { seed: s }));
    const b = await valuesOf(sn.randomUniform([7, 13], { seed: s }));
    const c = await valuesOf(sn.randomUniform([7, 13], { seed: s + 1 }));
    ensureSame(a, b, `randomUniform seed ${s} twice`);
    ensure(a.some((v, i) => v !== c[i]), `randomUniform: seeds ${s} and ${s + 1} gave identical numbers`);
  }),
  prop('randomUniform', 'values in [min, max), mean and spread of U(min, max)', async (rng) => {
    const t = sn.randomUniform([N], { min: -2, max: 3, seed: seedOf(rng) });
    ensure(t.dtype === 'float32' && t.shape.length === 1 && t.shape[0] === N, `randomUniform: shape [${t.shape.join(',')}] dtype ${t.dtype}`);
    const st = stats(await valuesOf(t));
    ensure(st.min >= -2 && st.max < 3, `randomUniform [-2, 3): saw min ${st.min}, max ${st.max}`);
    ensure(Math.abs(st.mean - 0.5) < 0.05, `randomUniform [-2, 3): mean ${st.mean}, expected ≈ 0.5`);
    ensure(Math.abs(st.std - 5 / Math.sqrt(12)) < 0.05, `randomUniform [-2, 3): std ${st.std}, expected ≈ ${5 / Math.sqrt(12)}`);
  }),
  prop('randomUniform', 'default range [0, 1) and a RandomGenerator seed', async (rng) => {
    const s = seedOf(rng);
    const a = await valuesOf(sn.randomUniform([1000], { seed: new sn.RandomGenerator(s) }));
    const b = await valuesOf(sn.randomUniform([1000], { seed: new sn.RandomGenerator(s) }));
    ensureSame(a, b, `randomUniform with RandomGenerator(${s}) twice`);
    const st = stats(a);
    ensure(st.min >= 0 && st.max < 1, `randomUniform default range: min ${st.min}, max ${st.max}`);
  }),
  prop('randomUniform', 'int32 dtype gives integers in [min, max)', async (rng) => {
    const t = sn.randomUniform([N], { min: -3, max: 4, dtype: 'int32', seed: seedOf(rng) });
    ensure(t.dtype === 'int32', `randomUniform int32: dtype ${t.dtype}`);
    const v = await valuesOf(t);
    ensure(v.every((x) => Number.isInteger(x) && x >= -3 && x < 4), 'randomUniform int32: a value outside the integers of [-3, 4)');
    for (let k = -3; k < 4; k++) {
      const share = v.filter((x) => x === k).length / v.length;
      ensure(Math.abs(share - 1 / 7) < 0.02, `randomUniform int32: value ${k} has share ${share}, expected ≈ ${1 / 7}`);
    }
  }),
  prop('randomNormal', 'seeded determinism and N(0,1) moments', async (rng) => {
    const s = seedOf(rng);
    const a = await valuesOf(sn.randomNormal([N], { seed: s }));
    ensureSame(a, await valuesOf(sn.randomNormal([N], { seed: s })), `randomNormal seed ${s} twice`);
    const st = stats(a);
    ensure(Math.abs(st.mean) < 0.05, `randomNormal: mean ${st.mean}, expected ≈ 0`);
    ensure(Math.abs(st.std - 1) < 0.05, `randomNormal: std ${st.std}, expected ≈ 1`);
    ensure(a.every(Number.isFinite), 'randomNormal: non-finite sample');
  }),
  prop('randomNormal', 'mean and std options', async (rng) => {
    const st = stats(await valuesOf(sn.randomNormal([N], { mean: 3, std: 0.5, seed: seedOf(rng) })));
    ensure(Math.abs(st.mean - 3) < 0.05, `randomNormal(mean 3, std 0.5): mean ${st.mean}`);
    ensure(Math.abs(st.std - 0.5) < 0.03, `randomNormal(mean 3, std 0.5): std ${st.std}`);
  }),
  prop('truncatedNormal', 'within 2 std of the mean, truncated moments', async (rng) => {
    const s = seedOf(rng);
    const a = await valuesOf(sn.truncatedNormal([N], { mean: 1, std: 2, seed: s }));
    ensureSame(a, await valuesOf(sn.truncatedNormal([N], { mean: 1, std: 2, seed: s })), `truncatedNormal seed ${s} twice`);
    const st = stats(a);
    ensure(st.min >= -3 && st.max <= 5, `truncatedNormal(mean 1, std 2): saw [${st.min}, ${st.max}] outside [-3, 5]`);
    ensure(Math.abs(st.mean - 1) < 0.08, `truncatedNormal: mean ${st.mean}, expected ≈ 1`);
    // The standard deviation of N(0,1) truncated at ±2 is 0.8796.
    ensure(Math.abs(st.std - 2 * 0.8796) < 0.08, `truncatedNormal: std ${st.std}, expected ≈ ${2 * 0.8796}`);
  }),
  prop('RandomGenerator', 'uniform / normal streams are reproducible and split streams differ', async (rng) => {
    const s = seedOf(rng);
    const g1 = new sn.RandomGenerator(s);
    const g2 = new sn.RandomGenerator(s);
    const u1 = Array.from(g1.uniform(500));
    ensureSame(u1, Array.from(g2.uniform(500)), `RandomGenerator(${s}).uniform twice`);
    const st = stats(u1);
    ensure(st.min >= 0 && st.max < 1, `RandomGenerator.uniform: range [${st.min}, ${st.max}]`);
    ensureSame(Array.from(g1.normal(300)), Array.from(g2.normal(300)), `RandomGenerator(${s}).normal twice`);
    const [a, b] = new sn.RandomGenerator(s).split(2);
    const [a2] = new sn.RandomGenerator(s).split(2);
    ensure(a !== undefined && b !== undefined && a2 !== undefined, 'RandomGenerator.split(2) did not give two generators');
    const ua = Array.from(a!.uniform(100));
    ensureSame(ua, Array.from(a2!.uniform(100)), `RandomGenerator(${s}).split()[0] twice`);
    const ub = Array.from(b!.uniform(100));
    ensure(ua.some((v, i) => v !== ub[i]), 'RandomGenerator.split: the two streams are identical');
    ensure(new sn.RandomGenerator(s).split(3).length === 3, 'RandomGenerator.split(3) length');
    await Promise.resolve();
  }),
  prop('dropout', 'same seed gives the same mask; kept values scaled by 1/(1-rate)', async (rng) => {
    const s = seedOf(rng);
    const rate = 0.3;
    const xv = Array.from({ length: 4000 }, () => Math.fround(rng.uniform(0.5, 2)));
    const x = sn.tensor(Float32Array.from(xv), [40, 100]);
    const y1 = await valuesOf(sn.dropout(x, rate, { seed: s }));
    const y2 = await valuesOf(sn.dropout(x, rate, { seed: s }));
    ensureSame(y1, y2, `dropout seed ${s} twice`);
    let dropped = 0;
    y1.forEach((v, i) => {
      if (v === 0) dropped++;
      else ensure(Math.abs(v - xv[i]! / (1 - rate)) <= 1e-5 * Math.abs(v), `dropout: kept value ${v} at ${i}, expected ${xv[i]! / (1 - rate)}`);
    });
    ensure(Math.abs(dropped / xv.length - rate) < 0.05, `dropout(rate ${rate}): dropped fraction ${dropped / xv.length}`);
  }),
  prop('dropout', 'rate 0 and training false are the identity', async (rng) => {
    const xv = Array.from({ length: 35 }, () => Math.fround(rng.normal()));
    const x = sn.tensor(Float32Array.from(xv), [5, 7]);
    ensureSame(await valuesOf(sn.dropout(x, 0, { seed: 3 })), xv, 'dropout(rate 0)');
    ensureSame(await valuesOf(sn.dropout(x, 0.5, { seed: 3, training: false })), xv, 'dropout(training false)');
  }),
  prop('dropout', 'gradient is the kept mask times 1/(1-rate)', async (rng) => {
    const s = seedOf(rng);
    const rate = 0.4;
    const xv = Array.from({ length: 60 }, () => Math.fround(rng.uniform(0.5, 2)));
    const x = sn.tensor(Float32Array.from(xv), [6, 10]);
    const y = await valuesOf(sn.dropout(x, rate, { seed: s }));
    const [g] = sn.grad((t) => sn.dropout(t, rate, { seed: s }))(x);
    ensure(g !== undefined, 'grad returned no gradient');
    const expected = y.map((v) => (v === 0 ? 0 : 1 / (1 - rate)));
    ensureClose(await valuesOf(g!), expected, 1e-5, `dropout gradient (seed ${s})`);
  }, true),
];

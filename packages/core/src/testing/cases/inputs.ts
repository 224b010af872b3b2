import { refRoundHalf } from '../reference/half.js';
import { fromFn, sizeOfShape, type NDArray, type RefDType } from '../reference/ndarray.js';
import type { SuiteRng } from '../prng.js';
import type { Gen, InputSpec } from './types.js';

function defaultGen(dtype: RefDType): Gen {
  return dtype === 'int32' ? 'int' : dtype === 'bool' ? 'bool' : 'normal';
}

/** Draws `n` values of a generator kind. */
export function drawValues(gen: Gen, n: number, rng: SuiteRng): number[] {
  if (typeof gen === 'object') {
    if ('values' in gen) {
      if (gen.values.length !== n) throw new Error(`conformance: ${gen.values.length} fixed values for ${n} elements`);
      return [...gen.values];
    }
    const avoid = gen.avoid ?? [];
    return Array.from({ length: n }, () => {
      for (;;) {
        const v = rng.uniform(gen.min, gen.max);
        if (avoid.every((a) => Math.abs(v - a) > 0.02)) return v;
      }
    });
  }
  if (gen.startsWith('indices<')) {
    const bound = Number(gen.slice('indices<'.length));
    return Array.from({ length: n }, () => rng.int(0, bound - 1));
  }
  switch (gen) {
    case 'normal': return Array.from({ length: n }, () => 1.5 * rng.normal());
    case 'uniform': return Array.from({ length: n }, () => rng.uniform(-2, 2));
    case 'unit': return Array.from({ length: n }, () => rng.uniform(-0.9, 0.9));
    case 'positive': return Array.from({ length: n }, () => rng.uniform(0.2, 3));
    case 'awayFromZero': return Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.2, 2));
    case 'awayFromInteger':
      return Array.from({ length: n }, () => rng.int(-4, 3) + (rng.next() < 0.5 ? rng.uniform(0.15, 0.35) : rng.uniform(0.65, 0.85)));
    case 'distinct': {
      const ladder = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1 + rng.uniform(0, 0.05));
      return rng.shuffle(ladder);
    }
    case 'int': return Array.from({ length: n }, () => rng.int(-9, 9));
    case 'bool': return Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 1));
    default: throw new Error(`conformance: unknown generator ${String(gen)}`);
  }
}

/** Generates the logical values of one input (float32 inputs are rounded to float32, float16 ones to float16). */
export function generateInput(spec: InputSpec, rng: SuiteRng): NDArray {
  const dtype = spec.dtype ?? 'float32';
  const n = sizeOfShape(spec.shape);
  const values = drawValues(spec.gen ?? defaultGen(dtype), n, rng);
  const round = dtype === 'float32' ? Math.fround : dtype === 'float16' ? refRoundHalf : (v: number): number => v;
  return fromFn(spec.shape, dtype, (i) => round(values[i]!));
}

/** A float32 array of N(0,1) values (cotangents), rounded to float32. */
export function randomLike(shape: readonly number[], rng: SuiteRng): NDArray {
  return fromFn(shape, 'float32', () => Math.fround(rng.normal()));
}

import { describe, expect, it } from 'vitest';
import { REDUCE_DEFS, REDUCE_OPS, isArgReduce, reduceOutDtype } from './reduce-defs.js';

const FLOATS = [0, -0, 1.5, -2.25, 1e30, -1e-30, Infinity, -Infinity];
const INTS = [0, 1, -1, 7, 2147483647, -2147483648, 65536];

describe('REDUCE_DEFS', () => {
  it('lists the ops in code order, folds before arg ops', () => {
    expect(REDUCE_OPS).toEqual(['sum', 'prod', 'max', 'min', 'argmax', 'argmin']);
    expect(REDUCE_OPS.map(isArgReduce)).toEqual([false, false, false, false, true, true]);
  });

  it('each fold identity is neutral for its combine step, in float32 and int32', () => {
    for (const op of REDUCE_OPS) {
      const def = REDUCE_DEFS[op];
      if (def.kind !== 'fold') continue;
      for (const v of FLOATS) expect(def.ts(def.identity.float32, v), `${op} float ${v}`).toBe(op === 'sum' && Object.is(v, -0) ? 0 : v);
      for (const v of INTS) expect(def.tsInt(def.identity.int32, v), `${op} int ${v}`).toBe(v);
    }
  });

  it('int32 folds wrap like C', () => {
    expect(REDUCE_DEFS.sum.tsInt(2147483647, 1)).toBe(-2147483648);
    expect(REDUCE_DEFS.prod.tsInt(65536, 65536)).toBe(0);
  });

  it('float max / min propagate NaN from either side', () => {
    for (const op of ['max', 'min'] as const) {
      expect(REDUCE_DEFS[op].ts(NaN, 1)).toBeNaN();
      expect(REDUCE_DEFS[op].ts(1, NaN)).toBeNaN();
    }
  });

  it('arg tests: strictly better wins, ties keep the first, the first NaN wins and stays', () => {
    const { argmax, argmin } = REDUCE_DEFS;
    expect([argmax.ts(1, 2), argmax.ts(2, 1), argmax.ts(2, 2)]).toEqual([true, false, false]);
    expect([argmin.ts(1, 2), argmin.ts(2, 1), argmin.ts(2, 2)]).toEqual([false, true, false]);
    expect([argmax.ts(1, NaN), argmax.ts(NaN, 5), argmax.ts(NaN, NaN)]).toEqual([true, false, false]);
    expect([argmin.ts(-Infinity, NaN), argmin.ts(NaN, -Infinity)]).toEqual([true, false]);
    expect([argmax.tsInt(3, 4), argmax.tsInt(4, 4), argmin.tsInt(4, 3)]).toEqual([true, false, true]);
  });

  it('states the output dtype once: arg ops give int32, folds keep the kernel input dtype (bool counts as int32)', () => {
    expect(reduceOutDtype('sum', 'float32')).toBe('float32');
    expect(reduceOutDtype('max', 'int32')).toBe('int32');
    expect(reduceOutDtype('prod', 'bool')).toBe('int32');
    expect(reduceOutDtype('argmax', 'float32')).toBe('int32');
  });
});

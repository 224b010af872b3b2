import { describe, expect, it } from 'vitest';
import { REDUCE_DEFS, type ReduceOp } from '@scratchnet/core';
import { Harness, expectClose, randomF32, randomI32 } from '../../test/helpers.js';

/** Naive reduction of x [outer, r, inner] over r. */
function naive(x: ArrayLike<number>, shape: readonly number[], f: (acc: number, v: number) => number, init: number): number[] {
  const [outer, r, inner] = shape as [number, number, number];
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = init;
      for (let q = 0; q < r; q++) acc = f(acc, x[(o * r + q) * inner + j]!);
      out.push(acc);
    }
  }
  return out;
}

const FLOAT_OPS: [ReduceOp, (a: number, v: number) => number, number][] = [
  ['sum', (a, v) => a + v, 0],
  ['prod', (a, v) => a * v, 1],
  ['max', (a, v) => Math.max(a, v), -Infinity],
  ['min', (a, v) => Math.min(a, v), Infinity],
];

const LAYOUTS = [[1, 7, 1], [3, 4, 1], [1, 4, 3], [2, 3, 5], [4, 1, 3], [1, 1, 1], [5, 13, 2]];

describe('reduce kernel ([outer, r, inner] over r)', () => {
  const h = new Harness();
  for (const shape of LAYOUTS) {
    it(`float32 ${JSON.stringify(shape)}`, () => {
      const xv = randomF32(shape, shape[0]! * 31 + shape[1]! * 7 + shape[2]!).map((v) => v + 1.2);
      const x = h.t(xv, shape);
      for (const [op, f, init] of FLOAT_OPS) {
        const out = h.read(h.backend.reduce(op, x, 'float32'));
        expect(out).toBeInstanceOf(Float32Array);
        expectClose(out, naive(xv, shape, f, init).map(Math.fround), 1e-5, 1e-6);
      }
    });
  }

  it('every float fold loop computes its REDUCE_DEFS form, special values included (rows and columns)', () => {
    const special = [NaN, Infinity, -Infinity, 0, -0, 1.5, -2.25, 3, 1e30, -1e-30];
    const xv = Float32Array.from({ length: 40 }, (_, i) => special[(i * 7 + (i >> 2)) % special.length]!);
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      const def = REDUCE_DEFS[op];
      for (const shape of [[4, 10, 1], [1, 10, 4], [2, 5, 4]]) {
        const out = h.read(h.backend.reduce(op, h.t(xv, shape), 'float32'));
        const [outer, r, inner] = shape as [number, number, number];
        const want: number[] = [];
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < inner; j++) {
            let a = xv[o * r * inner + j]!;
            for (let q = 1; q < r; q++) a = def.ts(a, xv[(o * r + q) * inner + j]!);
            want.push(Math.fround(a));
          }
        }
        expect(Array.from(out), `${op} ${JSON.stringify(shape)}`).toEqual(want);
      }
    }
  });

  it('sums a large row accurately (double accumulation)', () => {
    const n = 100003;
    const x = h.t(new Float32Array(n).fill(0.1), [1, n, 1]);
    expectClose(h.read(h.backend.reduce('sum', x, 'float32')), [Math.fround(0.1) * n], 1e-7, 0);
  });

  it('max / min propagate NaN, along rows and across them', () => {
    const x = h.t([1, NaN, 3, 4, 5, 6], [2, 3, 1]);
    expectClose(h.read(h.backend.reduce('max', x, 'float32')), [NaN, 6]);
    const y = h.t([1, NaN, 3, 4, 5, 6], [1, 2, 3]);
    expectClose(h.read(h.backend.reduce('min', y, 'float32')), [1, NaN, 3]);
  });

  it('int32 sum wraps, prod multiplies with wrap, max / min stay int32', () => {
    const x = h.t(Int32Array.from([2147483647, 1, 65536, 65536]), [2, 2, 1]);
    const s = h.read(h.backend.reduce('sum', x, 'int32'));
    expect(s).toBeInstanceOf(Int32Array);
    expect(Array.from(s)).toEqual([-2147483648, 131072]);
    expect(Array.from(h.read(h.backend.reduce('prod', x, 'int32')))).toEqual([2147483647, 0]);
    const iv = randomI32([3, 5], 9);
    const mx = h.read(h.backend.reduce('max', h.t(iv, [3, 5, 1]), 'int32'));
    expect(mx).toBeInstanceOf(Int32Array);
    expect(Array.from(mx)).toEqual(naive(iv, [3, 5, 1], Math.max, -Infinity));
    expect(Array.from(h.read(h.backend.reduce('min', h.t(iv, [1, 3, 5]), 'int32')))).toEqual(naive(iv, [1, 3, 5], Math.min, Infinity));
  });
});

describe('argmax / argmin', () => {
  const h = new Harness();
  it('every layout against a naive scan (many ties)', () => {
    for (const shape of LAYOUTS) {
      const xv = randomF32(shape, 77).map((v) => Math.round(v * 3));
      const x = h.t(xv, shape);
      for (const op of ['argmax', 'argmin'] as const) {
        const out = h.read(h.backend.reduce(op, x, 'int32'));
        expect(out).toBeInstanceOf(Int32Array);
        const [outer, r, inner] = shape as [number, number, number];
        const expected: number[] = [];
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < inner; j++) {
            let best = 0;
            for (let q = 1; q < r; q++) {
              const v = xv[(o * r + q) * inner + j]!;
              const b = xv[(o * r + best) * inner + j]!;
              if (op === 'argmax' ? v > b : v < b) best = q;
            }
            expected.push(best);
          }
        }
        expect(Array.from(out), `${op} ${JSON.stringify(shape)}`).toEqual(expected);
      }
    }
  });

  it('returns the first extreme and lets the first NaN win', () => {
    const x = h.t([1, 3, 3, 0, NaN, 2, NaN, 5, -1, -1, -1, -1], [3, 4, 1]);
    expect(Array.from(h.read(h.backend.reduce('argmax', x, 'int32')))).toEqual([1, 0, 0]);
    expect(Array.from(h.read(h.backend.reduce('argmin', x, 'int32')))).toEqual([3, 0, 0]);
    const y = h.t([1, 3, 3, 0, NaN, 2, NaN, 5, -1, -1, -1, -1], [1, 3, 4]);
    expect(Array.from(h.read(h.backend.reduce('argmax', y, 'int32')))).toEqual([1, 0, 1, 1]);
  });

  it('works on int32', () => {
    const x = h.t(Int32Array.from([4, 9, 9, -2]), [1, 4, 1]);
    expect(Array.from(h.read(h.backend.reduce('argmax', x, 'int32')))).toEqual([1]);
    expect(Array.from(h.read(h.backend.reduce('argmin', x, 'int32')))).toEqual([3]);
  });
});

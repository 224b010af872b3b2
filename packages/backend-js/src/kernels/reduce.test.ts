import { describe, expect, it } from 'vitest';
import type { ReduceOp } from '@scratchnet/core';
import { Harness, expectClose, randomF32, randomI32, size, unravel } from '../../test/helpers.js';

/** Naive reduction: groups elements by their index on the kept axes, in row-major order. */
function naive(x: ArrayLike<number>, shape: number[], axes: number[], f: (acc: number, v: number) => number, init: number): number[] {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outShape = kept.map((i) => shape[i]!);
  const out = new Array<number>(size(outShape)).fill(init);
  for (let i = 0; i < size(shape); i++) {
    const idx = unravel(i, shape);
    let o = 0;
    for (const k of kept) o = o * shape[k]! + idx[k]!;
    out[o] = f(out[o]!, x[i]!);
  }
  return out;
}

function subsets(rank: number): number[][] {
  const res: number[][] = [];
  for (let mask = 1; mask < 1 << rank; mask++) res.push([...Array(rank).keys()].filter((i) => (mask & (1 << i)) !== 0));
  return res;
}

const FLOAT_OPS: [ReduceOp, (a: number, v: number) => number, number][] = [
  ['sum', (a, v) => a + v, 0],
  ['prod', (a, v) => a * v, 1],
  ['max', (a, v) => Math.max(a, v), -Infinity],
  ['min', (a, v) => Math.min(a, v), Infinity],
];

describe('reduce kernel', () => {
  const h = new Harness();
  for (const shape of [[7], [3, 4], [2, 3, 5], [2, 1, 3, 4], [3, 1, 1], [1, 13]]) {
    it(`every axis subset of ${JSON.stringify(shape)}`, () => {
      const xv = randomF32(shape, shape.length * 31 + size(shape)).map((v) => v + 1.2);
      const x = h.t(xv, shape);
      for (const axes of subsets(shape.length)) {
        for (const [op, f, init] of FLOAT_OPS) {
          const out = h.read(h.backend.reduce(op, x, axes));
          expect(out).toBeInstanceOf(Float32Array);
          expectClose(out, naive(xv, shape, axes, f, init).map(Math.fround), 1e-5, 1e-6);
        }
      }
    });
  }

  it('sums a large row accurately (double accumulation)', () => {
    const n = 100003;
    const x = h.t(new Float32Array(n).fill(0.1), [n]);
    expectClose(h.read(h.backend.reduce('sum', x, [0])), [Math.fround(0.1) * n], 1e-7, 0);
  });

  it('max / min propagate NaN', () => {
    const x = h.t([1, NaN, 3, 4, 5, 6], [2, 3]);
    expectClose(h.read(h.backend.reduce('max', x, [1])), [NaN, 6]);
    expectClose(h.read(h.backend.reduce('min', x, [0])), [1, NaN, 3]);
    expectClose(h.read(h.backend.reduce('max', x, [0, 1])), [NaN]);
  });

  it('int32 sum wraps, prod multiplies with wrap, max / min stay int32', () => {
    const x = h.t(Int32Array.from([2147483647, 1, 65536, 65536]), [2, 2]);
    const s = h.read(h.backend.reduce('sum', x, [1]));
    expect(s).toBeInstanceOf(Int32Array);
    expect(Array.from(s)).toEqual([-2147483648, 131072]);
    expect(Array.from(h.read(h.backend.reduce('prod', x, [1])))).toEqual([2147483647, 0]);
    const iv = randomI32([3, 5], 9);
    const xi = h.t(iv, [3, 5]);
    const mx = h.read(h.backend.reduce('max', xi, [1]));
    expect(mx).toBeInstanceOf(Int32Array);
    expect(Array.from(mx)).toEqual(naive(iv, [3, 5], [1], Math.max, -Infinity));
    expect(Array.from(h.read(h.backend.reduce('min', xi, [0])))).toEqual(naive(iv, [3, 5], [0], Math.min, Infinity));
  });

  it('bool sum counts into int32; bool max / min are any / all', () => {
    const x = h.t(new Uint8Array([1, 0, 1, 0, 0, 0]), [2, 3]);
    const s = h.read(h.backend.reduce('sum', x, [1]));
    expect(s).toBeInstanceOf(Int32Array);
    expect(Array.from(s)).toEqual([2, 0]);
    const any = h.read(h.backend.reduce('max', x, [1]));
    expect(any).toBeInstanceOf(Uint8Array);
    expect(Array.from(any)).toEqual([1, 0]);
    expect(Array.from(h.read(h.backend.reduce('min', x, [0])))).toEqual([0, 0, 0]);
  });

  it('empty reductions give the identity; empty outputs are empty', () => {
    const x = h.t([], [2, 0, 3]);
    expect(Array.from(h.read(h.backend.reduce('sum', x, [1])))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(h.read(h.backend.reduce('prod', x, [1])))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(h.read(h.backend.reduce('max', x, [0, 1])))).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(h.read(h.backend.reduce('min', x, [1, 2])))).toEqual([Infinity, Infinity]);
    expect(h.read(h.backend.reduce('sum', x, [0])).length).toBe(0);
  });
});

describe('argmax / argmin', () => {
  const h = new Harness();
  it('every axis of a 3-D tensor against a naive scan', () => {
    const shape = [3, 7, 5];
    const xv = randomF32(shape, 77).map((v) => Math.round(v * 3)); // many ties
    const x = h.t(xv, shape);
    for (let axis = 0; axis < 3; axis++) {
      for (const op of ['argmax', 'argmin'] as const) {
        const out = h.read(h.backend.reduce(op, x, [axis]));
        expect(out).toBeInstanceOf(Int32Array);
        const outShape = shape.filter((_, i) => i !== axis);
        const expected: number[] = [];
        for (let o = 0; o < size(outShape); o++) {
          const idx = unravel(o, outShape);
          let best = 0;
          let bestV = NaN;
          for (let j = 0; j < shape[axis]!; j++) {
            const full = [...idx];
            full.splice(axis, 0, j);
            const v = xv[(full[0]! * shape[1]! + full[1]!) * shape[2]! + full[2]!]!;
            if (j === 0 || (op === 'argmax' ? v > bestV : v < bestV)) {
              best = j;
              bestV = v;
            }
          }
          expected.push(best);
        }
        expect(Array.from(out), `${op} axis ${axis}`).toEqual(expected);
      }
    }
  });

  it('returns the first extreme and lets the first NaN win', () => {
    const x = h.t([1, 3, 3, 0, NaN, 2, NaN, 5, -1, -1, -1, -1], [3, 4]);
    expect(Array.from(h.read(h.backend.reduce('argmax', x, [1])))).toEqual([1, 0, 0]);
    expect(Array.from(h.read(h.backend.reduce('argmin', x, [1])))).toEqual([3, 0, 0]);
    expect(Array.from(h.read(h.backend.reduce('argmax', x, [0])))).toEqual([1, 0, 1, 1]);
  });

  it('works on int32 and a size-1 axis', () => {
    const x = h.t(Int32Array.from([4, 9, 9, -2]), [4, 1]);
    expect(Array.from(h.read(h.backend.reduce('argmax', x, [0])))).toEqual([1]);
    expect(Array.from(h.read(h.backend.reduce('argmin', x, [1])))).toEqual([0, 0, 0, 0]);
  });
});

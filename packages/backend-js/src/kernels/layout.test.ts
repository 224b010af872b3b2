import { describe, expect, it } from 'vitest';
import type { StridedView } from '@scratchnet/core';
import { Harness, randomF32, randomI32, size, unravel } from '../../test/helpers.js';

function naiveCopy(x: ArrayLike<number>, view: StridedView): number[] {
  const out: number[] = [];
  for (let i = 0; i < size(view.shape); i++) {
    const idx = unravel(i, view.shape);
    out.push(x[idx.reduce((s, v, j) => s + v * view.strides[j]!, view.offset)]!);
  }
  return out;
}

describe('copy kernel', () => {
  const h = new Harness();
  const xv = randomF32([120], 1);
  const x = h.t(xv, [120]);
  const views: [string, StridedView][] = [
    ['identity', { shape: [4, 5, 6], strides: [30, 6, 1], offset: 0 }],
    ['transpose 2-D', { shape: [13, 7], strides: [1, 13], offset: 0 }],
    ['permute 3-D', { shape: [6, 4, 5], strides: [1, 30, 6], offset: 0 }],
    ['slice with steps and offset', { shape: [3, 2, 3], strides: [40, 12, 2], offset: 7 }],
    ['broadcast (stride 0)', { shape: [3, 4, 5], strides: [0, 5, 0], offset: 2 }],
    ['scalar', { shape: [], strides: [], offset: 42 }],
    ['long contiguous rows', { shape: [2, 100], strides: [10, 1], offset: 3 }],
  ];
  for (const [name, view] of views) {
    it(name, () => {
      expect(Array.from(h.read(h.backend.copy(x, view)))).toEqual(naiveCopy(xv, view).map(Math.fround));
    });
  }

  it('keeps int32 and bool dtypes', () => {
    const xi = h.t(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const out = h.read(h.backend.copy(xi, { shape: [3, 2], strides: [1, 3], offset: 0 }));
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
    const xb = h.t(new Uint8Array([1, 0]), [2]);
    const ob = h.read(h.backend.copy(xb, { shape: [2, 2], strides: [0, 1], offset: 0 }));
    expect(ob).toBeInstanceOf(Uint8Array);
    expect(Array.from(ob)).toEqual([1, 0, 1, 0]);
  });
});

describe('pad kernel', () => {
  const h = new Harness();
  function naivePad(x: ArrayLike<number>, shape: number[], pads: [number, number][], value: number): number[] {
    const outShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
    const out: number[] = [];
    for (let i = 0; i < size(outShape); i++) {
      const idx = unravel(i, outShape).map((v, j) => v - pads[j]![0]);
      const inside = idx.every((v, j) => v >= 0 && v < shape[j]!);
      out.push(inside ? x[idx.reduce((s, v, j) => s * shape[j]! + v, 0)]! : value);
    }
    return out;
  }
  const cases: [number[], [number, number][]][] = [
    [[5], [[2, 3]]],
    [[3, 4], [[1, 0], [0, 2]]],
    [[2, 3, 4], [[0, 0], [1, 1], [3, 0]]],
    [[2, 1, 3], [[1, 1], [2, 0], [0, 0]]],
    [[3, 70], [[1, 2], [5, 5]]],
    [[0, 2], [[1, 1], [0, 1]]],
  ];
  cases.forEach(([shape, pads], i) => {
    it(`${JSON.stringify(shape)} by ${JSON.stringify(pads)}`, () => {
      const xv = randomF32(shape, i + 1);
      expect(Array.from(h.read(h.backend.pad(h.t(xv, shape), pads, -1.5)))).toEqual(naivePad(xv, shape, pads, -1.5).map(Math.fround));
    });
  });

  it('fills int32 and bool with their own conversion of value', () => {
    const oi = h.read(h.backend.pad(h.t(Int32Array.from([1, 2]), [2]), [[1, 1]], 7));
    expect(oi).toBeInstanceOf(Int32Array);
    expect(Array.from(oi)).toEqual([7, 1, 2, 7]);
    const ob = h.read(h.backend.pad(h.t(new Uint8Array([0, 1]), [2]), [[1, 0]], 1));
    expect(Array.from(ob)).toEqual([1, 0, 1]);
  });
});

describe('concat kernel', () => {
  const h = new Harness();
  function naiveConcat(xs: ArrayLike<number>[], shapes: number[][], axis: number): number[] {
    const out: number[] = [];
    const outer = size(shapes[0]!.slice(0, axis));
    for (let o = 0; o < outer; o++) {
      xs.forEach((x, t) => {
        const inner = size(shapes[t]!.slice(axis));
        for (let i = 0; i < inner; i++) out.push(x[o * inner + i]!);
      });
    }
    return out;
  }
  const cases: [number[][], number][] = [
    [[[3], [4], [1]], 0],
    [[[2, 3], [2, 5]], 1],
    [[[2, 3], [4, 3]], 0],
    [[[2, 3, 4], [2, 1, 4], [2, 7, 4]], 1],
    [[[3, 2, 1], [3, 2, 2]], 2],
    [[[2, 0, 3], [2, 2, 3], [2, 0, 3]], 1],
    [[[2, 100], [2, 30]], 1],
  ];
  cases.forEach(([shapes, axis], i) => {
    it(`${JSON.stringify(shapes)} along ${axis}`, () => {
      const xs = shapes.map((s, j) => randomF32(s, i * 10 + j));
      const outShape = [...shapes[0]!];
      outShape[axis] = shapes.reduce((s, sh) => s + sh[axis]!, 0);
      const out = h.read(h.backend.concat(xs.map((x, j) => h.t(x, shapes[j]!)), axis, outShape));
      expect(Array.from(out)).toEqual(naiveConcat(xs, shapes, axis));
    });
  });

  it('keeps int32', () => {
    const a = randomI32([2, 2], 1);
    const b = randomI32([2, 1], 2);
    const out = h.read(h.backend.concat([h.t(a, [2, 2]), h.t(b, [2, 1])], 1, [2, 3]));
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([a[0], a[1], b[0], a[2], a[3], b[1]]);
  });
});

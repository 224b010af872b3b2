import { describe, expect, it } from 'vitest';
import { Harness, dot, expectClose, randomF32, size, unravel } from '../../test/helpers.js';

function naiveGather(x: ArrayLike<number>, shape: number[], idx: ArrayLike<number>, idxShape: number[], axis: number): number[] {
  const outShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
  const out: number[] = [];
  for (let i = 0; i < size(outShape); i++) {
    const o = unravel(i, outShape);
    const j = o.slice(axis, axis + idxShape.length).reduce((s, v, q) => s * idxShape[q]! + v, 0);
    const src = [...o.slice(0, axis), idx[j]!, ...o.slice(axis + idxShape.length)];
    out.push(x[src.reduce((s, v, q) => s * shape[q]! + v, 0)]!);
  }
  return out;
}

describe('gather kernel', () => {
  const h = new Harness();
  const cases: [number[], number, number[], number[]][] = [
    [[7], 0, [3], [6, 0, 6]],
    [[4, 3], 0, [2, 2], [3, 3, 0, 1]],
    [[4, 3], 1, [5], [2, 0, 1, 1, 2]],
    [[2, 5, 3], 1, [2, 1], [4, 0]],
    [[2, 3, 4], 2, [], [3]],
    [[3, 100], 0, [2], [2, 0]],
  ];
  cases.forEach(([shape, axis, idxShape, idx], i) => {
    it(`${JSON.stringify(shape)} axis ${axis} indices ${JSON.stringify(idxShape)}`, () => {
      const xv = randomF32(shape, i + 1);
      const out = h.read(h.backend.gather(h.t(xv, shape), h.t(Int32Array.from(idx), idxShape), axis));
      expect(Array.from(out)).toEqual(naiveGather(xv, shape, idx, idxShape, axis));
    });
  });

  it('keeps int32 / bool dtypes', () => {
    const out = h.read(h.backend.gather(h.t(Int32Array.from([5, 6, 7]), [3]), h.t(Int32Array.from([2, 2, 0]), [3]), 0));
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([7, 7, 5]);
  });
});

describe('scatterAdd kernel', () => {
  const h = new Harness();
  it('adds duplicate indices together', () => {
    const out = h.read(h.backend.scatterAdd(h.t([1, 2, 3, 4], [4]), h.t(Int32Array.from([1, 3, 1, 1]), [4]), 0, [5]));
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([0, 8, 0, 2, 0]);
  });

  it('is the adjoint of gather: <gather(x), u> = <x, scatterAdd(u)>', () => {
    const cases: [number[], number, number[], number[]][] = [
      [[4, 3], 0, [5], [3, 0, 3, 1, 3]],
      [[2, 5, 3], 1, [2, 2], [4, 0, 4, 4]],
      [[3, 2, 70], 2, [3], [69, 0, 69]],
    ];
    cases.forEach(([shape, axis, idxShape, idx], i) => {
      const xv = randomF32(shape, 10 + i);
      const indices = h.t(Int32Array.from(idx), idxShape);
      const gathered = h.read(h.backend.gather(h.t(xv, shape), indices, axis));
      const uShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
      const uv = randomF32(uShape, 20 + i);
      const scattered = h.read(h.backend.scatterAdd(h.t(uv, uShape), indices, axis, shape));
      expectClose([dot(gathered, uv)], [dot(xv, scattered)], 1e-5, 1e-5);
    });
  });

  it('empty updates give zeros', () => {
    expect(Array.from(h.read(h.backend.scatterAdd(h.t([], [2, 0]), h.t(new Int32Array(0), [0]), 1, [2, 3])))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

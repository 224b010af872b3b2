import { describe, expect, it } from 'vitest';
import type { BinaryOp } from '@scratchnet/core';
import { Harness, broadcastIndex, expectClose, randomF32, randomI32, size, unravel } from '../../test/helpers.js';

const SHAPE_PAIRS: [number[], number[], number[]][] = [
  [[7], [7], [7]],
  [[], [3, 4], [3, 4]],
  [[3, 4], [], [3, 4]],
  [[1], [13], [13]],
  [[3, 1], [1, 5], [3, 5]],
  [[2, 3, 4], [4], [2, 3, 4]],
  [[2, 3, 4], [3, 1], [2, 3, 4]],
  [[2, 1, 4], [1, 3, 1], [2, 3, 4]],
  [[7, 1, 1, 3], [1, 5, 2, 1], [7, 5, 2, 3]],
  [[1, 1, 13], [7, 1, 1], [7, 1, 13]],
  [[4, 3], [2, 1, 3], [2, 4, 3]],
  [[0, 3], [1, 3], [0, 3]],
];

function naive(
  a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[], out: number[], f: (x: number, y: number) => number,
): number[] {
  const res: number[] = [];
  for (let i = 0; i < size(out); i++) {
    const idx = unravel(i, out);
    res.push(f(a[broadcastIndex(idx, as)]!, b[broadcastIndex(idx, bs)]!));
  }
  return res;
}

const F32: [BinaryOp, (x: number, y: number) => number][] = [
  ['add', (x, y) => x + y], ['sub', (x, y) => x - y], ['mul', (x, y) => x * y], ['div', (x, y) => x / y],
  ['pow', (x, y) => Math.pow(Math.abs(x), y)], ['maximum', Math.max], ['minimum', Math.min],
];
const CMP: [BinaryOp, (x: number, y: number) => boolean][] = [
  ['equal', (x, y) => x === y], ['notEqual', (x, y) => x !== y], ['less', (x, y) => x < y],
  ['lessEqual', (x, y) => x <= y], ['greater', (x, y) => x > y], ['greaterEqual', (x, y) => x >= y],
];

describe('binary kernel broadcasting (float32)', () => {
  const h = new Harness();
  SHAPE_PAIRS.forEach(([as, bs, os], n) => {
    it(`${JSON.stringify(as)} ∘ ${JSON.stringify(bs)} → ${JSON.stringify(os)}`, () => {
      const av = randomF32(as, n * 2 + 1);
      const bv = randomF32(bs, n * 2 + 2);
      const absA = av.map(Math.abs);
      for (const [op, f] of F32) {
        const a = h.t(op === 'pow' ? absA : av, as);
        const out = h.read(h.backend.binary(op, a, h.t(bv, bs), os, 'float32'));
        expect(out).toBeInstanceOf(Float32Array);
        expectClose(out, naive(op === 'pow' ? absA : av, as, bv, bs, os, f).map(Math.fround), 1e-6, 1e-7);
      }
      for (const [op, f] of CMP) {
        // Quantise so that equality actually happens.
        const aq = av.map((v) => Math.round(v * 2));
        const bq = bv.map((v) => Math.round(v * 2));
        const out = h.read(h.backend.binary(op, h.t(aq, as), h.t(bq, bs), os, 'bool'));
        expect(out).toBeInstanceOf(Uint8Array);
        expect(Array.from(out), op).toEqual(naive(aq, as, bq, bs, os, (x, y) => (f(x, y) ? 1 : 0)));
      }
    });
  });

  it('propagates NaN through maximum / minimum and compares NaN as unordered', () => {
    const a = h.t([NaN, 1, NaN], [3]);
    const b = h.t([0, NaN, NaN], [3]);
    expectClose(h.read(h.backend.binary('maximum', a, b, [3], 'float32')), [NaN, NaN, NaN]);
    expectClose(h.read(h.backend.binary('minimum', a, b, [3], 'float32')), [NaN, NaN, NaN]);
    expect(Array.from(h.read(h.backend.binary('equal', a, b, [3], 'bool')))).toEqual([0, 0, 0]);
    expect(Array.from(h.read(h.backend.binary('notEqual', a, b, [3], 'bool')))).toEqual([1, 1, 1]);
  });

  it('pow follows C: 1^NaN = 1, x^0 = 1, negative base with fractional exponent is NaN', () => {
    const out = h.read(h.backend.binary('pow', h.t([1, NaN, -8, 2], [4]), h.t([NaN, 0, 0.5, -1], [4]), [4], 'float32'));
    expectClose(out, [1, 1, NaN, 0.5]);
  });
});

describe('binary kernel (int32 / bool)', () => {
  const h = new Harness();
  const wrap = (v: number | bigint): number => Number(BigInt.asIntN(32, BigInt(v)));
  const INT: [BinaryOp, (x: number, y: number) => number][] = [
    ['add', (x, y) => wrap(x + y)], ['sub', (x, y) => wrap(x - y)], ['mul', (x, y) => wrap(BigInt(x) * BigInt(y))],
    ['maximum', Math.max], ['minimum', Math.min],
  ];

  it('wraps add / sub / mul like C and keeps int32', () => {
    const av = Int32Array.from([2147483647, -2147483648, 123456789, -5, 7, 65536]);
    const bv = Int32Array.from([1, -1, 1000, 3, -7, 65536]);
    for (const [op, f] of INT) {
      const out = h.read(h.backend.binary(op, h.t(av, [6]), h.t(bv, [6]), [6], 'int32'));
      expect(out).toBeInstanceOf(Int32Array);
      expect(Array.from(out), op).toEqual(Array.from(av, (x, i) => f(x, bv[i]!)));
    }
  });

  it('broadcasts int32 ops', () => {
    const av = randomI32([3, 1, 4], 5);
    const bv = randomI32([2, 1], 6);
    for (const [op, f] of INT) {
      const out = h.read(h.backend.binary(op, h.t(av, [3, 1, 4]), h.t(bv, [2, 1]), [3, 2, 4], 'int32'));
      expect(Array.from(out), op).toEqual(naive(av, [3, 1, 4], bv, [2, 1], [3, 2, 4], f));
    }
  });

  it('integer pow', () => {
    const out = h.read(h.backend.binary('pow', h.t(Int32Array.from([2, -3, 5, 2, 0]), [5]), h.t(Int32Array.from([10, 3, 0, 31, 0]), [5]), [5], 'int32'));
    expect(Array.from(out)).toEqual([1024, -27, 1, -2147483648, 1]);
  });

  it('compares int32 and produces bool', () => {
    const out = h.read(h.backend.binary('less', h.t(Int32Array.from([1, 5]), [2]), h.t(Int32Array.from([3]), [1]), [2], 'bool'));
    expect(Array.from(out)).toEqual([1, 0]);
  });

  it('logicalAnd / logicalOr with broadcasting', () => {
    const a = h.t(new Uint8Array([0, 1]), [2, 1]);
    const b = h.t(new Uint8Array([0, 1, 1]), [3]);
    expect(Array.from(h.read(h.backend.binary('logicalAnd', a, b, [2, 3], 'bool')))).toEqual([0, 0, 0, 0, 1, 1]);
    expect(Array.from(h.read(h.backend.binary('logicalOr', a, b, [2, 3], 'bool')))).toEqual([0, 1, 1, 1, 1, 1]);
  });
});

describe('where kernel', () => {
  const h = new Harness();
  it('selects with three-way broadcasting', () => {
    const cs = [2, 1, 3];
    const as = [1, 4, 1];
    const bs = [4, 3];
    const os = [2, 4, 3];
    const cv = Uint8Array.from(randomF32(cs, 1), (v) => (v > 0 ? 1 : 0));
    const av = randomF32(as, 2);
    const bv = randomF32(bs, 3);
    const out = h.read(h.backend.where(h.t(cv, cs), h.t(av, as), h.t(bv, bs), os));
    const expected: number[] = [];
    for (let i = 0; i < size(os); i++) {
      const idx = unravel(i, os);
      expected.push(cv[broadcastIndex(idx, cs)] ? av[broadcastIndex(idx, as)]! : bv[broadcastIndex(idx, bs)]!);
    }
    expect(Array.from(out)).toEqual(expected);
  });

  it('keeps the dtype of a and b on the same-shape path', () => {
    const out = h.read(h.backend.where(h.t(new Uint8Array([1, 0]), [2]), h.t(Int32Array.from([1, 2]), [2]), h.t(Int32Array.from([3, 4]), [2]), [2]));
    expect(out).toBeInstanceOf(Int32Array);
    expect(Array.from(out)).toEqual([1, 4]);
  });
});

describe('cast kernel', () => {
  const h = new Harness();
  it('float32 → int32 truncates toward zero, → bool is x ≠ 0', () => {
    const x = h.t([1.9, -1.9, 0, -0, NaN, 2.5], [6]);
    expect(Array.from(h.read(h.backend.cast(x, 'int32')))).toEqual([1, -1, 0, 0, 0, 2]);
    expect(Array.from(h.read(h.backend.cast(x, 'bool')))).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('int32 / bool → float32 and same-dtype copies', () => {
    const xi = h.t(Int32Array.from([-3, 0, 16777217]), [3]);
    const f = h.read(h.backend.cast(xi, 'float32'));
    expect(f).toBeInstanceOf(Float32Array);
    expect(Array.from(f)).toEqual([-3, 0, 16777216]);
    expect(Array.from(h.read(h.backend.cast(h.t(new Uint8Array([1, 0]), [2]), 'int32')))).toEqual([1, 0]);
    const same = h.backend.cast(xi, 'int32');
    expect(same).not.toBe(xi.id);
    expect(Array.from(h.read(same))).toEqual([-3, 0, 16777217]);
  });
});

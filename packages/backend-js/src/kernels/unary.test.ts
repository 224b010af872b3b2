import { describe, expect, it } from 'vitest';
import type { UnaryOp } from '@scratchnet/core';
import { Harness, expectClose } from '../../test/helpers.js';
import { UNARY_DEFS } from '@scratchnet/core';

const erf = (x: number): number => UNARY_DEFS.erf.ts(x, 0);

const VALUES = [-50, -7.3, -3, -1.5, -0.5, -1e-4, 0, 1e-4, 0.5, 1.5, 2.5, 3, 6, 6.5, 7.3, 50, NaN, Infinity, -Infinity];

function f32(x: number): number {
  return Math.fround(x);
}

// A spot check of the generated loops against direct formulas; the conformance suite covers every op.
const FLOAT_REF: Partial<Record<Exclude<UnaryOp, 'logicalNot'>, (x: number, alpha: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (Number.isNaN(x) ? NaN : x > 700 ? 1 : x < -700 ? 0 : 1 / (1 + Math.exp(-x))),
  relu: (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0)),
  relu6: (x) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, 0), 6)),
  leakyRelu: (x, a) => (x > 0 ? x : a * x),
  elu: (x, a) => (x > 0 ? x : a * (Math.exp(x) - 1)),
  gelu: (x) => (x === -Infinity ? -0 : x === Infinity ? Infinity : 0.5 * x * (1 + erf(x / Math.SQRT2))),
  erf: (x) => erf(x),
  softplus: (x) => (x > 30 ? x : Math.log1p(Math.exp(x))),
  floor: Math.floor,
  ceil: Math.ceil,
  round: (x) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)),
};

describe('unary kernel (float32)', () => {
  const h = new Harness();
  const x = h.t(VALUES, [VALUES.length]);
  for (const [op, ref] of Object.entries(FLOAT_REF) as [UnaryOp, (x: number, a: number) => number][]) {
    it(op, () => {
      const alpha = 0.3;
      const out = h.read(h.backend.unary(op, x, 'float32', { alpha }));
      expect(out).toBeInstanceOf(Float32Array);
      const expected = VALUES.map((v) => f32(ref(f32(v), alpha)));
      // The 1 + erf reference loses the left tail of gelu to cancellation, hence its absolute tolerance.
      expectClose(out, expected, 2e-6, op === 'gelu' ? 1e-7 : 1e-30);
    });
  }

  it('sigmoid and softplus stay finite and exact in the tails', () => {
    const t = h.t([-1000, -100, 100, 1000], [4]);
    expect(Array.from(h.read(h.backend.unary('sigmoid', t, 'float32', {})))).toEqual([0, f32(Math.exp(-100)), 1, 1]);
    const sp = h.read(h.backend.unary('softplus', t, 'float32', {}));
    expect(Array.from(sp)).toEqual([0, f32(Math.exp(-100)), 100, 1000]);
  });

  it('round is half-to-even, sign(0) is 0', () => {
    const t = h.t([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997], [8]);
    expect(Array.from(h.read(h.backend.unary('round', t, 'float32', {})))).toEqual([-2, -2, -0, 0, 2, 2, 4, 0]);
    expect(Array.from(h.read(h.backend.unary('sign', h.t([0, -3, 2], [3]), 'float32', {})))).toEqual([0, -1, 1]);
  });

  it('leakyRelu and elu use alpha', () => {
    const t = h.t([-2, 3], [2]);
    expectClose(h.read(h.backend.unary('leakyRelu', t, 'float32', { alpha: 0.1 })), [-0.2, 3]);
    expectClose(h.read(h.backend.unary('elu', t, 'float32', { alpha: 2 })), [2 * Math.expm1(-2), 3]);
  });

  it('handles empty tensors', () => {
    expect(h.read(h.backend.unary('exp', h.t([], [0, 3]), 'float32', {})).length).toBe(0);
  });
});

describe('unary kernel (int32 / bool)', () => {
  const h = new Harness();
  const ints = [-2147483648, -7, -1, 0, 1, 5, 6, 7, 46341, 2147483647];
  const x = h.t(Int32Array.from(ints), [ints.length]);
  const cases: [UnaryOp, (v: number) => number][] = [
    ['neg', (v) => -v | 0],
    ['abs', (v) => Math.abs(v) | 0],
    ['sign', Math.sign],
    ['square', (v) => Number(BigInt.asIntN(32, BigInt(v) * BigInt(v)))],
    ['relu', (v) => Math.max(v, 0)],
    ['relu6', (v) => Math.min(Math.max(v, 0), 6)],
  ];
  for (const [op, ref] of cases) {
    it(`${op} wraps like int32`, () => {
      const out = h.read(h.backend.unary(op, x, 'int32', {}));
      expect(out).toBeInstanceOf(Int32Array);
      expect(Array.from(out)).toEqual(ints.map(ref));
    });
  }

  it('logicalNot flips bools', () => {
    const out = h.read(h.backend.unary('logicalNot', h.t(new Uint8Array([1, 0, 0, 1]), [2, 2]), 'bool', {}));
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Array.from(out)).toEqual([0, 1, 1, 0]);
  });
});

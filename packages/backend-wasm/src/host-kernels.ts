/**
 * The int32 and bool kernels, run in JS directly on views of the wasm memory (the contract allows it;
 * these are never the float32 hot paths). Semantics follow core's TSDoc: int32 arithmetic wraps like C,
 * comparisons give bool, pow of int32 is the wrapping integer power.
 */
import { REDUCE_DEFS } from '@scratchnet/core';
import type { BinaryOp, DType, ReduceOp, TypedArray, UnaryOp } from '@scratchnet/core';
import type { Walk } from './shapes.js';

/** Calls `row(offsets, n)` for every run along the last axis of a walk; offsets[k] is operand k's start. */
export function forEachRow(walk: Walk, base: readonly number[], row: (offsets: readonly number[], n: number) => void): void {
  const rank = walk.shape.length;
  const n = walk.shape[rank - 1]!;
  const k = walk.strides.length;
  const idx = new Array<number>(rank).fill(0);
  const off = base.slice();
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= walk.shape[d]!;
  if (n === 0) return;
  for (let r = 0; r < rows; r++) {
    row(off, n);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]! += 1;
      for (let q = 0; q < k; q++) off[q]! += walk.strides[q]![d]!;
      if (idx[d]! < walk.shape[d]!) break;
      for (let q = 0; q < k; q++) off[q]! -= walk.strides[q]![d]! * walk.shape[d]!;
      idx[d] = 0;
    }
  }
}

/** int32 / bool unary ops (neg abs sign square relu relu6 on int32; logicalNot on bool). */
export function intUnary(op: UnaryOp, x: Int32Array | Uint8Array, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case 'logicalNot':
      for (let i = 0; i < n; i++) out[i] = x[i] === 0 ? 1 : 0;
      return;
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i]! | 0;
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!) | 0;
      return;
    case 'sign':
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = Math.imul(x[i]!, x[i]!);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = Math.max(x[i]!, 0);
      return;
    case 'relu6':
      for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i]!, 0), 6);
      return;
    default:
      throw new Error(`wasm backend: unary '${op}' has no integer form`);
  }
}

/** Integer power with 32-bit wrap-around; negative exponents truncate 1/xⁿ toward zero. */
function intPow(x: number, y: number): number {
  if (y < 0) {
    if (x === 1) return 1;
    if (x === -1) return (y & 1) === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let b = x | 0;
  let e = y;
  while (e > 0) {
    if ((e & 1) !== 0) result = Math.imul(result, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return result;
}

function scalarBinary(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => (a + b) | 0;
    case 'sub': return (a, b) => (a - b) | 0;
    case 'mul': return (a, b) => Math.imul(a, b);
    case 'div': return (a, b) => (b === 0 ? 0 : (a / b) | 0);
    case 'pow': return intPow;
    case 'maximum': return (a, b) => Math.max(a, b);
    case 'minimum': return (a, b) => Math.min(a, b);
    case 'equal': return (a, b) => (a === b ? 1 : 0);
    case 'notEqual': return (a, b) => (a !== b ? 1 : 0);
    case 'less': return (a, b) => (a < b ? 1 : 0);
    case 'lessEqual': return (a, b) => (a <= b ? 1 : 0);
    case 'greater': return (a, b) => (a > b ? 1 : 0);
    case 'greaterEqual': return (a, b) => (a >= b ? 1 : 0);
    case 'logicalAnd': return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'logicalOr': return (a, b) => (a !== 0 || b !== 0 ? 1 : 0);
  }
}

/** Broadcasting int32 / bool binary op over a merged walk of [out, a, b]. */
export function intBinary(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, walk: Walk): void {
  const f = scalarBinary(op);
  const last = walk.shape.length - 1;
  const so = walk.strides[0]![last]!;
  const sa = walk.strides[1]![last]!;
  const sb = walk.strides[2]![last]!;
  forEachRow(walk, [0, 0, 0], (off, n) => {
    for (let i = 0, o = off[0]!, p = off[1]!, q = off[2]!; i < n; i++, o += so, p += sa, q += sb) out[o] = f(a[p]!, b[q]!);
  });
}

/** Broadcasting where over a merged walk of [out, cond, a, b] (any element type). */
export function hostWhere(cond: Uint8Array, a: TypedArray, b: TypedArray, out: TypedArray, walk: Walk): void {
  const last = walk.shape.length - 1;
  const [so, sc, sa, sb] = walk.strides.map((s) => s[last]!) as [number, number, number, number];
  forEachRow(walk, [0, 0, 0, 0], (off, n) => {
    for (let i = 0, o = off[0]!, c = off[1]!, p = off[2]!, q = off[3]!; i < n; i++, o += so, c += sc, p += sa, q += sb) {
      out[o] = cond[c] !== 0 ? a[p]! : b[q]!;
    }
  });
}

/** Converts between dtypes: float → int32 truncates toward zero (NaN → 0), → bool is x ≠ 0. */
export function castInto(x: TypedArray, out: TypedArray, dtype: DType): void {
  if (dtype === 'bool') {
    for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
    return;
  }
  out.set(x);
}

/**
 * int32 reductions of x [outer, r, inner] over r (r ≥ 1) into out [outer, inner] (int32): the combine
 * steps and arg tests of core's REDUCE_DEFS, applied from the first element on.
 */
export function intReduce(op: ReduceOp, x: TypedArray, out: TypedArray, outer: number, r: number, inner: number): void {
  const def = REDUCE_DEFS[op];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * r * inner + j;
      let acc = x[base]!;
      let at = 0;
      if (def.kind === 'fold') {
        for (let q = 1; q < r; q++) acc = def.tsInt(acc, x[base + q * inner]!);
      } else {
        for (let q = 1; q < r; q++) {
          const v = x[base + q * inner]!;
          if (def.tsInt(acc, v)) {
            acc = v;
            at = q;
          }
        }
      }
      out[o * inner + j] = def.kind === 'fold' ? acc : at;
    }
  }
}

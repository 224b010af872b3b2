/**
 * The int32 and bool kernels, run in JS directly on views of the wasm memory (these are never the
 * float32 hot paths), with the TypeScript forms of core's op tables.
 */
import { REDUCE_DEFS, castArray, dtypeOfArray, type BinaryDef, type DType, type ReduceOp, type TypedArray, type UnaryDef } from '@scratchnet/core';
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

/** The int32 or bool form of a unary op (core sends int32 only to 'numeric' ops, bool only to 'bool' ops). */
export function hostUnary(def: UnaryDef, x: TypedArray, out: TypedArray): void {
  if (def.input === 'float') throw new Error('wasm backend: a float-only unary op reached the host path');
  const f = def.input === 'bool' ? def.tsBool : def.tsInt;
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
}

/** Broadcasting int32 / bool binary op over a merged walk of [out, a, b], with core's integer forms. */
export function hostBinary(def: BinaryDef, a: TypedArray, b: TypedArray, out: TypedArray, walk: Walk): void {
  const last = walk.shape.length - 1;
  const so = walk.strides[0]![last]!;
  const sa = walk.strides[1]![last]!;
  const sb = walk.strides[2]![last]!;
  if (def.kind === 'arith') {
    if (!def.int) throw new Error('wasm backend: a float-only binary op reached the host path');
    const f = def.tsInt;
    forEachRow(walk, [0, 0, 0], (off, n) => {
      for (let i = 0, o = off[0]!, p = off[1]!, q = off[2]!; i < n; i++, o += so, p += sa, q += sb) out[o] = f(a[p]!, b[q]!);
    });
    return;
  }
  const test = def.ts;
  forEachRow(walk, [0, 0, 0], (off, n) => {
    for (let i = 0, o = off[0]!, p = off[1]!, q = off[2]!; i < n; i++, o += so, p += sa, q += sb) out[o] = test(a[p]!, b[q]!) ? 1 : 0;
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

/**
 * Converts between dtypes with core's host conversion (castArray): float → int32 truncates toward zero
 * (NaN → 0), → bool is x ≠ 0, → float16 rounds to the nearest half; the source dtype is x's own.
 */
export function castInto(x: TypedArray, out: TypedArray, dtype: DType): void {
  out.set(castArray(x, dtypeOfArray(x), dtype));
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

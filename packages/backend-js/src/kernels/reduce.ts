import { REDUCE_DEFS, isArgReduce, type ArgReduceOp, type DType, type FoldReduceOp, type ReduceOp, type TypedArray } from '@scratchnet/core';
import { allocFor } from '../storage.js';

/** Folds x [outer, r, inner] over r into acc [outer · inner] with `f`, starting from the first row. */
type Fold = (x: TypedArray, outer: number, r: number, inner: number, acc: Float64Array) => void;
/** Writes the first index along r of the winning value for each [outer, inner] cell. */
type ArgScan = (x: TypedArray, outer: number, r: number, inner: number, out: Int32Array) => void;

/** Makes a fold over the middle axis from a combine step of core's table (whole rows lane-wise when inner > 1). */
function foldWith(f: (a: number, b: number) => number): Fold {
  return (x, outer, r, inner, acc) => {
    for (let o = 0; o < outer; o++) {
      const base = o * r * inner;
      const ob = o * inner;
      if (inner === 1) {
        let a = x[base]!;
        for (let q = 1; q < r; q++) a = f(a, x[base + q]!);
        acc[o] = a;
        continue;
      }
      for (let j = 0; j < inner; j++) acc[ob + j] = x[base + j]!;
      for (let q = 1; q < r; q++) {
        const row = base + q * inner;
        for (let j = 0; j < inner; j++) acc[ob + j] = f(acc[ob + j]!, x[row + j]!);
      }
    }
  };
}

/** Makes an arg scan from a `beats(best, value)` test of core's table. */
function argWith(beats: (a: number, b: number) => boolean): ArgScan {
  return (x, outer, r, inner, out) => {
    const best = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * r * inner;
      const ob = o * inner;
      for (let j = 0; j < inner; j++) best[j] = x[base + j]!;
      for (let q = 1; q < r; q++) {
        const row = base + q * inner;
        for (let j = 0; j < inner; j++) {
          const v = x[row + j]!;
          if (beats(best[j]!, v)) {
            best[j] = v;
            out[ob + j] = q;
          }
        }
      }
    }
  };
}

/** Float32 fold loops, one literal per op so each loop's combine step is inlined (the hot path). */
interface FloatFold {
  /** Folds x[s .. s + n) into one value, starting from x[s]. */
  readonly row: (x: TypedArray, s: number, n: number) => number;
  /** acc[j] = combine(acc[j], x[s + j]) for j < n. */
  readonly cols: (acc: Float64Array, a0: number, x: TypedArray, s: number, n: number) => void;
}

/**
 * The float32 loops spell out REDUCE_DEFS[op].ts (a shared loop calling the table's function becomes
 * megamorphic and runs several times slower); reduce.test.ts holds each loop to the table's form.
 */
const FLOAT_FOLDS = {
  sum: {
    row: (x, s, n) => { let a = x[s]!; for (let i = s + 1; i < s + n; i++) a += x[i]!; return a; },
    cols: (acc, a0, x, s, n) => { for (let j = 0; j < n; j++) acc[a0 + j]! += x[s + j]!; },
  },
  prod: {
    row: (x, s, n) => { let a = x[s]!; for (let i = s + 1; i < s + n; i++) a *= x[i]!; return a; },
    cols: (acc, a0, x, s, n) => { for (let j = 0; j < n; j++) acc[a0 + j]! *= x[s + j]!; },
  },
  max: {
    row: (x, s, n) => {
      let a = x[s]!;
      for (let i = s + 1; i < s + n; i++) { const b = x[i]!; if (b > a || b !== b) a = b; }
      return a;
    },
    cols: (acc, a0, x, s, n) => {
      for (let j = 0; j < n; j++) { const b = x[s + j]!; if (b > acc[a0 + j]! || b !== b) acc[a0 + j] = b; }
    },
  },
  min: {
    row: (x, s, n) => {
      let a = x[s]!;
      for (let i = s + 1; i < s + n; i++) { const b = x[i]!; if (b < a || b !== b) a = b; }
      return a;
    },
    cols: (acc, a0, x, s, n) => {
      for (let j = 0; j < n; j++) { const b = x[s + j]!; if (b < acc[a0 + j]! || b !== b) acc[a0 + j] = b; }
    },
  },
} satisfies Record<FoldReduceOp, FloatFold>;

/** Runs a float32 fold over x [outer, r, inner]. */
function foldFloat(f: FloatFold, x: TypedArray, outer: number, r: number, inner: number, acc: Float64Array): void {
  for (let o = 0; o < outer; o++) {
    const base = o * r * inner;
    if (inner === 1) {
      acc[o] = f.row(x, base, r);
      continue;
    }
    const ob = o * inner;
    for (let j = 0; j < inner; j++) acc[ob + j] = x[base + j]!;
    for (let q = 1; q < r; q++) f.cols(acc, ob, x, base + q * inner, inner);
  }
}

/** int32 folds (off the hot path) and the arg scans, straight from core's table. */
const INT_FOLDS = {
  sum: foldWith(REDUCE_DEFS.sum.tsInt),
  prod: foldWith(REDUCE_DEFS.prod.tsInt),
  max: foldWith(REDUCE_DEFS.max.tsInt),
  min: foldWith(REDUCE_DEFS.min.tsInt),
} satisfies Record<FoldReduceOp, Fold>;
const ARGS = {
  argmax: { float32: argWith(REDUCE_DEFS.argmax.ts), int32: argWith(REDUCE_DEFS.argmax.tsInt) },
  argmin: { float32: argWith(REDUCE_DEFS.argmin.ts), int32: argWith(REDUCE_DEFS.argmin.tsInt) },
} satisfies Record<ArgReduceOp, Record<'float32' | 'int32', ArgScan>>;

/**
 * Reduces x, of shape [outer, r, inner] (all ≥ 1; float32 or int32), over its middle axis into
 * [outer, inner] of `outDtype` (the input's dtype for sum / prod / max / min, int32 for argmax / argmin).
 * Float folds accumulate in double precision and round once.
 */
export function reduceKernel(op: ReduceOp, x: TypedArray, shape: readonly number[], outDtype: DType): TypedArray {
  const [outer, r, inner] = shape as [number, number, number];
  const kind = x instanceof Float32Array ? 'float32' : 'int32';
  if (isArgReduce(op)) {
    const out = new Int32Array(outer * inner);
    ARGS[op][kind](x, outer, r, inner, out);
    return out;
  }
  const acc = new Float64Array(outer * inner);
  if (kind === 'float32') foldFloat(FLOAT_FOLDS[op], x, outer, r, inner, acc);
  else INT_FOLDS[op](x, outer, r, inner, acc);
  const out = allocFor(outDtype, acc.length);
  out.set(acc);
  return out;
}

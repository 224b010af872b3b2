/** Test helpers: a seeded RNG, tensor plumbing around JsBackend, closeness checks, naive index math. */
import { expect } from 'vitest';
import type { Conv2dInfo, DType, TensorRef, TypedArray } from '@scratchnet/core';
import { JsBackend } from '../src/js-backend.js';

/** A small deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Product of dimensions. */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Uniform float32 values in [-1, 1). */
export function randomF32(shape: readonly number[], seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = r() * 2 - 1;
  return out;
}

/** Uniform int32 values in [lo, hi). */
export function randomI32(shape: readonly number[], seed: number, lo = -10, hi = 10): Int32Array {
  const r = rng(seed);
  const out = new Int32Array(size(shape));
  for (let i = 0; i < out.length; i++) out[i] = lo + Math.floor(r() * (hi - lo));
  return out;
}

/** A backend plus shortcuts to upload arrays as TensorRefs and read results synchronously. */
export class Harness {
  readonly backend = new JsBackend();

  /** Uploads `values` with `shape` (dtype from the array type unless given). */
  t(values: TypedArray | number[], shape: readonly number[], dtype?: DType): TensorRef {
    const dt: DType = dtype ?? (values instanceof Int32Array ? 'int32' : values instanceof Uint8Array ? 'bool' : 'float32');
    let arr: TypedArray;
    if (Array.isArray(values)) arr = dt === 'float32' ? Float32Array.from(values) : dt === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
    else arr = values;
    return { id: this.backend.write(arr, dt), shape, dtype: dt };
  }

  /** Reads data back synchronously. */
  read(id: ReturnType<JsBackend['write']>): TypedArray {
    return this.backend.readSync(id);
  }
}

/** Expects two arrays to be elementwise close (|a−b| ≤ atol + rtol·|b|), NaN matching NaN. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`index ${i}: expected NaN, got ${a}`);
      continue;
    }
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`index ${i}: expected ${e}, got ${a}`);
  }
}

/** Row-major multi-index of flat index `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

/** Flat index of a broadcast multi-index (aligned right, size-1 axes read index 0) into `shape`. */
export function broadcastIndex(idx: readonly number[], shape: readonly number[]): number {
  const shift = idx.length - shape.length;
  let flat = 0;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    flat = flat * d + (d === 1 ? 0 : idx[i + shift]!);
  }
  return flat;
}

/** Conv / pool geometry with the output size derived from a bottom / right padding. */
export function convInfo(o: {
  n: number; c: number; h: number; w: number; outC: number; kh: number; kw: number;
  sh?: number; sw?: number; dh?: number; dw?: number; pt?: number; pl?: number; pb?: number; pr?: number; groups?: number;
}): Conv2dInfo {
  const sh = o.sh ?? 1, sw = o.sw ?? 1, dh = o.dh ?? 1, dw = o.dw ?? 1;
  const pt = o.pt ?? 0, pl = o.pl ?? 0, pb = o.pb ?? pt, pr = o.pr ?? pl;
  return {
    batch: o.n, inChannels: o.c, inHeight: o.h, inWidth: o.w, outChannels: o.outC,
    outHeight: Math.floor((o.h + pt + pb - dh * (o.kh - 1) - 1) / sh) + 1,
    outWidth: Math.floor((o.w + pl + pr - dw * (o.kw - 1) - 1) / sw) + 1,
    kernelHeight: o.kh, kernelWidth: o.kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw,
    padTop: pt, padLeft: pl, groups: o.groups ?? 1,
  };
}

/** Σ a·b in double precision. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

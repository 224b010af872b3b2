// Float32 reductions of x viewed as [outer, r, inner] over its middle axis, for outer rows [o0, o1).
// The host merges axes (and permutes when the reduced axes are not adjacent) to reach that form.
import { at, fill } from './simd';

export const R_SUM = 0, R_PROD = 1, R_MAX = 2, R_MIN = 3, R_ARGMAX = 4, R_ARGMIN = 5;

// @ts-ignore: decorator
@inline function combine(op: i32, acc: f32, v: f32): f32 {
  switch (op) {
    case R_SUM: return acc + v;
    case R_PROD: return acc * v;
    case R_MAX: return max(acc, v);
    default: return min(acc, v);
  }
}

// @ts-ignore: decorator
@inline function combineV(op: i32, acc: v128, v: v128): v128 {
  switch (op) {
    case R_SUM: return f32x4.add(acc, v);
    case R_PROD: return f32x4.mul(acc, v);
    case R_MAX: return f32x4.max(acc, v);
    default: return f32x4.min(acc, v);
  }
}

// @ts-ignore: decorator
@inline function identity(op: i32): f32 {
  switch (op) {
    case R_SUM: return 0;
    case R_PROD: return 1;
    case R_MAX: return -Infinity;
    default: return Infinity;
  }
}

/** Reduces one contiguous row of n floats (four independent vector accumulators, then the lanes). */
// @ts-ignore: decorator
@inline function reduceRow(op: i32, x: usize, n: i32): f32 {
  let i = 0;
  let acc = identity(op);
  if (ASC_FEATURE_SIMD && n >= 16) {
    const id = f32x4.splat(identity(op));
    let v0 = id, v1 = id, v2 = id, v3 = id;
    for (; i + 16 <= n; i += 16) {
      const p = at(x, i);
      v0 = combineV(op, v0, v128.load(p));
      v1 = combineV(op, v1, v128.load(p, 16));
      v2 = combineV(op, v2, v128.load(p, 32));
      v3 = combineV(op, v3, v128.load(p, 48));
    }
    const v = combineV(op, combineV(op, v0, v1), combineV(op, v2, v3));
    acc = combine(op, combine(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), combine(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  for (; i < n; i++) acc = combine(op, acc, load<f32>(at(x, i)));
  return acc;
}

/** out[o, j] = op over q of x[o, q, j], inner > 1: whole rows combined lane-wise. */
// @ts-ignore: decorator
@inline function reduceColumns(op: i32, x: usize, out: usize, r: i32, inner: i32, o: i32): void {
  const dst = at(out, o * inner);
  fill(dst, inner, identity(op));
  for (let q = 0; q < r; q++) {
    const src = at(x, (o * r + q) * inner);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= inner; j += 4) v128.store(at(dst, j), combineV(op, v128.load(at(dst, j)), v128.load(at(src, j))));
    }
    for (; j < inner; j++) store<f32>(at(dst, j), combine(op, load<f32>(at(dst, j)), load<f32>(at(src, j))));
  }
}

// @ts-ignore: decorator
@inline function reduceRange(op: i32, x: usize, out: usize, r: i32, inner: i32, o0: i32, o1: i32): void {
  if (inner == 1) {
    for (let o = o0; o < o1; o++) store<f32>(at(out, o), reduceRow(op, at(x, o * r), r));
  } else {
    for (let o = o0; o < o1; o++) reduceColumns(op, x, out, r, inner, o);
  }
}

/** First index along the middle axis of the extreme value (a NaN wins); writes int32. */
function argReduce(isMax: bool, x: usize, out: usize, r: i32, inner: i32, o0: i32, o1: i32): void {
  for (let o = o0; o < o1; o++) {
    for (let j = 0; j < inner; j++) {
      const base = at(x, o * r * inner + j);
      let best = load<f32>(base);
      let idx = 0;
      if (best == best) {
        for (let q = 1; q < r; q++) {
          const v = load<f32>(at(base, q * inner));
          if (v != v) {
            idx = q;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            idx = q;
          }
        }
      }
      store<i32>(at(out, o * inner + j), idx);
    }
  }
}

/** Reduces x [outer, r, inner] over r for outer rows [o0, o1) into out [outer, inner]. */
export function reduce(op: i32, x: usize, out: usize, r: i32, inner: i32, o0: i32, o1: i32): void {
  switch (op) {
    case R_SUM: reduceRange(R_SUM, x, out, r, inner, o0, o1); break;
    case R_PROD: reduceRange(R_PROD, x, out, r, inner, o0, o1); break;
    case R_MAX: reduceRange(R_MAX, x, out, r, inner, o0, o1); break;
    case R_MIN: reduceRange(R_MIN, x, out, r, inner, o0, o1); break;
    case R_ARGMAX: argReduce(true, x, out, r, inner, o0, o1); break;
    default: argReduce(false, x, out, r, inner, o0, o1);
  }
}

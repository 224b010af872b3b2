// Float32 reductions of a contiguous x [outer, r, inner] over its middle axis (r ≥ 1), for outer rows
// [o0, o1): the one layout core hands every backend. The op-specific parts (op codes, combine steps,
// identities, the dispatch that specialises each loop per op) are generated from core's REDUCE_DEFS by
// scripts/build-wasm.mjs into assembly/generated/.
import { at } from './simd';
import { beats, combine, combineV, identity } from './generated/reduce-ops';

/** Reduces one contiguous row of n floats (four independent vector accumulators, then the lanes). */
// @ts-ignore: decorator
@inline function foldRow(op: i32, x: usize, n: i32): f32 {
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

/** out[o, j] = op over q of x[o, q, j] for inner > 1: whole rows combined lane-wise, from the first row. */
// @ts-ignore: decorator
@inline function foldColumns(op: i32, x: usize, out: usize, r: i32, inner: i32, o: i32): void {
  const dst = at(out, o * inner);
  memory.copy(dst, at(x, o * r * inner), <usize>inner << 2);
  for (let q = 1; q < r; q++) {
    const src = at(x, (o * r + q) * inner);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= inner; j += 4) v128.store(at(dst, j), combineV(op, v128.load(at(dst, j)), v128.load(at(src, j))));
    }
    for (; j < inner; j++) store<f32>(at(dst, j), combine(op, load<f32>(at(dst, j)), load<f32>(at(src, j))));
  }
}

/** A fold op (sum, prod, max, min) over outer rows [o0, o1); `op` is a constant at every call site. */
// @ts-ignore: decorator
@inline export function foldRange(op: i32, x: usize, out: usize, r: i32, inner: i32, o0: i32, o1: i32): void {
  if (inner == 1) {
    for (let o = o0; o < o1; o++) store<f32>(at(out, o), foldRow(op, at(x, o * r), r));
  } else {
    for (let o = o0; o < o1; o++) foldColumns(op, x, out, r, inner, o);
  }
}

/** An arg op (argmax, argmin): the first index along r whose value beats all earlier ones; writes int32. */
// @ts-ignore: decorator
@inline export function argRange(op: i32, x: usize, out: usize, r: i32, inner: i32, o0: i32, o1: i32): void {
  for (let o = o0; o < o1; o++) {
    for (let j = 0; j < inner; j++) {
      const base = at(x, o * r * inner + j);
      let best = load<f32>(base);
      let idx = 0;
      for (let q = 1; q < r; q++) {
        const v = load<f32>(at(base, q * inner));
        if (beats(op, best, v)) {
          best = v;
          idx = q;
        }
      }
      store<i32>(at(out, o * inner + j), idx);
    }
  }
}

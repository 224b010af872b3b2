// Small helpers shared by the kernels. `ASC_FEATURE_*` are compile-time constants, so every
// `if (ASC_FEATURE_SIMD)` below is resolved by the compiler: the scalar build never sees v128 code.

/** a·b + c on four lanes: one fused multiply-add in the relaxed-SIMD build, mul then add otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Byte address of float element `i` after `base`. */
// @ts-ignore: decorator
@inline export function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** Fills `n` floats at `p` with `v`. */
export function fill(p: usize, n: i32, v: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vv = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), vv);
  }
  for (; i < n; i++) store<f32>(at(p, i), v);
}

// The SIMD peak microbenchmark: 12 independent accumulator chains (enough to hide FMA latency), no
// memory traffic. Each iteration does 12 four-lane multiply-adds = 96 flops.
import { madd } from './simd';

/** Runs `iters` iterations and returns a value depending on every chain so nothing is optimised away. */
export function peak(iters: i32, seed: f32): f32 {
  if (!ASC_FEATURE_SIMD) {
    let s0 = seed, s1 = seed + 1, s2 = seed + 2, s3 = seed + 3;
    for (let i = 0; i < iters; i++) {
      for (let j = 0; j < 6; j++) {
        s0 = s0 * 0.999 + 0.001; s1 = s1 * 0.999 + 0.001; s2 = s2 * 0.999 + 0.001; s3 = s3 * 0.999 + 0.001;
      }
    }
    return s0 + s1 + s2 + s3;
  }
  let a0 = f32x4.splat(seed), a1 = f32x4.splat(seed + 1), a2 = f32x4.splat(seed + 2), a3 = f32x4.splat(seed + 3);
  let a4 = f32x4.splat(seed + 4), a5 = f32x4.splat(seed + 5), a6 = f32x4.splat(seed + 6), a7 = f32x4.splat(seed + 7);
  let a8 = f32x4.splat(seed + 8), a9 = f32x4.splat(seed + 9), a10 = f32x4.splat(seed + 10), a11 = f32x4.splat(seed + 11);
  const m = f32x4.splat(0.999), c = f32x4.splat(0.001);
  for (let i = 0; i < iters; i++) {
    a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
    a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
    a8 = madd(a8, m, c); a9 = madd(a9, m, c); a10 = madd(a10, m, c); a11 = madd(a11, m, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const t = f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11));
  return f32x4.extract_lane(f32x4.add(s, t), 0);
}

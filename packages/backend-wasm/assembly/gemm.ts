// Packed, register-blocked single-precision GEMM in the BLIS style:
//   C[m×n] (+)= A[m×k] · B[k×n], any element strides for A and B, row stride ldc for C.
// Loops, outermost first: column blocks of NC, depth blocks of KC (B packed once per block into
// NR-wide panels), row blocks of MC (A packed into MR-tall panels), then NR×MR micro-tiles.
// A B micro-panel (KC×NR) stays in L1 while every A micro-panel of the row block streams past it.
import { at, fill, madd } from './simd';

// Block sizes for the caches of the machine kind the bench runs on (lscpu, /sys/devices/system/cpu/
// cpu0/cache: L1d 32 KiB 8-way and L2 1 MiB 8-way per core, L3 32 MiB shared): a KC×NR B micro-panel
// (16 KiB) and a KC×MR A micro-panel (12 KiB) share L1; the MC×KC A block (192 KiB) stays in L2 while
// every B micro-panel of the column block passes; the KC×NC B block (2 MiB) streams from L2 and L3.
// Variants compared in one process per CPU-second (KC 192–384, MC 96–192, NC 512 and 1024) came within
// ±3% of each other at n = 512 and 1024. KC = 512 then beat 256 by 3–6% on the GPT step's K = 384 and
// 512 products (one depth block: C is written once instead of stored and re-read per block), and
// matched it elsewhere (bench/gemm-ab.mjs, n = 128..1024 and the step's shapes).

/** Micro-tile rows: 6 where fused multiply-add frees registers, else 4. */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
export const NR: i32 = 8;
export const KC: i32 = 512;
export const MC: i32 = 96;
export const NC: i32 = 1024;

/** Scratch bytes one gemm call needs (packed A block, packed B block, an edge tile). */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4 + 64;
}

/**
 * Packs a full MR-row panel of row-major A (depth contiguous) four depth steps at a time: loads four
 * floats of each row and transposes them in registers, so the panel is written with whole-vector stores
 * (the scalar loop took 13% of an n = 128 matmul). Returns the depth steps packed (a multiple of 4).
 */
@inline function packPanelRows(kc: i32, src: usize, rsa: i32, dest: usize): i32 {
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    const rs = <usize>rsa << 2;
    for (; p + 4 <= kc; p += 4) {
      const s0 = src + (<usize>p << 2);
      const v0 = v128.load(s0);
      const v1 = v128.load(s0 + rs);
      const v2 = v128.load(s0 + 2 * rs);
      const v3 = v128.load(s0 + 3 * rs);
      // 4×4 transpose of rows 0–3: c_j holds depth step p + j of rows 0..3.
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      const c0 = i32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const c1 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const c2 = i32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const c3 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
      const d = dest + <usize>(p * MR) * 4;
      if (MR == 4) {
        v128.store(d, c0);
        v128.store(d, c1, 16);
        v128.store(d, c2, 32);
        v128.store(d, c3, 48);
      } else {
        // MR = 6: rows 4 and 5 interleave as pairs, and the four steps' 24 floats go out as 6 vectors.
        const v4 = v128.load(s0 + 4 * rs);
        const v5 = v128.load(s0 + 5 * rs);
        const u0 = i32x4.shuffle(v4, v5, 0, 4, 1, 5);
        const u1 = i32x4.shuffle(v4, v5, 2, 6, 3, 7);
        v128.store(d, c0);
        v128.store(d, i32x4.shuffle(u0, c1, 0, 1, 4, 5), 16);
        v128.store(d, i32x4.shuffle(c1, u0, 2, 3, 6, 7), 32);
        v128.store(d, c2, 48);
        v128.store(d, i32x4.shuffle(u1, c3, 0, 1, 4, 5), 64);
        v128.store(d, i32x4.shuffle(c3, u1, 2, 3, 6, 7), 80);
      }
    }
  }
  return p;
}

/** Packs rows [0, mc) × depth [0, kc) of A into MR-tall panels, each stored depth-major, zero-padded. */
function packA(mc: i32, kc: i32, a: usize, rsa: i32, csa: i32, pa: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const h = min(MR, mc - ir);
    const dest = pa + <usize>(ir * kc) * 4;
    if (csa == 1 && h == MR) {
      const src = at(a, ir * rsa);
      const done = packPanelRows(kc, src, rsa, dest);
      for (let r = 0; r < MR; r++) {
        const row = at(src, r * rsa);
        for (let p = done; p < kc; p++) store<f32>(at(dest, p * MR + r), load<f32>(at(row, p)));
      }
    } else if (csa == 1) {
      for (let r = 0; r < h; r++) {
        const src = at(a, (ir + r) * rsa);
        for (let p = 0; p < kc; p++) store<f32>(at(dest, p * MR + r), load<f32>(at(src, p)));
      }
    } else if (ASC_FEATURE_SIMD && rsa == 1 && h == MR) {
      // Transposed A: a depth step's MR rows are contiguous already.
      for (let p = 0; p < kc; p++) {
        const src = at(a, p * csa + ir);
        const d = at(dest, p * MR);
        v128.store(d, v128.load(src));
        if (MR == 6) store<u64>(d, load<u64>(src, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = at(a, p * csa + ir * rsa);
        const d = at(dest, p * MR);
        for (let r = 0; r < h; r++) store<f32>(at(d, r), load<f32>(at(src, r * rsa)));
      }
    }
    for (let r = h; r < MR; r++) {
      for (let p = 0; p < kc; p++) store<f32>(at(dest, p * MR + r), 0);
    }
  }
}

/**
 * Packs a full NR-column panel of column-major B (a transposed operand: depth contiguous per column)
 * four depth steps at a time: loads four floats of each of the 8 columns and transposes them in
 * registers as two 4×4 blocks. The scalar loop's strided stores took ~20% of an attention-sized a·bᵀ
 * (64×32 · (64×32)ᵀ). Returns the depth steps packed (a multiple of 4).
 */
@inline function packPanelCols(kc: i32, src: usize, csb: i32, dest: usize): i32 {
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    const cs = <usize>csb << 2;
    for (; p + 4 <= kc; p += 4) {
      const s0 = src + (<usize>p << 2);
      const d = dest + <usize>(p * NR) * 4;
      for (let h = 0; h < 2; h++) {
        const sh = s0 + <usize>(4 * h) * cs;
        const v0 = v128.load(sh);
        const v1 = v128.load(sh + cs);
        const v2 = v128.load(sh + 2 * cs);
        const v3 = v128.load(sh + 3 * cs);
        const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
        const dh = d + <usize>(16 * h);
        v128.store(dh, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
        v128.store(dh, i32x4.shuffle(t0, t2, 2, 3, 6, 7), NR * 4);
        v128.store(dh, i32x4.shuffle(t1, t3, 0, 1, 4, 5), NR * 8);
        v128.store(dh, i32x4.shuffle(t1, t3, 2, 3, 6, 7), NR * 12);
      }
    }
  }
  return p;
}

/** Packs depth [0, kc) × columns [0, nc) of B into NR-wide panels, each stored depth-major, zero-padded. */
function packB(kc: i32, nc: i32, b: usize, rsb: i32, csb: i32, pb: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const w = min(NR, nc - jr);
    const dest = pb + <usize>(jr * kc) * 4;
    if (csb == 1 && w == NR) {
      for (let p = 0; p < kc; p++) {
        const src = at(b, p * rsb + jr);
        const d = at(dest, p * NR);
        if (ASC_FEATURE_SIMD) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        } else {
          for (let j = 0; j < NR; j++) store<f32>(at(d, j), load<f32>(at(src, j)));
        }
      }
    } else {
      const src = at(b, jr * csb);
      const done = rsb == 1 && w == NR ? packPanelCols(kc, src, csb, dest) : 0;
      for (let j = 0; j < w; j++) {
        const col = at(src, j * csb);
        for (let p = done; p < kc; p++) store<f32>(at(dest, p * NR + j), load<f32>(at(col, p * rsb)));
      }
      for (let j = w; j < NR; j++) {
        for (let p = 0; p < kc; p++) store<f32>(at(dest, p * NR + j), 0);
      }
    }
  }
}

/** Copies the top-left rows × cols of an MR×NR tile into C, adding to C's values when `acc`. */
function storeEdge(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, acc: bool): void {
  if (ASC_FEATURE_SIMD && cols == NR) {
    // Short tiles of full width (the last rows of a 64- or 128-row block): whole-vector rows.
    for (let r = 0; r < rows; r++) {
      const src = at(tile, r * NR);
      const dst = at(c, r * ldc);
      let x0 = v128.load(src);
      let x1 = v128.load(src, 16);
      if (acc) {
        x0 = f32x4.add(x0, v128.load(dst));
        x1 = f32x4.add(x1, v128.load(dst, 16));
      }
      v128.store(dst, x0);
      v128.store(dst, x1, 16);
    }
    return;
  }
  for (let r = 0; r < rows; r++) storeEdgeRow(at(tile, r * NR), at(c, r * ldc), cols, acc);
}

/** Copies `cols` floats of one tile row into C (or adds them). */
@inline function storeEdgeRow(src: usize, dst: usize, cols: i32, acc: bool): void {
  for (let j = 0; j < cols; j++) {
    const v = load<f32>(at(src, j));
    store<f32>(at(dst, j), acc ? load<f32>(at(dst, j)) + v : v);
  }
}

/** Copies a whole MR×NR tile into C (or adds it to C); the scalar build's path (SIMD tiles write C themselves). */
function storeFull(tile: usize, c: usize, ldc: i32, acc: bool): void {
  for (let r = 0; r < MR; r++) storeEdgeRow(at(tile, r * NR), at(c, r * ldc), NR, acc);
}

// A full micro-tile keeps its accumulators in registers and writes (or adds) them straight into C:
// the kernel body is inlined into one function per store mode, so neither copy has a branch after the
// loop. (With the edge tile's branchy copy in the same function V8 kept the accumulators in memory
// inside the hot loop, 25 instead of 57 GFLOPS, so edge tiles still spill to `tile` and are copied by
// storeEdge.) Writing C directly saved the spill and the copy: 12 stores, 12–24 loads and a call per
// tile, which at kc = 32–128 (the attention products, K = 128 layers) was 10–25% of the tile's time.

/** One 8-float row of C to start the accumulators from: C's values when `acc`, else zeros. */
@inline function startLo(c: usize, acc: bool): v128 {
  return acc ? v128.load(c) : f32x4.splat(0);
}
@inline function startHi(c: usize, acc: bool): v128 {
  return acc ? v128.load(c, 16) : f32x4.splat(0);
}

/** Stores one 8-float row of accumulators into C at `c`. */
@inline function putRow(c: usize, x0: v128, x1: v128): void {
  v128.store(c, x0);
  v128.store(c, x1, 16);
}

/**
 * 6×8 tile with fused multiply-adds: 12 accumulators + 2 B vectors + 1 broadcast fit the 16 registers.
 * The result is stored at `c` with a row stride of `ld` bytes: C itself, or the spill tile (ld = NR·4)
 * for an edge tile that storeEdge then copies.
 */
@inline function tile6x8Body(kc: i32, a: usize, b: usize, c: usize, ld: usize, acc: bool): void {
  // Accumulating tiles start from C's values (loaded while registers are free) rather than adding C
  // after the loop: adding at the end, with every accumulator live, ran at 34 instead of 49 GFLOPS.
  let c00 = startLo(c, acc), c01 = startHi(c, acc);
  let c10 = startLo(c + ld, acc), c11 = startHi(c + ld, acc);
  let c20 = startLo(c + 2 * ld, acc), c21 = startHi(c + 2 * ld, acc);
  let c30 = startLo(c + 3 * ld, acc), c31 = startHi(c + 3 * ld, acc);
  let c40 = startLo(c + 4 * ld, acc), c41 = startHi(c + 4 * ld, acc);
  let c50 = startLo(c + 5 * ld, acc), c51 = startHi(c + 5 * ld, acc);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(a, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    av = v128.load32_splat(a, 20);
    c50 = madd(av, b0, c50);
    c51 = madd(av, b1, c51);
    a += 24;
    b += 32;
  }
  putRow(c, c00, c01);
  putRow(c + ld, c10, c11);
  putRow(c + 2 * ld, c20, c21);
  putRow(c + 3 * ld, c30, c31);
  putRow(c + 4 * ld, c40, c41);
  putRow(c + 5 * ld, c50, c51);
}

/**
 * 4×8 tile: the SIMD build's tile (separate multiply and add each need a temporary register, so only 8
 * accumulators), and the relaxed build's edge tile of up to 4 rows (fused). `as`: bytes from one depth
 * step of the packed A panel to the next (16 for 4-row panels, 24 for 6-row ones). Stores like tile6x8Body.
 */
@inline function tile4x8Body(kc: i32, a: usize, b: usize, c: usize, ld: usize, acc: bool, as: usize = 16): void {
  let c00 = startLo(c, acc), c01 = startHi(c, acc);
  let c10 = startLo(c + ld, acc), c11 = startHi(c + ld, acc);
  let c20 = startLo(c + 2 * ld, acc), c21 = startHi(c + 2 * ld, acc);
  let c30 = startLo(c + 3 * ld, acc), c31 = startHi(c + 3 * ld, acc);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a4 = v128.load(a);
    let av = i32x4.shuffle(a4, a4, 0, 0, 0, 0);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = i32x4.shuffle(a4, a4, 1, 1, 1, 1);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = i32x4.shuffle(a4, a4, 2, 2, 2, 2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = i32x4.shuffle(a4, a4, 3, 3, 3, 3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a += as;
    b += 32;
  }
  putRow(c, c00, c01);
  putRow(c + ld, c10, c11);
  putRow(c + 2 * ld, c20, c21);
  putRow(c + 3 * ld, c30, c31);
}

/** The SIMD tile of this build, its result stored or added at `c` with a row stride of `ld` bytes. */
@inline function tileSimd(kc: i32, a: usize, b: usize, c: usize, ld: usize, acc: bool): void {
  if (ASC_FEATURE_RELAXED_SIMD) tile6x8Body(kc, a, b, c, ld, acc);
  else tile4x8Body(kc, a, b, c, ld, acc);
}

/** A full tile written straight into C. */
function tileSet(kc: i32, a: usize, b: usize, c: usize, ld: usize): void {
  tileSimd(kc, a, b, c, ld, false);
}

/** A full tile added straight into C. */
function tileAdd(kc: i32, a: usize, b: usize, c: usize, ld: usize): void {
  tileSimd(kc, a, b, c, ld, true);
}

/**
 * The first four rows of a 6-row panel (the relaxed build's edge tiles of 1–4 rows: 64 = 10·6 + 4,
 * 128 = 21·6 + 2) with the 4×8 body, which skips the two padding rows' multiply-adds: 8 instead of 12
 * per depth step. Stored (or added) at `c` with row stride `ld`: C when four rows are wanted, else the
 * spill tile.
 */
function tileShortSet(kc: i32, a: usize, b: usize, c: usize, ld: usize): void {
  tile4x8Body(kc, a, b, c, ld, false, MR * 4);
}
function tileShortAdd(kc: i32, a: usize, b: usize, c: usize, ld: usize): void {
  tile4x8Body(kc, a, b, c, ld, true, MR * 4);
}

/** Portable tile for the scalar build. */
function tileScalar(kc: i32, a: usize, b: usize, tile: usize): void {
  fill(tile, MR * NR, 0);
  for (let p = 0; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      const av = load<f32>(at(a, r));
      const t = at(tile, r * NR);
      for (let j = 0; j < NR; j++) store<f32>(at(t, j), load<f32>(at(t, j)) + av * load<f32>(at(b, j)));
    }
    a += MR * 4;
    b += NR * 4;
  }
}

/** One MR×NR micro-tile: kc rank-1 updates from packed panels, then a store (or add) into C. */
function microKernel(kc: i32, a: usize, b: usize, c: usize, ldc: i32, rows: i32, cols: i32, acc: bool, tile: usize): void {
  if (ASC_FEATURE_SIMD) {
    if (rows == MR && cols == NR) {
      if (acc) tileAdd(kc, a, b, c, <usize>ldc << 2);
      else tileSet(kc, a, b, c, <usize>ldc << 2);
      return;
    }
    if (MR == 6 && rows <= 4) {
      if (rows == 4 && cols == NR) {
        if (acc) tileShortAdd(kc, a, b, c, <usize>ldc << 2);
        else tileShortSet(kc, a, b, c, <usize>ldc << 2);
        return;
      }
      tileShortSet(kc, a, b, tile, NR * 4);
    } else {
      tileSet(kc, a, b, tile, NR * 4);
    }
  } else {
    tileScalar(kc, a, b, tile);
    if (rows == MR && cols == NR) {
      storeFull(tile, c, ldc, acc);
      return;
    }
  }
  storeEdge(tile, c, ldc, rows, cols, acc);
}

/**
 * C (+)= A·B for single-precision matrices. A's element (i, p) is at a + 4·(i·rsa + p·csa), B's (p, j) at
 * b + 4·(p·rsb + j·csb), C's (i, j) at c + 4·(i·ldc + j). `accumulate` ≠ 0 adds to C instead of overwriting.
 * `work` is gemmWorkBytes() of scratch owned by the caller (one per thread).
 */
export function gemm(
  m: i32, n: i32, k: i32, a: usize, rsa: i32, csa: i32, b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (accumulate == 0) for (let i = 0; i < m; i++) fill(at(c, i * ldc), n, 0);
    return;
  }
  const w = (work + 63) & ~(<usize>63);
  const pa = w;
  const pb = pa + <usize>(MC * KC) * 4;
  const tile = pb + <usize>(KC * NC) * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(kc, nc, at(b, pc * rsb + jc * csb), rsb, csb, pb);
      const acc = accumulate != 0 || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(mc, kc, at(a, ic * rsa + pc * csa), rsa, csa, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const bp = pb + <usize>(jr * kc) * 4;
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, pa + <usize>(ir * kc) * 4, bp, at(c, (ic + ir) * ldc + jc + jr), ldc, min(MR, mc - ir), cols, acc, tile);
          }
        }
      }
    }
  }
}

/** Packed-B bytes per thread that gemmShared needs: all of k for one NC-wide column block, plus gemm's scratch. */
export function gemmSharedWorkBytes(n: i32, k: i32): f64 {
  const ncp = (min(NC, n) + NR - 1) / NR * NR;
  return <f64>(MC * KC + MR * NR + 16) * 4 + <f64>k * <f64>ncp * 4 + 128;
}

/**
 * Rows the next claim takes when `left` rows are left: a share of what is left (guided scheduling),
 * at most `chunk` and at least one micro-tile, in whole micro-tiles. Big claims first keep the counter
 * quiet; small ones at the end leave the threads at most one micro-tile row apart when they finish.
 */
@inline function claimSize(left: i32, chunk: i32, parts: i32, step: i32 = MR): i32 {
  const share = (left + 2 * parts - 1) / (2 * parts);
  return max(step, min(chunk, (share + step - 1) / step * step));
}

/** Takes the next rows from a counter the threads share; returns the first row taken (≥ m: none left). */
@inline function claim(counter: usize, m: i32, chunk: i32, parts: i32, step: i32 = MR): i32 {
  if (ASC_FEATURE_THREADS) {
    for (;;) {
      const v = atomic.load<i32>(counter);
      if (v >= m) return v;
      if (atomic.cmpxchg<i32>(counter, v, v + claimSize(m - v, chunk, parts, step)) == v) return v;
    }
  }
  const v = load<i32>(counter);
  if (v < m) store<i32>(counter, v + claimSize(m - v, chunk, parts, step));
  return v;
}

/** Rows taken so far from a shared counter. */
@inline function taken(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.load<i32>(counter);
  return load<i32>(counter);
}

/**
 * gemm for several threads at once, rows handed out dynamically: every thread calls it with the same
 * matrices and its own `work` (gemmSharedWorkBytes), and takes rows from the int32 counters at
 * `counters` (one per NC-wide column block, zeroed by the caller): at most `chunk` at a time, fewer as
 * the rows run out (claimSize, for `parts` threads). Each thread packs B once
 * per column block over the whole depth, so the rows it takes next cost no repacking, and a thread that
 * runs slower (its core shared with another process, a late wake-up) simply takes fewer chunks instead of
 * holding the others up. Requires k > 0.
 */
export function gemmShared(
  m: i32, n: i32, k: i32, a: usize, rsa: i32, csa: i32, b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: i32, work: usize, counters: usize, chunk: i32, parts: i32,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  parts = max(1, parts);
  const pa = (work + 63) & ~(<usize>63);
  const tile = pa + <usize>(MC * KC) * 4;
  const pb = (tile + <usize>(MR * NR) * 4 + 63) & ~(<usize>63);
  let jb = 0;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncp = (nc + NR - 1) / NR * NR;
    const counter = counters + (<usize>jb << 2);
    jb++;
    // A thread that starts late (woken late, or its core busy) finds the rows already taken: it skips
    // packing B rather than make the others wait for a packing it will not use.
    if (taken(counter) >= m) continue;
    for (let pc = 0; pc < k; pc += KC) {
      packB(min(KC, k - pc), nc, at(b, pc * rsb + jc * csb), rsb, csb, pb + <usize>(pc * ncp) * 4);
    }
    for (;;) {
      const i0 = claim(counter, m, chunk, parts);
      if (i0 >= m) break;
      const iEnd = min(m, i0 + claimSize(m - i0, chunk, parts));
      for (let pc = 0; pc < k; pc += KC) {
        const kc = min(KC, k - pc);
        const pbk = pb + <usize>(pc * ncp) * 4;
        const acc = accumulate != 0 || pc > 0;
        for (let ic = i0; ic < iEnd; ic += MC) {
          const mc = min(MC, iEnd - ic);
          packA(mc, kc, at(a, ic * rsa + pc * csa), rsa, csa, pa);
          for (let jr = 0; jr < nc; jr += NR) {
            const bp = pbk + <usize>(jr * kc) * 4;
            const cols = min(NR, nc - jr);
            for (let ir = 0; ir < mc; ir += MR) {
              microKernel(kc, pa + <usize>(ir * kc) * 4, bp, at(c, (ic + ir) * ldc + jc + jr), ldc, min(MR, mc - ir), cols, acc, tile);
            }
          }
        }
      }
    }
  }
}

/** Packed-A bytes per thread that gemmSharedCols needs: all of A (every row, the whole depth), plus gemm's scratch. */
export function gemmSharedColsWorkBytes(m: i32, k: i32): f64 {
  const mp = (m + MR - 1) / MR * MR;
  return <f64>(KC * NC + MR * NR + 16) * 4 + <f64>k * <f64>mp * 4 + 128;
}

/**
 * gemmShared's mirror for products wider than tall (n > m, e.g. a weight gradient aᵀ·b with few rows):
 * the threads take columns from the int32 counter at `counter` (zeroed by the caller), in whole NR-wide
 * panels, at most `chunk` at a time and fewer as they run out. Each thread packs all of A once (every
 * row over the whole depth), so a claim costs only the packing of its own columns of B; a thread that
 * runs slower takes fewer columns instead of holding the others up, which a fixed half per thread did.
 * `work` is gemmSharedColsWorkBytes(m, k) of this thread's own. Requires k > 0.
 */
export function gemmSharedCols(
  m: i32, n: i32, k: i32, a: usize, rsa: i32, csa: i32, b: usize, rsb: i32, csb: i32,
  c: usize, ldc: i32, accumulate: i32, work: usize, counter: usize, chunk: i32, parts: i32,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  parts = max(1, parts);
  if (taken(counter) >= n) return;
  const pb = (work + 63) & ~(<usize>63);
  const tile = pb + <usize>(KC * NC) * 4;
  const pa = (tile + <usize>(MR * NR) * 4 + 63) & ~(<usize>63);
  const mp = (m + MR - 1) / MR * MR;
  for (let pc = 0; pc < k; pc += KC) {
    packA(m, min(KC, k - pc), at(a, pc * csa), rsa, csa, pa + <usize>(pc * mp) * 4);
  }
  chunk = min(chunk, NC);
  for (;;) {
    const j0 = claim(counter, n, chunk, parts, NR);
    if (j0 >= n) break;
    const nc = min(n, j0 + claimSize(n - j0, chunk, parts, NR)) - j0;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const pak = pa + <usize>(pc * mp) * 4;
      packB(kc, nc, at(b, pc * rsb + j0 * csb), rsb, csb, pb);
      const acc = accumulate != 0 || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        for (let jr = 0; jr < nc; jr += NR) {
          const bp = pb + <usize>(jr * kc) * 4;
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(kc, pak + <usize>((ic + ir) * kc) * 4, bp, at(c, (ic + ir) * ldc + j0 + jr), ldc, min(MR, mc - ir), cols, acc, tile);
          }
        }
      }
    }
  }
}

/**
 * gemm over the items of a batched matmul, handed out one at a time from the int32 counter at `counter`
 * (zeroed by the caller): for many small items, each too small to split, the threads split the batch.
 * info = i32 [m, n, k, rsa, csa, rsb, csb, batch, aStep, bStep]: A's and B's items lie aStep and bStep
 * elements apart (0 broadcasts one item), C's m·n apart. `work` is gemmWorkBytes() of this thread's own.
 */
export function gemmBatch(info: usize, a: usize, b: usize, c: usize, work: usize, counter: usize): void {
  const m = load<i32>(info);
  const n = load<i32>(info, 4);
  const k = load<i32>(info, 8);
  const rsa = load<i32>(info, 12);
  const csa = load<i32>(info, 16);
  const rsb = load<i32>(info, 20);
  const csb = load<i32>(info, 24);
  const batch = load<i32>(info, 28);
  const aStep = load<i32>(info, 32);
  const bStep = load<i32>(info, 36);
  for (;;) {
    let i: i32;
    if (ASC_FEATURE_THREADS) i = atomic.add<i32>(counter, 1);
    else {
      i = load<i32>(counter);
      store<i32>(counter, i + 1);
    }
    if (i >= batch) break;
    gemm(m, n, k, at(a, i * aStep), rsa, csa, at(b, i * bStep), rsb, csb, at(c, i * m * n), n, 0, work);
  }
}

/**
 * A cache-blocked single-precision GEMM in plain JS (Goto-style): B is packed into KC×NR column panels,
 * A into MC×KC blocks of MR-row panels (both as float64 so the inner loop does no conversions), and a
 * 4×4 register-blocked micro-kernel accumulates in 16 locals. Operands are arbitrary strided views, so
 * transposes and im2col layouts are handled by packing rather than by copies. Products with one or two
 * rows or columns skip packing and use plain loops.
 */

/** A strided 2-D view of a float32 buffer: element (r, c) is data[offset + r·rowStride + c·colStride]. */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

// Packing buffers are shared: JS is single-threaded and gemm never re-enters itself.
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const edgeTile = new Float64Array(MR * NR);
let rowAcc = new Float64Array(0);

/** Up to this many rows (or columns) packing costs more than it saves: plain loops instead. */
const SKINNY = 2;

/**
 * C[m×n] (row stride ldc, starting at cOffset) = A[m×k] · B[k×n], or += when `accumulate`.
 * Sizes may be anything ≥ 0; k = 0 gives zeros (or leaves C as is when accumulating).
 */
export function gemm(
  m: number, n: number, k: number,
  a: MatrixView, b: MatrixView,
  c: Float32Array, cOffset: number, ldc: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
    return;
  }
  if (m <= SKINNY || n <= SKINNY) {
    gemmSkinny(m, n, k, a, b, c, cOffset, ldc, accumulate);
    return;
  }
  const kcMax = Math.min(KC, k);
  const needB = kcMax * Math.min(NC, roundUp(n, NR));
  const needA = kcMax * Math.min(MC, roundUp(m, MR));
  if (packB.length < needB) packB = new Float64Array(needB);
  if (packA.length < needA) packA = new Float64Array(needA);
  const Ap = packA;
  const Bp = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsB(b, pc, kc, jc, nc, Bp);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelsA(a, ic, mc, pc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const w = Math.min(NR, nc - jr);
          const bi = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const h = Math.min(MR, mc - ir);
            microKernel(kc, Ap, ir * kc, Bp, bi, c, cOffset + (ic + ir) * ldc + jc + jr, ldc, h, w, add);
          }
        }
      }
    }
  }
}

/**
 * GEMM for very few rows or columns (matrix-vector products): no packing. With a row-contiguous B each
 * row of C is built as Σ_p A[i,p]·B[p,:] in a float64 row accumulator, streaming through B; otherwise
 * every C element is one dot product.
 */
function gemmSkinny(
  m: number, n: number, k: number, a: MatrixView, b: MatrixView, c: Float32Array, cOffset: number, ldc: number, accumulate: boolean,
): void {
  const A = a.data;
  const B = b.data;
  const ars = a.rowStride;
  const acs = a.colStride;
  const brs = b.rowStride;
  const bcs = b.colStride;
  if (bcs === 1 && n > SKINNY) {
    if (rowAcc.length < n) rowAcc = new Float64Array(n);
    const acc = rowAcc;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      let ai = a.offset + i * ars;
      let bi = b.offset;
      for (let p = 0; p < k; p++, ai += acs, bi += brs) {
        const av = A[ai]!;
        for (let j = 0; j < n; j++) acc[j]! += av * B[bi + j]!;
      }
      const ci = cOffset + i * ldc;
      if (accumulate) for (let j = 0; j < n; j++) c[ci + j]! += acc[j]!;
      else for (let j = 0; j < n; j++) c[ci + j] = acc[j]!;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ai = a.offset + i * ars;
      let bi = b.offset + j * bcs;
      for (let p = 0; p < k; p++, ai += acs, bi += brs) s += A[ai]! * B[bi]!;
      if (accumulate) c[ci + j]! += s;
      else c[ci + j] = s;
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Packs A[i0 .. i0+mc) × [p0 .. p0+kc) as MR-row panels: panel r holds Ap[r·kc·MR + p·MR + i]. Pads rows with 0. */
function packPanelsA(a: MatrixView, i0: number, mc: number, p0: number, kc: number, Ap: Float64Array): void {
  const src = a.data;
  const rs = a.rowStride;
  const cs = a.colStride;
  for (let ir = 0; ir < mc; ir += MR) {
    const base = ir * kc;
    const h = Math.min(MR, mc - ir);
    if (h === MR && rs === 1) {
      let s = a.offset + i0 + ir + p0 * cs;
      for (let p = 0, dst = base; p < kc; p++, dst += MR, s += cs) {
        Ap[dst] = src[s]!;
        Ap[dst + 1] = src[s + 1]!;
        Ap[dst + 2] = src[s + 2]!;
        Ap[dst + 3] = src[s + 3]!;
      }
      continue;
    }
    for (let i = 0; i < MR; i++) {
      let dst = base + i;
      if (i >= h) {
        for (let p = 0; p < kc; p++, dst += MR) Ap[dst] = 0;
        continue;
      }
      let s = a.offset + (i0 + ir + i) * rs + p0 * cs;
      for (let p = 0; p < kc; p++, dst += MR, s += cs) Ap[dst] = src[s]!;
    }
  }
}

/** Packs B[p0 .. p0+kc) × [j0 .. j0+nc) as NR-column panels: panel j holds Bp[j·kc·NR + p·NR + jj]. Pads columns with 0. */
function packPanelsB(b: MatrixView, p0: number, kc: number, j0: number, nc: number, Bp: Float64Array): void {
  const src = b.data;
  const rs = b.rowStride;
  const cs = b.colStride;
  for (let jr = 0; jr < nc; jr += NR) {
    const base = jr * kc;
    const w = Math.min(NR, nc - jr);
    if (w === NR && cs === 1) {
      let s = b.offset + p0 * rs + j0 + jr;
      for (let p = 0, dst = base; p < kc; p++, dst += NR, s += rs) {
        Bp[dst] = src[s]!;
        Bp[dst + 1] = src[s + 1]!;
        Bp[dst + 2] = src[s + 2]!;
        Bp[dst + 3] = src[s + 3]!;
      }
      continue;
    }
    for (let j = 0; j < NR; j++) {
      let dst = base + j;
      if (j >= w) {
        for (let p = 0; p < kc; p++, dst += NR) Bp[dst] = 0;
        continue;
      }
      let s = b.offset + p0 * rs + (j0 + jr + j) * cs;
      for (let p = 0; p < kc; p++, dst += NR, s += rs) Bp[dst] = src[s]!;
    }
  }
}

/** C tile (h ≤ 4 rows, w ≤ 4 columns) = or += Σ_p Ap[p, 0..3] ⊗ Bp[p, 0..3]. */
function microKernel(
  kc: number, Ap: Float64Array, ai: number, Bp: Float64Array, bi: number,
  C: Float32Array, ci: number, ldc: number, h: number, w: number, add: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += 4, bi += 4) {
    const a0 = Ap[ai]!, a1 = Ap[ai + 1]!, a2 = Ap[ai + 2]!, a3 = Ap[ai + 3]!;
    const b0 = Bp[bi]!, b1 = Bp[bi + 1]!, b2 = Bp[bi + 2]!, b3 = Bp[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (h === MR && w === NR) {
    if (add) {
      C[ci]! += c00; C[ci + 1]! += c01; C[ci + 2]! += c02; C[ci + 3]! += c03; ci += ldc;
      C[ci]! += c10; C[ci + 1]! += c11; C[ci + 2]! += c12; C[ci + 3]! += c13; ci += ldc;
      C[ci]! += c20; C[ci + 1]! += c21; C[ci + 2]! += c22; C[ci + 3]! += c23; ci += ldc;
      C[ci]! += c30; C[ci + 1]! += c31; C[ci + 2]! += c32; C[ci + 3]! += c33;
    } else {
      C[ci] = c00; C[ci + 1] = c01; C[ci + 2] = c02; C[ci + 3] = c03; ci += ldc;
      C[ci] = c10; C[ci + 1] = c11; C[ci + 2] = c12; C[ci + 3] = c13; ci += ldc;
      C[ci] = c20; C[ci + 1] = c21; C[ci + 2] = c22; C[ci + 3] = c23; ci += ldc;
      C[ci] = c30; C[ci + 1] = c31; C[ci + 2] = c32; C[ci + 3] = c33;
    }
    return;
  }
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let i = 0; i < h; i++, ci += ldc) {
    for (let j = 0; j < w; j++) {
      if (add) C[ci + j]! += t[i * NR + j]!;
      else C[ci + j] = t[i * NR + j]!;
    }
  }
}

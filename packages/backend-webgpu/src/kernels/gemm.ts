/**
 * One tiled GEMM shader generator behind matmul and the three convolutions (implicit GEMM).
 *
 * A workgroup of 16×16 threads computes a 64×64 block of C; each thread owns 4×4 outputs spread with a
 * stride of 16 (rows ty + 16r, columns tx + 16c). K advances in steps of 16: the workgroup stages a
 * 64×16 slice of A and a 16×64 slice of B in workgroup memory, each thread loading 4 elements of each,
 * zero outside the matrix, so every shape works, not only multiples of the tile.
 *
 * The operands are never materialised in GEMM form: callers supply WGSL `loadA(b, row, k)`,
 * `loadB(b, k, col)` and `storeC(b, row, col, v)`, which may compute addresses for a transposed,
 * broadcast or im2col view. Uniform words 1..4 hold M, N, K and the first batch of the dispatch;
 * callers' own words start at {@link GEMM_USER_WORD}.
 */
import { Uniforms, uniformDecl } from '../wgsl.js';
import type { KernelContext } from './context.js';

const TK = 16;
const THREADS = 16;
/** The first uniform word a GEMM caller may use. */
export const GEMM_USER_WORD = 5;
const MAX_Z = 65535;

/** A GEMM problem: C[b] (M×N) = A[b] (M×K) · B[b] (K×N) for b < batch, through custom loaders. */
export interface GemmSpec {
  /** Cache key of the loaders' code (the GEMM part is fixed). */
  readonly key: string;
  /** WGSL declarations of the storage bindings (0..n-1), in the order of `buffers`. */
  readonly decls: string;
  /** WGSL functions loadA, loadB, storeC (they may use `u(i)` words from GEMM_USER_WORD on). */
  readonly loaders: string;
  readonly buffers: readonly GPUBuffer[];
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly batch: number;
  /** Caller's uniform words (pushed after the GEMM words). */
  readonly words: readonly number[];
  /**
   * Split K into this many chunks (default 1): chunk `split_s` (a private WGSL variable the loaders and
   * storeC may read) covers K rows [split_s·⌈K/splits⌉, ...); storeC must write each chunk's partial sums
   * to its own place, and the caller adds them up.
   */
  readonly splits?: number;
}

/** Outputs per thread along rows and columns, by shape: fewer where a dimension is small. */
function perThread(M: number, N: number): [number, number] {
  const tr = M <= 16 ? 1 : M <= 32 ? 2 : 4;
  const tc = N <= 16 ? 1 : N <= 32 ? 2 : 4;
  return [tr, tc];
}

function source(spec: GemmSpec, rows: number, tr: number, tc: number, splits: number): string {
  const tm = THREADS * tr;
  const tn = THREADS * tc;
  return `${spec.decls}
${uniformDecl(spec.buffers.length, rows)}
var<private> split_s: u32;
${spec.loaders}
var<workgroup> As: array<array<f32, ${tm}>, ${TK}>;
var<workgroup> Bs: array<array<f32, ${tn}>, ${TK}>;
@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = u32(u(1u)); let N = u32(u(2u)); let K = u32(u(3u));
  let b = wid.z / ${splits}u + u32(u(4u));
  let chunkIndex = wid.z % ${splits}u;
  split_s = chunkIndex;
  let chunk = (((K + ${splits - 1}u) / ${splits}u + ${TK - 1}u) / ${TK}u) * ${TK}u;
  let kBegin = chunkIndex * chunk;
  let kEnd = min(K, kBegin + chunk);
  let row0 = wid.y * ${tm}u; let col0 = wid.x * ${tn}u;
  let tid = lid.y * ${THREADS}u + lid.x;
  var acc: array<f32, ${tr * tc}>;
  for (var q = 0u; q < ${tr * tc}u; q++) { acc[q] = 0.0; }
  for (var k0 = kBegin; k0 < kEnd; k0 += ${TK}u) {
    for (var q = 0u; q < ${tr}u; q++) {
      let e = tid + q * ${THREADS * THREADS}u;
      let ar = e / ${TK}u; let ak = e % ${TK}u;
      let gr = row0 + ar; let gk = k0 + ak;
      var av = 0.0;
      if (gr < M && gk < kEnd) { av = loadA(b, gr, gk); }
      As[ak][ar] = av;
    }
    for (var q = 0u; q < ${tc}u; q++) {
      let e = tid + q * ${THREADS * THREADS}u;
      let bk = e / ${tn}u; let bc = e % ${tn}u;
      let hk = k0 + bk; let gc = col0 + bc;
      var bv = 0.0;
      if (hk < kEnd && gc < N) { bv = loadB(b, hk, gc); }
      Bs[bk][bc] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      var a: array<f32, ${tr}>;
      var w: array<f32, ${tc}>;
      for (var r = 0u; r < ${tr}u; r++) { a[r] = As[kk][lid.y + r * ${THREADS}u]; }
      for (var c = 0u; c < ${tc}u; c++) { w[c] = Bs[kk][lid.x + c * ${THREADS}u]; }
      for (var r = 0u; r < ${tr}u; r++) {
        for (var c = 0u; c < ${tc}u; c++) { acc[r * ${tc}u + c] = fma(a[r], w[c], acc[r * ${tc}u + c]); }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < ${tr}u; r++) {
    let gr = row0 + lid.y + r * ${THREADS}u;
    if (gr >= M) { continue; }
    for (var c = 0u; c < ${tc}u; c++) {
      let gc = col0 + lid.x + c * ${THREADS}u;
      if (gc < N) { storeC(b, gr, gc, acc[r * ${tc}u + c]); }
    }
  }
}`;
}

/** Records the dispatches of a GEMM (several when the batch exceeds the z limit). */
export function gemm(ctx: KernelContext, spec: GemmSpec): void {
  if (spec.M === 0 || spec.N === 0 || spec.batch === 0) return;
  const [tr, tc] = perThread(spec.M, spec.N);
  const splits = spec.splits ?? 1;
  const perDispatch = Math.floor(MAX_Z / splits);
  for (let first = 0; first < spec.batch; first += perDispatch) {
    const u = new Uniforms();
    u.push(0, spec.M, spec.N, spec.K, first);
    u.push(...spec.words);
    const rows = u.rows;
    ctx.run({ key: `gemm|${spec.key}|${tr}x${tc}|s${splits}|u${rows}`, source: () => source(spec, rows, tr, tc, splits) }, spec.buffers, u,
      [Math.ceil(spec.N / (THREADS * tc)), Math.ceil(spec.M / (THREADS * tr)), Math.min(perDispatch, spec.batch - first) * splits]);
  }
}

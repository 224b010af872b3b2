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

const TILE = 64;
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
}

function source(spec: GemmSpec, rows: number): string {
  return `${spec.decls}
${uniformDecl(spec.buffers.length, rows)}
${spec.loaders}
var<workgroup> As: array<array<f32, ${TILE}>, ${TK}>;
var<workgroup> Bs: array<array<f32, ${TILE}>, ${TK}>;
@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = u32(u(1u)); let N = u32(u(2u)); let K = u32(u(3u));
  let b = wid.z + u32(u(4u));
  let row0 = wid.y * ${TILE}u; let col0 = wid.x * ${TILE}u;
  let tid = lid.y * ${THREADS}u + lid.x;
  var acc: array<f32, 16>;
  for (var q = 0u; q < 16u; q++) { acc[q] = 0.0; }
  for (var k0 = 0u; k0 < K; k0 += ${TK}u) {
    for (var q = 0u; q < 4u; q++) {
      let e = tid + q * ${THREADS * THREADS}u;
      let ar = e / ${TK}u; let ak = e % ${TK}u;
      let gr = row0 + ar; let gk = k0 + ak;
      var av = 0.0;
      if (gr < M && gk < K) { av = loadA(b, gr, gk); }
      As[ak][ar] = av;
      let bk = e / ${TILE}u; let bc = e % ${TILE}u;
      let hk = k0 + bk; let gc = col0 + bc;
      var bv = 0.0;
      if (hk < K && gc < N) { bv = loadB(b, hk, gc); }
      Bs[bk][bc] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      var a: array<f32, 4>;
      var w: array<f32, 4>;
      for (var r = 0u; r < 4u; r++) { a[r] = As[kk][lid.y + r * ${THREADS}u]; w[r] = Bs[kk][lid.x + r * ${THREADS}u]; }
      for (var r = 0u; r < 4u; r++) {
        for (var c = 0u; c < 4u; c++) { acc[r * 4u + c] = fma(a[r], w[c], acc[r * 4u + c]); }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y + r * ${THREADS}u;
    if (gr >= M) { continue; }
    for (var c = 0u; c < 4u; c++) {
      let gc = col0 + lid.x + c * ${THREADS}u;
      if (gc < N) { storeC(b, gr, gc, acc[r * 4u + c]); }
    }
  }
}`;
}

/** Records the dispatches of a GEMM (several when the batch exceeds the z limit). */
export function gemm(ctx: KernelContext, spec: GemmSpec): void {
  if (spec.M === 0 || spec.N === 0 || spec.batch === 0) return;
  for (let first = 0; first < spec.batch; first += MAX_Z) {
    const u = new Uniforms();
    u.push(0, spec.M, spec.N, spec.K, first);
    u.push(...spec.words);
    const rows = u.rows;
    ctx.run({ key: `gemm|${spec.key}|u${rows}`, source: () => source(spec, rows) }, spec.buffers, u,
      [Math.ceil(spec.N / TILE), Math.ceil(spec.M / TILE), Math.min(MAX_Z, spec.batch - first)]);
  }
}

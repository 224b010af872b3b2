/**
 * One register-tiled GEMM shader generator behind matmul and the three convolutions (implicit GEMM).
 *
 * Each invocation owns R rows × C columns of C[b] in registers. Columns are the lanes: the C columns of
 * one invocation lie WG apart, so a workgroup of WG invocations covers WG·C adjacent columns and the
 * lanes of a SIMD group read adjacent B elements. Rows are shared by the whole workgroup (R of them per
 * workgroup), so every lane needs the same A values: where the device has subgroups of a fixed size S,
 * lane l loads the A value of row l (one load per S rows instead of S copies of one) and
 * `subgroupBroadcast` hands it to the others; without subgroups each invocation loads its A values.
 * No workgroup memory and no barriers: on lavapipe (LLVMpipe runs invocations as SIMD lanes of CPU
 * threads) every memory load is a per-lane gather, whether from storage or workgroup memory, so the
 * kernel minimises loads per FMA instead (measured: bench/explore.mjs).
 *
 * The operands are never materialised in GEMM form: callers supply the walk over K (nested loops, so
 * convolutions need no divisions inside it), per-column set-up code, and WGSL expressions that load A
 * and B and store C at the walk's current position. Every row and column index is clamped before a
 * load and guarded before the store, so every shape works. Uniform words 1..6 hold M, N, K and the
 * first batch, row and column of the dispatch (outputs too large for one dispatch's workgroup counts
 * take several); callers' own words start at {@link GEMM_USER_WORD}.
 */
import { Uniforms, uniformDecl } from '../wgsl.js';
import type { KernelContext } from './context.js';

/** The first uniform word a GEMM caller may use. */
export const GEMM_USER_WORD = 7;
/** The most workgroups along one dimension of a dispatch (WebGPU's default limit). */
const MAX_GROUPS = 65535;
/** The widest workgroup (invocations along the columns). */
const MAX_WG = 64;
/** Columns per invocation at most. */
const MAX_C = 4;

/** A GEMM problem: C[b] (M×N) = A[b] (M×K) · B[b] (K×N) for b < batch, through custom code. */
export interface GemmSpec {
  /** Cache key of the caller's code (the GEMM part is keyed by the generator). */
  readonly key: string;
  /** WGSL declarations of the storage bindings (0..n-1), in the order of `buffers`. */
  readonly decls: string;
  readonly buffers: readonly GPUBuffer[];
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly batch: number;
  /** Caller's uniform words (pushed after the GEMM words; read with `u(i)` from GEMM_USER_WORD on). */
  readonly words: readonly number[];
  /**
   * WGSL run once per invocation after `b` (u32, the batch) and `split` (u32, the K chunk) are known;
   * `M`, `N`, `K` (u32) are in scope.
   */
  readonly prologue: string;
  /** WGSL run once per column slot `c`, given `cc<c>` (u32, the column index clamped to N − 1). */
  readonly column: (c: number) => string;
  /** WGSL that opens the walk over K (uniform loops); the loads below run inside it. */
  readonly walkOpen: string;
  /** WGSL that closes the walk. */
  readonly walkClose: string;
  /** A WGSL f32 expression: A at row `row` (a u32 expression, already clamped) and the walk's position. */
  readonly loadA: (row: string) => string;
  /** WGSL statements declaring `b<c>` (f32): B at the walk's position and column slot `c`. */
  readonly loadB: (c: number) => string;
  /** A WGSL statement storing f32 `v` at C[b][row][col] (u32 expressions, in range). */
  readonly store: (row: string, col: string, v: string) => string;
  /**
   * Dispatch this many K chunks per batch (default 1): `split` tells the walk which chunk it covers;
   * the store must put each chunk's partial sums in its own place, and the caller adds them up.
   */
  readonly splits?: number;
}

/** The tile of one workgroup: R rows, WG invocations of C columns each; `sg`: A values shared by subgroup broadcasts. */
export interface GemmTile {
  readonly R: number;
  readonly C: number;
  readonly WG: number;
  readonly sg: boolean;
}

/**
 * Picks the tile for an M×N output, given the subgroup size `S` (0: none). R rows: M itself for one or
 * two rows (each invocation loads its A values: a broadcast tile would waste most of its FMAs), else a
 * multiple of S (8 or 16 rows without subgroups). WG·C columns as close above N as the limits allow,
 * so small outputs (a 3×3 filter gradient has 9 columns) waste few lanes.
 */
export function gemmTile(M: number, N: number, S: number): GemmTile {
  const small = M <= 2;
  const R = small ? M : S > 0 ? (M <= S ? S : 2 * S) : M <= 8 ? 8 : 16;
  const C = Math.min(MAX_C, Math.max(1, Math.ceil(N / MAX_WG)));
  const lanes = Math.max(S, 8);
  const WG = Math.min(MAX_WG, Math.ceil(Math.ceil(N / C) / lanes) * lanes);
  return { R, C, WG, sg: S > 0 && !small };
}

function source(spec: GemmSpec, rows: number, t: GemmTile, subgroupSize: number, splits: number): string {
  const { R, C, WG } = t;
  const S = t.sg ? subgroupSize : 0;
  const L: string[] = [];
  if (S > 0) L.push('enable subgroups;');
  L.push(spec.decls, uniformDecl(spec.buffers.length, rows));
  const lane = S > 0 ? ', @builtin(subgroup_invocation_id) sl: u32' : '';
  L.push(`@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>${lane}) {
  let M = u32(u(1u)); let N = u32(u(2u)); let K = u32(u(3u));
  let b = wid.z / ${splits}u + u32(u(4u));
  let split = wid.z % ${splits}u;
  let row0 = wid.y * ${R}u + u32(u(5u));`);
  L.push(spec.prologue);
  for (let c = 0; c < C; c++) {
    L.push(`  let col${c} = wid.x * ${WG * C}u + u32(u(6u)) + ${c * WG}u + lid.x; let cc${c} = min(col${c}, N - 1u);`);
    L.push(spec.column(c));
  }
  if (S > 0) for (let h = 0; h < R / S; h++) L.push(`  let arow${h} = min(row0 + ${h * S}u + sl, M - 1u);`);
  else for (let r = 0; r < R; r++) L.push(`  let arow${r} = min(row0 + ${r}u, M - 1u);`);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) L.push(`  var acc${r}_${c} = 0.0;`);
  L.push(spec.walkOpen);
  for (let c = 0; c < C; c++) L.push(spec.loadB(c));
  if (S > 0) for (let h = 0; h < R / S; h++) L.push(`    let av${h} = ${spec.loadA(`arow${h}`)};`);
  for (let r = 0; r < R; r++) {
    const a = S > 0 ? `subgroupBroadcast(av${Math.floor(r / S)}, ${r % S}u)` : spec.loadA(`arow${r}`);
    L.push(`    { let a = ${a};`);
    for (let c = 0; c < C; c++) L.push(`      acc${r}_${c} = fma(a, b${c}, acc${r}_${c});`);
    L.push('    }');
  }
  L.push(spec.walkClose);
  for (let r = 0; r < R; r++) {
    const guard = `row0 + ${r}u < M`;
    for (let c = 0; c < C; c++) L.push(`  if (${guard} && col${c} < N) { ${spec.store(`(row0 + ${r}u)`, `col${c}`, `acc${r}_${c}`)} }`);
  }
  L.push('}');
  return L.join('\n');
}

/** Records the dispatches of a GEMM: one, or several where the batch, rows or columns exceed a dispatch's workgroup counts. */
export function gemm(ctx: KernelContext, spec: GemmSpec): void {
  if (spec.M === 0 || spec.N === 0 || spec.batch === 0) return;
  const S = ctx.subgroupSize ?? 0;
  const t = gemmTile(spec.M, spec.N, S);
  const splits = spec.splits ?? 1;
  const perDispatch = Math.floor(MAX_GROUPS / splits);
  const rowsPer = MAX_GROUPS * t.R;
  const colsPer = MAX_GROUPS * t.WG * t.C;
  for (let first = 0; first < spec.batch; first += perDispatch) {
    for (let row = 0; row < spec.M; row += rowsPer) {
      for (let col = 0; col < spec.N; col += colsPer) {
        const u = new Uniforms();
        u.push(0, spec.M, spec.N, spec.K, first, row, col);
        u.push(...spec.words);
        const rows = u.rows;
        ctx.run({ key: `gemm|${spec.key}|${t.R}x${t.C}x${t.WG}|sg${t.sg ? S : 0}|s${splits}|u${rows}`, source: () => source(spec, rows, t, S, splits) }, spec.buffers, u, [
          Math.ceil(Math.min(colsPer, spec.N - col) / (t.WG * t.C)),
          Math.ceil(Math.min(rowsPer, spec.M - row) / t.R),
          Math.min(perDispatch, spec.batch - first) * splits,
        ]);
      }
    }
  }
}

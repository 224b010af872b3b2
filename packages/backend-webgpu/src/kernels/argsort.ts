/**
 * The argsort kernel: a bitonic sort of (key, index) pairs per row. Each row of n values becomes P =
 * 2^⌈log₂ n⌉ pairs: the value's unsigned sort key (NaN largest, −0 = +0, inverted for descending) and
 * its column, padded with (0xffffffff, column ≥ n) so padding sorts last. Pairs compare by key, then by
 * index, a total order, so the (unstable) network still gives the stable order. Each dispatch runs up
 * to five consecutive steps of a stage on groups of elements held in registers; then the first n
 * indices of each row are copied out.
 */
import type { TensorRef } from '@scratchnet/core';
import { Uniforms, elementwiseMain, uniformDecl } from '../wgsl.js';
import { groupsFor, type GpuData, type KernelContext } from './context.js';

/** Declares a u32 storage array at `binding` (every buffer here is read as raw 32-bit words). */
const words = (name: string, binding: number, write: boolean): string =>
  `@group(0) @binding(${binding}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<u32>;`;

/** WGSL of the sort key of a value's bits: int32 flips the sign bit; float32 as the contract orders it. */
function keyFunction(isInt: boolean): string {
  if (isInt) return 'fn sort_key(b: u32) -> u32 { return b ^ 0x80000000u; }';
  return `fn sort_key(b0: u32) -> u32 {
  var b = b0;
  if ((b & 0x7fffffffu) > 0x7f800000u) { b = 0x7fc00000u; } else if (b == 0x80000000u) { b = 0u; }
  if ((b >> 31u) == 1u) { return ~b; }
  return b | 0x80000000u;
}`;
}

function launch(ctx: KernelContext, key: string, decls: readonly string[], extra: string, body: string, u: Uniforms, buffers: GPUBuffer[], threads: number): void {
  const rows = u.rows;
  ctx.run({ key: `${key}|u${rows}`, source: () => `${decls.join('\n')}\n${uniformDecl(decls.length, rows)}\n${extra}\n${elementwiseMain(body)}` }, buffers, u, groupsFor(threads));
}

/**
 * Consecutive steps of one stage done per dispatch: steps j, j/2, …, j/2^(s−1) only ever exchange
 * within a group of 2^s elements (offsets formed from those s bits), so one thread loads a group,
 * runs the s steps on it in registers and stores it: s times fewer passes over memory, no barriers.
 */
const GROUP_STEPS = 5;

/** Orders the pair (a, b) by (key, index): ascending when `up`, else descending. */
const COMPARE_EXCHANGE = `fn cx(ka: ptr<function, u32>, ia: ptr<function, u32>, kb: ptr<function, u32>, ib: ptr<function, u32>, up: bool) {
  let aAfterB = *ka > *kb || (*ka == *kb && *ia > *ib);
  if (aAfterB == up) { let k = *ka; *ka = *kb; *kb = k; let t = *ia; *ia = *ib; *ib = t; }
}`;

/**
 * WGSL body of `steps` consecutive steps of stage k (uniforms: width, k, log₂ of the smallest step):
 * thread i takes group i, whose elements sit at a0 + m · low for m < 2^steps.
 */
function groupSteps(steps: number): string {
  const g = 2 ** steps;
  const lines = [
    '  let width = u32(u(1u)); let k = u32(u(2u)); let lo = u32(u(3u));',
    '  let low = 1u << lo;',
    `  let groups = width >> ${steps}u;`,
    '  let q = i % groups;',
    `  let r0 = ((q >> lo) << (lo + ${steps}u)) | (q & (low - 1u));`,
    '  let a0 = (i / groups) * width + r0;',
    // Bit k of the position within the row (k lies above the group's bits) sets the direction.
    '  let up = (r0 & k) == 0u;',
  ];
  for (let m = 0; m < g; m++) lines.push(`  var kv${m} = k0[a0 + ${m}u * low]; var iv${m} = i1[a0 + ${m}u * low];`);
  for (let d = steps - 1; d >= 0; d--) {
    for (let m = 0; m < g; m++) if ((m & (1 << d)) === 0) lines.push(`  cx(&kv${m}, &iv${m}, &kv${m + (1 << d)}, &iv${m + (1 << d)}, up);`);
  }
  for (let m = 0; m < g; m++) lines.push(`  k0[a0 + ${m}u * low] = kv${m}; i1[a0 + ${m}u * low] = iv${m};`);
  return lines.join('\n');
}

/** Stable sort order of each row of x [outer, n] (float32 or int32) into int32 [outer, n]. */
export function argsort(ctx: KernelContext, x: TensorRef, descending: boolean, release: (d: GpuData) => void): GpuData {
  const [outer, n] = x.shape as [number, number];
  const width = 2 ** Math.ceil(Math.log2(n));
  const total = outer * width;
  const keys = ctx.alloc(total, 'int32');
  const idx = ctx.alloc(total, 'int32');
  const out = ctx.alloc(outer * n, 'int32');
  const isInt = x.dtype === 'int32';

  const init = new Uniforms();
  init.push(total, width, n, descending ? -1 : 0);
  launch(ctx, `argsort-init|${x.dtype}`, [words('x0', 0, false), words('k1', 1, true), words('i2', 2, true)], keyFunction(isInt),
    `  let width = u32(u(1u)); let n = u32(u(2u)); let flip = bitcast<u32>(u(3u));
  let c = i % width;
  if (c < n) { k1[i] = sort_key(x0[(i / width) * n + c]) ^ flip; } else { k1[i] = 0xffffffffu; }
  i2[i] = c;`, init, [ctx.buf(x), keys.buffer, idx.buffer], total);

  // Stage k's steps j = k/2 … 1, up to GROUP_STEPS of them per dispatch.
  for (let k = 2; k <= width; k *= 2) {
    for (let j = k / 2; j >= 1; ) {
      const steps = Math.min(GROUP_STEPS, Math.log2(j) + 1);
      const low = j / 2 ** (steps - 1);
      const u = new Uniforms();
      u.push(total >> steps, width, k, Math.log2(low));
      launch(ctx, `argsort-steps|s${steps}`, [words('k0', 0, true), words('i1', 1, true)], COMPARE_EXCHANGE, groupSteps(steps), u, [keys.buffer, idx.buffer], total >> steps);
      j = low / 2;
    }
  }

  const copy = new Uniforms();
  copy.push(outer * n, width, n);
  launch(ctx, 'argsort-out', [words('i0', 0, false), words('o1', 1, true)], '',
    '  let width = u32(u(1u)); let n = u32(u(2u));\n  o1[i] = i0[(i / n) * width + i % n];', copy, [idx.buffer, out.buffer], outer * n);
  release(keys);
  release(idx);
  return out;
}

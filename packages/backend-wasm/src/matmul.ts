/**
 * The matmul kernel's host side: picks the thread count from the work size, lays the threads' packed
 * panels out in the runtime's persistent scratch region, and hands the rows (or columns) out.
 */
import { matmulSizes, type DataId, type MatmulAttrs, type TensorRef } from '@scratchnet/core';
import type { Runtime } from './runtime.js';

/**
 * Multiply-adds a thread's share must reach before another thread is used for a matmul, while the
 * workers poll for calls (ThreadPool.polling): back-to-back calls then hand work over within a
 * microsecond, and a worker that wakes late has its call withdrawn (the calling thread does the work
 * alone, as on one thread). bench/gemm-threads.mjs, this rule's host code against the one before in the
 * same process (quiet machine, least / median time of 300 calls with the result read back): two threads
 * took 0.81 / 0.91× the one-thread time at n = 128 (2 × 2^20 multiply-adds), 0.68 / 0.91× at 192, but
 * 0.99 / 1.22× at n = 96, where a worker that misses a call costs more than the split saves; so the
 * split starts at n = 128.
 */
export const MIN_MACS_PER_THREAD = 1 << 20;

/**
 * The same while the pool has turned polling off (it found the machine had more runnable threads than
 * cores): every call then wakes a sleeping worker, 7–15 µs at the median and milliseconds when its core
 * runs another process, and below this a split lost to one thread (n = 128: 8.8 GFLOPS on 2 threads
 * against 16.8 on 1, bench/gemm-spread.mjs `wake`).
 */
export const MIN_MACS_PER_THREAD_WAKING = 1 << 21;

/** Per-thread packed-B scratch above which a threaded matmul falls back to fixed ranges with plain gemm. */
const SHARED_GEMM_MAX_BYTES = 32 << 20;

/**
 * Threads worth using for a matmul of `macs` multiply-adds with `available` threads; `polling`: whether
 * the workers poll for calls (else each call wakes one from sleep).
 */
export function gemmThreads(macs: number, available: number, polling: boolean): number {
  const min = polling ? MIN_MACS_PER_THREAD : MIN_MACS_PER_THREAD_WAKING;
  return Math.max(1, Math.min(available, Math.floor(macs / min)));
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/** C = op(A)·op(B) for float32 [batch, rows, cols] operands (a batch of 1 broadcasts). */
export function matmul(rt: Runtime, a: TensorRef, b: TensorRef, attrs: MatmulAttrs): DataId {
  const { ba, bb, batch, m, k, n } = matmulSizes(a, b, attrs);
  const ap = rt.get(a.id).ptr;
  const bp = rt.get(b.id).ptr;
  const id = rt.create('float32', batch * m * n);
  const out = rt.get(id).ptr;
  if (batch * m * n === 0) return id;
  const g: Geometry = {
    m, n, k, batch, ba, bb, a: ap, b: bp, out,
    rsa: attrs.transposeA ? 1 : k, csa: attrs.transposeA ? m : 1, rsb: attrs.transposeB ? 1 : n, csb: attrs.transposeB ? k : 1,
  };
  const polling = rt.pool?.polling ?? true;
  const parts = gemmThreads(m * n * k, rt.threads, polling);
  const batchParts = Math.min(batch, gemmThreads(batch * m * n * k, rt.threads, polling));
  // Items too small to split go through gemmBatch in one wasm call even on one thread: a call from
  // JavaScript per item cost ~1–2 µs each, 10–30% of a batch of 128 attention-sized (64×32×64) items.
  if (parts === 1 && batch > 1 && k > 0) {
    try {
      batchItems(rt, g, batchParts);
    } finally {
      rt.scratch.done();
    }
    return id;
  }
  // Split the longer of m and n (in whole 12-row / 8-column steps, so every thread gets full micro-tiles).
  const splitRows = m >= n || n < 16;
  const usable = Math.max(1, Math.min(parts, Math.floor((splitRows ? m : n) / (splitRows ? 12 : 8))));
  try {
    if (usable > 1 && splitRows && k > 0 && rt.exports.gemmSharedWorkBytes(n, k) <= SHARED_GEMM_MAX_BYTES) {
      sharedRows(rt, g, usable);
    } else if (usable > 1 && !splitRows && k > 0 && rt.exports.gemmSharedColsWorkBytes(m, k) <= SHARED_GEMM_MAX_BYTES) {
      sharedCols(rt, g, usable);
    } else {
      fixedRanges(rt, g, usable, splitRows);
    }
  } finally {
    rt.scratch.done();
  }
  return id;
}

interface Geometry {
  readonly m: number; readonly n: number; readonly k: number;
  readonly batch: number; readonly ba: number; readonly bb: number;
  readonly a: number; readonly b: number; readonly out: number;
  readonly rsa: number; readonly csa: number; readonly rsb: number; readonly csb: number;
}

/** Addresses of batch item i's operands and output. */
function item(g: Geometry, i: number): [number, number, number] {
  return [g.a + (g.ba === 1 ? 0 : i) * g.m * g.k * 4, g.b + (g.bb === 1 ? 0 : i) * g.k * g.n * 4, g.out + i * g.m * g.n * 4];
}

/**
 * Rows handed out in small chunks through a shared counter (gemmShared) rather than one fixed range per
 * thread: with fixed halves a call lasts as long as the slower thread, so a core shared with another
 * process (or a worker woken late) brought 2 threads down to the speed of 1. Each thread packs B once
 * for the whole depth into its own part of the scratch region.
 */
function sharedRows(rt: Runtime, g: Geometry, parts: number): void {
  const stride = roundUp(rt.exports.gemmSharedWorkBytes(g.n, g.k), 4096);
  // One counter per column block; n / 8 bounds their number whatever the kernel's block width.
  const counterBytes = roundUp(Math.ceil(g.n / 8) * 4, 64);
  const work = rt.scratch.acquire(stride * parts + counterBytes);
  const counters = work + stride * parts;
  // Claims of at most about an eighth of a thread's share, in whole 12-row steps, at most 48 rows (finer
  // than one 96-row packing block balanced better with another process on one core, and cost nothing
  // quiet); the kernel shrinks them to one micro-tile as the rows run out, so the threads finish together.
  const chunk = Math.min(48, Math.max(12, Math.ceil(g.m / (parts * 8) / 12) * 12));
  const zero = new Int32Array(rt.memory.buffer, counters, counterBytes / 4);
  for (let i = 0; i < g.batch; i++) {
    const [pa, pb, pc] = item(g, i);
    zero.fill(0);
    const lists: number[][] = [];
    for (let p = 0; p < parts; p++) lists.push([g.m, g.n, g.k, pa, g.rsa, g.csa, pb, g.rsb, g.csb, pc, g.n, 0, work + p * stride, counters, chunk, parts]);
    rt.runLists('gemmShared', lists, true);
  }
}

/**
 * Columns handed out through a shared counter (gemmSharedCols), for products wider than tall: the mirror
 * of sharedRows, each thread packing all of A once. With fixed column halves (the previous split) a call
 * lasted as long as the slower thread, so one late wake-up or a core shared with another process cost
 * up to half the call.
 */
function sharedCols(rt: Runtime, g: Geometry, parts: number): void {
  const stride = roundUp(rt.exports.gemmSharedColsWorkBytes(g.m, g.k), 4096);
  const work = rt.scratch.acquire(stride * parts + 64);
  const counter = work + stride * parts;
  // Claims of about an eighth of a thread's share, in whole 8-column panels, between 16 and 64 columns;
  // the kernel shrinks them to one panel as the columns run out.
  const chunk = Math.min(64, Math.max(16, Math.ceil(g.n / (parts * 8) / 8) * 8));
  const cell = new Int32Array(rt.memory.buffer, counter, 1);
  for (let i = 0; i < g.batch; i++) {
    const [pa, pb, pc] = item(g, i);
    cell[0] = 0;
    const lists: number[][] = [];
    for (let p = 0; p < parts; p++) lists.push([g.m, g.n, g.k, pa, g.rsa, g.csa, pb, g.rsb, g.csb, pc, g.n, 0, work + p * stride, counter, chunk, parts]);
    rt.runLists('gemmSharedCols', lists, true);
  }
}

/** One fixed range of rows or columns per thread, each through the plain gemm with its own scratch. */
function fixedRanges(rt: Runtime, g: Geometry, parts: number, splitRows: boolean): void {
  const stride = roundUp(rt.exports.gemmWorkBytes(), 4096);
  const work = rt.scratch.acquire(stride * parts);
  const along = splitRows ? g.m : g.n;
  const align = splitRows ? 12 : 8;
  const steps = Math.ceil(along / align);
  for (let i = 0; i < g.batch; i++) {
    const [pa, pb, pc] = item(g, i);
    const lists: number[][] = [];
    for (let p = 0; p < parts; p++) {
      const s = Math.min(along, Math.floor((steps * p) / parts) * align);
      const e = Math.min(along, Math.floor((steps * (p + 1)) / parts) * align);
      const w = work + p * stride;
      if (splitRows) lists.push([e - s, g.n, g.k, pa + s * g.rsa * 4, g.rsa, g.csa, pb, g.rsb, g.csb, pc + s * g.n * 4, g.n, 0, w]);
      else lists.push([g.m, e - s, g.k, pa, g.rsa, g.csa, pb + s * g.csb * 4, g.rsb, g.csb, pc + s * 4, g.n, 0, w]);
    }
    rt.runLists('gemm', lists);
  }
}

/** Byte offset in the runtime's metadata block of gemmBatch's geometry (clear of shapes at 0 and conv's at 2048). */
const BATCH_INFO_AT = 3072;

/**
 * Many items, each too small to split: the threads take whole items from a shared counter, each
 * through the plain gemm with its own scratch (a batch of 32 64×64×64 products ran on one thread).
 */
function batchItems(rt: Runtime, g: Geometry, parts: number): void {
  const stride = roundUp(rt.exports.gemmWorkBytes(), 4096);
  const work = rt.scratch.acquire(stride * parts + 64);
  const counter = work + stride * parts;
  new Int32Array(rt.memory.buffer, counter, 1)[0] = 0;
  const info = rt.writeMeta([g.m, g.n, g.k, g.rsa, g.csa, g.rsb, g.csb, g.batch, g.ba === 1 ? 0 : g.m * g.k, g.bb === 1 ? 0 : g.k * g.n], BATCH_INFO_AT);
  const lists: number[][] = [];
  for (let p = 0; p < parts; p++) lists.push([info, g.a, g.b, g.out, work + p * stride, counter]);
  rt.runLists('gemmBatch', lists, true);
}

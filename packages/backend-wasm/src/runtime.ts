/**
 * The runtime under the backend: the instantiated kernel module, its memory and allocator, the data
 * table, a small metadata block for shapes, and the parallel-call helper over the worker pool.
 */
import { bytesPerElement, type DataId, type DType, type TypedArray } from '@scratchnet/core';
import { Allocator, WasmOutOfMemoryError } from './allocator.js';
import { ScratchRegion } from './scratch.js';
import type { ThreadPool } from './threads.js';

/** The kernel exports, in the order workers index them. */
export const KERNELS = [
  'gemm', 'unary', 'binary', 'where4', 'reduce', 'pool2d', 'pool2dBack', 'conv2d', 'conv2dBackInput',
  'conv2dBackFilter', 'addInto', 'copy4', 'copy1', 'gemmShared', 'argsort', 'peak', 'gemmBatch',
  'fused', 'unaryGrad', 'gemmSharedCols', 'layerNorm', 'layerNormGrad',
] as const;
export type KernelName = (typeof KERNELS)[number];

/** The module's exports as the host calls them (pointers and sizes are plain numbers). */
export interface KernelExports {
  gemm(m: number, n: number, k: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number, c: number, ldc: number, acc: number, work: number): void;
  gemmWorkBytes(): number;
  gemmShared(m: number, n: number, k: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number, c: number, ldc: number, acc: number, work: number, counters: number, chunk: number, parts: number): void;
  gemmSharedWorkBytes(n: number, k: number): number;
  gemmBatch(info: number, a: number, b: number, c: number, work: number, counter: number): void;
  gemmSharedCols(m: number, n: number, k: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number, c: number, ldc: number, acc: number, work: number, counter: number, chunk: number, parts: number): void;
  gemmSharedColsWorkBytes(m: number, k: number): number;
  unary(op: number, x: number, out: number, start: number, end: number, alpha: number): void;
  unaryGrad(op: number, x: number, y: number, dy: number, out: number, start: number, end: number, alpha: number): void;
  binary(op: number, rank: number, meta: number, a: number, b: number, out: number, start: number, end: number): void;
  where4(rank: number, meta: number, cond: number, a: number, b: number, out: number, start: number, end: number): void;
  reduce(op: number, x: number, out: number, r: number, inner: number, o0: number, o1: number): void;
  pool2d(kind: number, x: number, out: number, info: number, p0: number, p1: number): void;
  pool2dBack(kind: number, dy: number, x: number, dx: number, info: number, p0: number, p1: number): void;
  conv2d(x: number, w: number, out: number, info: number, n0: number, n1: number, work: number): void;
  conv2dBackInput(dy: number, w: number, dx: number, info: number, n0: number, n1: number, work: number): void;
  conv2dBackFilter(x: number, dy: number, dw: number, info: number, n0: number, n1: number, work: number): void;
  convWorkBytes(info: number): number;
  addInto(dst: number, src: number, start: number, end: number): void;
  copy4(rank: number, meta: number, x: number, out: number, start: number, end: number): void;
  copy1(rank: number, meta: number, x: number, out: number, start: number, end: number): void;
  argsort(x: number, out: number, n: number, isInt: number, descending: number, r0: number, r1: number, work: number): void;
  fused(prog: number, scratch: number, start: number, end: number): void;
  layerNorm(x: number, out: number, n: number, eps: number, r0: number, r1: number): void;
  layerNormGrad(x: number, dy: number, out: number, n: number, eps: number, r0: number, r1: number): void;
  heapBase(): number;
  isa(): number;
  elementwiseAbi(): number;
  peak(iters: number, seed: number): number;
}

/** One stored tensor's data. */
export interface Entry {
  readonly ptr: number;
  readonly length: number;
  readonly dtype: DType;
}

/** Bytes per element. */
export function elementBytes(dtype: DType): number {
  return bytesPerElement(dtype);
}

/** Bytes reserved for shape metadata and conv geometry. */
const META_BYTES = 4096;
/** Largest GEMM scratch region kept between calls. */
const SCRATCH_KEEP_BYTES = 32 << 20;

export class Runtime {
  readonly heap: Allocator;
  /** The GEMM's packed-panel scratch, kept between calls (given back when memory runs short). */
  readonly scratch: ScratchRegion;
  private readonly table = new Map<number, Entry>();
  private nextId = 1;
  private dataBytes = 0;
  /** Address of the metadata block (shapes, strides, geometry) kernels read. */
  readonly meta: number;
  private readonly fns: ((...args: number[]) => unknown)[];

  constructor(
    readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
    maxBytes: number,
    public pool: ThreadPool | null,
  ) {
    this.heap = new Allocator(memory, exports.heapBase(), maxBytes);
    this.meta = this.heap.alloc(META_BYTES);
    this.scratch = new ScratchRegion(this.heap, memory, SCRATCH_KEEP_BYTES);
    const ex = exports as unknown as Record<string, (...args: number[]) => unknown>;
    this.fns = KERNELS.map((k) => ex[k]!);
  }

  /** The local kernel functions, in KERNELS order (the pool runs list 0 through them). */
  get localKernels(): readonly ((...args: number[]) => unknown)[] {
    return this.fns;
  }

  /** Threads a parallel call may use now. */
  get threads(): number {
    return this.pool?.size ?? 1;
  }

  /** Stores a new entry of `length` elements and returns its id. */
  create(dtype: DType, length: number): number {
    const ptr = this.allocData(length * elementBytes(dtype));
    const id = this.nextId++;
    this.table.set(id, { ptr, length, dtype });
    this.dataBytes += length * elementBytes(dtype);
    return id;
  }

  /** Allocates data, giving the kept GEMM scratch back first if the heap cannot otherwise fit it. */
  private allocData(bytes: number): number {
    try {
      return this.heap.alloc(bytes);
    } catch (e) {
      if (!(e instanceof WasmOutOfMemoryError) || this.scratch.heldBytes === 0) throw e;
      this.scratch.release();
      return this.heap.alloc(bytes);
    }
  }

  /** The entry behind an id. */
  get(id: DataId): Entry {
    const e = typeof id === 'number' ? this.table.get(id) : undefined;
    if (e === undefined) throw new Error(`wasm backend: unknown or disposed data id ${typeof id === 'object' ? 'object' : String(id)}`);
    return e;
  }

  /** Frees an id's data (unknown ids are ignored). */
  delete(id: DataId): void {
    if (typeof id !== 'number') return;
    const e = this.table.get(id);
    if (e === undefined) return;
    this.table.delete(id);
    this.dataBytes -= e.length * elementBytes(e.dtype);
    this.heap.release(e.ptr);
  }

  /** A typed view of an entry over the current memory buffer (make views after allocating, never before). */
  view(e: Entry): TypedArray {
    const buf = this.memory.buffer;
    if (e.dtype === 'float32') return new Float32Array(buf, e.ptr, e.length);
    if (e.dtype === 'int32') return new Int32Array(buf, e.ptr, e.length);
    if (e.dtype === 'float16') return new Uint16Array(buf, e.ptr, e.length);
    return new Uint8Array(buf, e.ptr, e.length);
  }

  /** Writes int32 values into the metadata block at byte offset `at` and returns their address. */
  writeMeta(values: readonly number[], at = 0): number {
    const p = this.meta + at;
    new Int32Array(this.memory.buffer, p, values.length).set(values);
    return p;
  }

  /** Live data figures. */
  counts(): { bytes: number; buffers: number } {
    return { bytes: this.dataBytes, buffers: this.table.size };
  }

  /**
   * Runs kernel `name` over [0, total) split into up to `threads` ranges of whole `align`-sized steps,
   * each at least `grain` long; `args(start, end, part)` builds each call's argument list.
   */
  parallel(name: KernelName, total: number, grain: number, args: (start: number, end: number, part: number) => number[], align = 1): void {
    const parts = Math.max(1, Math.min(this.threads, Math.floor(total / Math.max(1, grain))));
    if (parts <= 1 || this.pool === null) {
      this.fns[KERNELS.indexOf(name)]!(...args(0, total, 0));
      return;
    }
    const lists: number[][] = [];
    const steps = Math.ceil(total / align);
    for (let p = 0; p < parts; p++) {
      const s = Math.min(total, Math.floor((steps * p) / parts) * align);
      const e = Math.min(total, Math.floor((steps * (p + 1)) / parts) * align);
      lists.push(args(s, e, p));
    }
    this.pool.run(KERNELS.indexOf(name), lists);
  }

  /**
   * Runs explicit argument lists (one per thread, at most `threads`) of kernel `name`. `shared`: the
   * lists take their work from shared counters, so the first list's call alone finishes it (workers not
   * yet awake are then not waited for; see ThreadPool.run).
   */
  runLists(name: KernelName, lists: number[][], shared = false): void {
    if (lists.length === 1 || this.pool === null) {
      for (const l of lists) this.fns[KERNELS.indexOf(name)]!(...l);
      return;
    }
    this.pool.run(KERNELS.indexOf(name), lists, shared);
  }

  /** Frees all data (block by block, so the allocator and the metadata block stay valid). */
  clear(): void {
    for (const id of [...this.table.keys()]) this.delete(id);
    this.scratch.release();
  }
}

import {
  checkFusedInputs, runFusedUnfused, validateFusedProgram, type FusedElementwiseProgram, type FusedSegment,
  BINARY_OPS, CONV2D_INFO_FIELDS, REDUCE_OPS, UNARY_OPS, around, binaryDef, dtypeOfArray, unaryDef,
  type Backend, type BackendMemory, type BinaryOp, type Conv2dInfo, type DataId, type DType, type MatmulAttrs, type PoolKind,
  type ReduceOp, type StridedView, type TensorRef, type TypedArray, type UnaryAttrs, type UnaryGradOp, type UnaryOp,
} from '@scratchnet/core';
import { castInto, forEachRow, hostBinary, hostUnary, hostWhere, intReduce } from './host-kernels.js';
import type { Isa } from './loader.js';
import { runEpilogue } from './epilogues.js';
import { interpreterTakes, runFused, runFusedInParts } from './fused.js';
import { runFusedSegments } from './fused-segments.js';
import { matmul } from './matmul.js';
import { elementBytes, type Entry, type Runtime } from './runtime.js';
import { broadcastStrides, contiguousStrides, mergeAxes, sizeOf } from './shapes.js';

/** Op codes of the generated kernels: each op's index in core's table (scripts/gen-elementwise.mjs). */
const UNARY_CODE = new Map<UnaryOp, number>(UNARY_OPS.map((op, code) => [op, code]));
const BINARY_CODE = new Map<BinaryOp, number>(BINARY_OPS.map((op, code) => [op, code]));

/** Elementwise work below this many elements stays on one thread (waking workers costs more). */
const ELEMENTWISE_GRAIN = 1 << 16;
/** Convolutions below this many multiply-adds stay on one thread. */
const GEMM_GRAIN = 1 << 19;

/** What `info()` reports. */
export interface WasmBackendInfo {
  readonly kind: 'wasm';
  /** The instruction set of the loaded build. */
  readonly isa: Isa;
  /** Whether the memory is shared with worker threads. */
  readonly sharedMemory: boolean;
  /** Threads kernels use now (the calling thread included). */
  readonly threads: number;
  /** Threads asked for with setThreads / the `threads` option. */
  readonly threadsRequested: number;
  /** Why the backend runs single-threaded, when it must. */
  readonly singleThreadedReason: string | null;
}

/**
 * ScratchNet's WebAssembly backend: tensors live in one WebAssembly.Memory managed by a best-fit
 * allocator; float32 kernels are AssemblyScript compiled to SIMD / relaxed-SIMD / scalar builds; matmul
 * and convolutions run through a packed, register-blocked GEMM; large kernels are split across worker
 * threads sharing the memory. Create it with {@link createWasmBackend} (importing the package registers
 * it as 'wasm').
 */
export class WasmBackend implements Backend {
  constructor(
    /** The name the backend registers under. */
    readonly name: string,
    private readonly rt: Runtime,
    private readonly isaName: Isa,
    private readonly singleReason: string | null,
  ) {}

  /**
   * Sets how many threads kernels use (the calling thread included); resolves once the workers run.
   * Without shared memory it stays at 1.
   */
  setThreads(n: number): Promise<void> {
    if (!Number.isFinite(n) || n < 1) throw new RangeError(`wasm backend: setThreads needs a positive number, got ${n}`);
    if (this.rt.pool === null) return Promise.resolve();
    return this.rt.pool.resize(n);
  }

  /** Threads kernels use now. */
  get threads(): number {
    return this.rt.threads;
  }

  /** Stores a copy of `values` in wasm memory. */
  write(values: TypedArray, dtype: DType): DataId {
    const id = this.rt.create(dtype, values.length);
    const e = this.rt.get(id);
    const dst = this.rt.view(e);
    if (dtypeOfArray(values) === dtype) dst.set(values);
    else castInto(values, dst, dtype);
    return id;
  }

  /** A copy of the data. */
  read(id: DataId): Promise<TypedArray> {
    try {
      return Promise.resolve(this.readSync(id));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** A copy of the data, synchronously. */
  readSync(id: DataId): TypedArray {
    return this.rt.view(this.rt.get(id)).slice();
  }

  /** Frees the data. */
  dispose(id: DataId): void {
    this.rt.delete(id);
  }

  /** Live data (`bytes`, `buffers`) plus the heap: `heapBytes` (extent in use), `memoryBytes` (wasm memory size). */
  memory(): BackendMemory {
    const s = this.rt.heap.stats();
    return { ...this.rt.counts(), heapBytes: s.heapBytes, memoryBytes: s.memoryBytes, allocatedBytes: s.liveBytes, freeBytes: s.freeBytes };
  }

  /** Build, threads and memory facts. */
  info(): Record<string, unknown> & WasmBackendInfo {
    return {
      kind: 'wasm',
      isa: this.isaName,
      sharedMemory: this.rt.pool !== null,
      threads: this.rt.threads,
      threadsRequested: this.rt.pool?.requested ?? 1,
      singleThreadedReason: this.singleReason,
    };
  }

  /** Stops the worker threads and frees all data. */
  shutdown(): void {
    this.rt.pool?.close();
    this.rt.clear();
  }

  /** The runtime (for the package's tests and benchmarks). */
  get runtime(): Runtime {
    return this.rt;
  }

  private entry(t: TensorRef): Entry {
    return this.rt.get(t.id);
  }

  unary(op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): DataId {
    const xe = this.entry(x);
    const n = xe.length;
    const id = this.rt.create(outDtype, n);
    const oe = this.rt.get(id);
    const def = unaryDef(op);
    if (outDtype === 'float32') {
      const alpha = attrs.alpha ?? ('alpha' in def ? def.alpha : undefined) ?? 0;
      const code = UNARY_CODE.get(op)!;
      this.rt.parallel('unary', n, ELEMENTWISE_GRAIN, (s, e) => [code, xe.ptr, oe.ptr, s, e, alpha], 4);
    } else {
      // int32 and bool forms run on the host, over views of the wasm memory.
      hostUnary(def, this.rt.view(xe), this.rt.view(oe));
    }
    return id;
  }

  unaryGrad(op: UnaryGradOp, x: TensorRef, y: TensorRef, dy: TensorRef, attrs: UnaryAttrs): DataId {
    const xe = this.entry(x);
    const ye = this.entry(y);
    const de = this.entry(dy);
    const n = xe.length;
    const id = this.rt.create('float32', n);
    const oe = this.rt.get(id);
    const def = unaryDef(op);
    const alpha = attrs.alpha ?? ('alpha' in def ? def.alpha : undefined) ?? 0;
    const code = UNARY_CODE.get(op)!;
    this.rt.parallel('unaryGrad', n, ELEMENTWISE_GRAIN, (s, e) => [code, xe.ptr, ye.ptr, de.ptr, oe.ptr, s, e, alpha], 4);
    return id;
  }

  binary(op: BinaryOp, a: TensorRef, b: TensorRef, outShape: readonly number[], outDtype: DType): DataId {
    const ae = this.entry(a);
    const be = this.entry(b);
    const n = sizeOf(outShape);
    const id = this.rt.create(outDtype, n);
    const oe = this.rt.get(id);
    if (n === 0) return id;
    const walk = mergeAxes(outShape, [contiguousStrides(outShape), broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);
    if (ae.dtype === 'float32') {
      const code = BINARY_CODE.get(op)!;
      const rank = walk.shape.length;
      const meta = this.rt.writeMeta([...walk.shape, ...walk.strides[1]!, ...walk.strides[2]!]);
      this.rt.parallel('binary', n, ELEMENTWISE_GRAIN, (s, e) => [code, rank, meta, ae.ptr, be.ptr, oe.ptr, s, e], 4);
    } else {
      hostBinary(binaryDef(op), this.rt.view(ae), this.rt.view(be), this.rt.view(oe), walk);
    }
    return id;
  }

  where(cond: TensorRef, a: TensorRef, b: TensorRef, outShape: readonly number[]): DataId {
    const ce = this.entry(cond);
    const ae = this.entry(a);
    const be = this.entry(b);
    const n = sizeOf(outShape);
    const id = this.rt.create(ae.dtype, n);
    const oe = this.rt.get(id);
    if (n === 0) return id;
    const walk = mergeAxes(outShape, [
      contiguousStrides(outShape), broadcastStrides(cond.shape, outShape), broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape),
    ]);
    if (ae.dtype !== 'bool') {
      const rank = walk.shape.length;
      const meta = this.rt.writeMeta([...walk.shape, ...walk.strides[1]!, ...walk.strides[2]!, ...walk.strides[3]!]);
      this.rt.parallel('where4', n, ELEMENTWISE_GRAIN, (s, e) => [rank, meta, ce.ptr, ae.ptr, be.ptr, oe.ptr, s, e]);
    } else {
      hostWhere(this.rt.view(ce) as Uint8Array, this.rt.view(ae), this.rt.view(be), this.rt.view(oe), walk);
    }
    return id;
  }

  cast(x: TensorRef, dtype: DType): DataId {
    const xe = this.entry(x);
    const id = this.rt.create(dtype, xe.length);
    castInto(this.rt.view(xe), this.rt.view(this.rt.get(id)), dtype);
    return id;
  }

  reduce(op: ReduceOp, x: TensorRef, outDtype: DType): DataId {
    const [outer, r, inner] = x.shape as [number, number, number];
    const xe = this.entry(x);
    const id = this.rt.create(outDtype, outer * inner);
    const oe = this.rt.get(id);
    if (xe.dtype === 'float32') {
      const code = REDUCE_OPS.indexOf(op);
      this.rt.parallel('reduce', outer, Math.max(1, Math.ceil(ELEMENTWISE_GRAIN / (r * inner))), (s, e) => [code, xe.ptr, oe.ptr, r, inner, s, e]);
    } else {
      intReduce(op, this.rt.view(xe), this.rt.view(oe), outer, r, inner);
    }
    return id;
  }

  matmul(a: TensorRef, b: TensorRef, attrs: MatmulAttrs): DataId {
    return matmul(this.rt, a, b, attrs);
  }

  conv2d(x: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
    const id = this.rt.create('float32', info.batch * info.outChannels * info.outHeight * info.outWidth);
    this.convByBatch('conv2d', this.entry(x).ptr, this.entry(w).ptr, this.rt.get(id).ptr, info);
    return id;
  }

  conv2dBackInput(dy: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
    const id = this.rt.create('float32', info.batch * info.inChannels * info.inHeight * info.inWidth);
    this.convByBatch('conv2dBackInput', this.entry(dy).ptr, this.entry(w).ptr, this.rt.get(id).ptr, info);
    return id;
  }

  conv2dBackFilter(x: TensorRef, dy: TensorRef, info: Conv2dInfo): DataId {
    const len = info.outChannels * (info.inChannels / info.groups) * info.kernelHeight * info.kernelWidth;
    const id = this.rt.create('float32', len);
    const out = this.rt.get(id).ptr;
    const infoPtr = this.writeInfo(info);
    const parts = this.convParts(info);
    const workBytes = this.rt.exports.convWorkBytes(infoPtr);
    const work = this.rt.heap.alloc(workBytes * parts);
    // Thread 0 writes into the output, the others into partial sums added at the end.
    const partials = parts > 1 ? this.rt.heap.alloc(len * 4 * (parts - 1)) : 0;
    try {
      const xp = this.entry(x).ptr;
      const dyp = this.entry(dy).ptr;
      const lists: number[][] = [];
      for (let p = 0; p < parts; p++) {
        const [s, e] = range(info.batch, parts, p);
        lists.push([xp, dyp, p === 0 ? out : partials + (p - 1) * len * 4, infoPtr, s, e, work + p * workBytes]);
      }
      this.rt.runLists('conv2dBackFilter', lists);
      for (let p = 1; p < parts; p++) this.rt.exports.addInto(out, partials + (p - 1) * len * 4, 0, len);
    } finally {
      this.rt.heap.release(work);
      if (partials !== 0) this.rt.heap.release(partials);
    }
    return id;
  }

  pool2d(kind: PoolKind, x: TensorRef, info: Conv2dInfo): DataId {
    const planes = info.batch * info.inChannels;
    const id = this.rt.create('float32', planes * info.outHeight * info.outWidth);
    const xp = this.entry(x).ptr;
    const op = this.rt.get(id).ptr;
    const infoPtr = this.writeInfo(info);
    const grain = Math.max(1, Math.ceil(ELEMENTWISE_GRAIN / Math.max(1, info.inHeight * info.inWidth)));
    this.rt.parallel('pool2d', planes, grain, (s, e) => [kind === 'max' ? 0 : 1, xp, op, infoPtr, s, e]);
    return id;
  }

  pool2dBack(kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): DataId {
    const planes = info.batch * info.inChannels;
    const id = this.rt.create('float32', planes * info.inHeight * info.inWidth);
    const dyp = this.entry(dy).ptr;
    const xp = this.entry(x).ptr;
    const dxp = this.rt.get(id).ptr;
    const infoPtr = this.writeInfo(info);
    const grain = Math.max(1, Math.ceil(ELEMENTWISE_GRAIN / Math.max(1, info.inHeight * info.inWidth)));
    this.rt.parallel('pool2dBack', planes, grain, (s, e) => [kind === 'max' ? 0 : 1, dyp, xp, dxp, infoPtr, s, e]);
    return id;
  }

  copy(x: TensorRef, view: StridedView): DataId {
    return this.copyView(this.entry(x), view.shape, view.strides, view.offset);
  }

  pad(x: TensorRef, paddings: readonly (readonly [number, number])[], value: number): DataId {
    const xe = this.entry(x);
    const shape = x.shape;
    const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    const id = this.rt.create(xe.dtype, sizeOf(outShape));
    const out = this.rt.view(this.rt.get(id));
    const src = this.rt.view(xe);
    out.fill(xe.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
    if (src.length === 0) return id;
    // Paddings are ≥ 0: x lands whole at offset Σ before_i · outStride_i.
    const xs = contiguousStrides(shape);
    const os = contiguousStrides(outShape);
    const dstOff = paddings.reduce((at, p, i) => at + p[0] * os[i]!, 0);
    const walk = mergeAxes(shape, [os, xs]);
    const last = walk.shape.length - 1;
    const so = walk.strides[0]![last]!;
    const ss = walk.strides[1]![last]!;
    forEachRow(walk, [dstOff, 0], (off, n) => {
      if (so === 1 && ss === 1) out.set(src.subarray(off[1], off[1]! + n), off[0]);
      else for (let i = 0, o = off[0]!, s = off[1]!; i < n; i++, o += so, s += ss) out[o] = src[s]!;
    });
    return id;
  }

  concat(xs: readonly TensorRef[], axis: number, outShape: readonly number[]): DataId {
    const id = this.rt.create(xs[0]!.dtype, sizeOf(outShape));
    const out = this.rt.view(this.rt.get(id));
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= outShape[i]!;
    const outInner = sizeOf(outShape.slice(axis));
    let column = 0;
    for (const t of xs) {
      const src = this.rt.view(this.entry(t));
      const inner = sizeOf(t.shape.slice(axis));
      if (inner === 0) continue;
      for (let o = 0; o < outer; o++) out.set(src.subarray(o * inner, (o + 1) * inner), o * outInner + column);
      column += inner;
    }
    return id;
  }

  gather(x: TensorRef, indices: TensorRef, axis: number): DataId {
    const [outer, d, inner] = around(x.shape, axis);
    const ie = this.entry(indices);
    const j = ie.length;
    const xe = this.entry(x);
    const id = this.rt.create(xe.dtype, outer * j * inner);
    const out = this.rt.view(this.rt.get(id));
    const src = this.rt.view(xe);
    const idx = this.rt.view(ie);
    if (inner === 1) {
      // One element per index (takeAlongAxis, sort values): a plain loop, no subarray per element.
      for (let a = 0, o = 0; a < outer; a++) for (let t = 0; t < j; t++) out[o++] = src[a * d + idx[t]!]!;
      return id;
    }
    let o = 0;
    for (let a = 0; a < outer; a++) {
      for (let t = 0; t < j; t++) {
        const s = (a * d + idx[t]!) * inner;
        out.set(src.subarray(s, s + inner), o);
        o += inner;
      }
    }
    return id;
  }

  scatterAdd(updates: TensorRef, indices: TensorRef, axis: number, outShape: readonly number[]): DataId {
    const [outer, d, inner] = around(outShape, axis);
    const ie = this.entry(indices);
    const j = ie.length;
    const ue = this.entry(updates);
    const id = this.rt.create('float32', sizeOf(outShape));
    const out = this.rt.view(this.rt.get(id));
    out.fill(0);
    const upd = this.rt.view(ue);
    const idx = this.rt.view(ie);
    if (upd.length === 0) return id;
    let u = 0;
    for (let a = 0; a < outer; a++) {
      for (let t = 0; t < j; t++) {
        const o = (a * d + idx[t]!) * inner;
        for (let i = 0; i < inner; i++) out[o + i]! += upd[u++]!;
      }
    }
    return id;
  }

  argsort(x: TensorRef, descending: boolean): DataId {
    const [outer, n] = x.shape as [number, number];
    const xe = this.entry(x);
    const id = this.rt.create('int32', outer * n);
    const out = this.rt.get(id).ptr;
    // Rows split across threads, each with its own scratch (keys, radix buffers, byte counts).
    const parts = Math.max(1, Math.min(this.rt.threads, outer, Math.floor((outer * n) / ELEMENTWISE_GRAIN)));
    const workBytes = (3 * n + 256) * 4;
    const work = this.rt.heap.alloc(workBytes * parts);
    try {
      const lists: number[][] = [];
      for (let p = 0; p < parts; p++) {
        const [r0, r1] = range(outer, parts, p);
        lists.push([xe.ptr, out, n, xe.dtype === 'int32' ? 1 : 0, descending ? 1 : 0, r0, r1, work + p * workBytes]);
      }
      this.rt.runLists('argsort', lists);
    } finally {
      this.rt.heap.release(work);
    }
    return id;
  }

  /**
   * Runs a fused elementwise program through the AssemblyScript tile interpreter (src/fused.ts),
   * bit-identical to the unfused kernels; in a program it does not take whole (int32 values, bool-only
   * ops) those steps run unfused first and the rest fused.
   */
  fusedElementwise(program: FusedElementwiseProgram, inputs: readonly TensorRef[]): DataId[] {
    const infos = validateFusedProgram(program);
    checkFusedInputs(program, inputs);
    if (sizeOf(program.outShape) === 0) return runFusedUnfused(this, program, inputs);
    if (!interpreterTakes(program, infos)) return runFusedInParts(this, this.rt, program, infos, inputs);
    return runFused(this.rt, program, infos, inputs.map((t) => this.entry(t)));
  }

  /** A flat fused program over several segments in one call into WebAssembly (fused-segments.ts), each segment as {@link WasmBackend.fusedElementwise} computes it. */
  fusedElementwiseSegments(program: FusedElementwiseProgram, segments: readonly FusedSegment[]): DataId[][] {
    return runFusedSegments(this, this.rt, program, segments, (t) => this.entry(t));
  }

  /** {@link WasmBackend.matmul}, then its elementwise epilogue in the same call (src/epilogues.ts: in place where it compiles). */
  matmulEpilogue(a: TensorRef, b: TensorRef, attrs: MatmulAttrs, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    return runEpilogue(this, this.rt, 'matmulEpilogue', this.matmul(a, b, attrs), epilogue, extras);
  }

  /** {@link WasmBackend.conv2d}, then its elementwise epilogue, as {@link WasmBackend.matmulEpilogue}. */
  conv2dEpilogue(x: TensorRef, w: TensorRef, info: Conv2dInfo, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    return runEpilogue(this, this.rt, 'conv2dEpilogue', this.conv2d(x, w, info), epilogue, extras);
  }

  /** {@link WasmBackend.pool2d}, then its elementwise epilogue, as {@link WasmBackend.matmulEpilogue}. */
  pool2dEpilogue(kind: PoolKind, x: TensorRef, info: Conv2dInfo, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    return runEpilogue(this, this.rt, 'pool2dEpilogue', this.pool2d(kind, x, info), epilogue, extras);
  }

  /** {@link WasmBackend.reduce}, then its elementwise epilogue, as {@link WasmBackend.matmulEpilogue}. */
  reduceEpilogue(op: ReduceOp, x: TensorRef, outDtype: DType, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    return runEpilogue(this, this.rt, 'reduceEpilogue', this.reduce(op, x, outDtype), epilogue, extras);
  }

  layerNorm(x: TensorRef, eps: number): DataId {
    const [rows, n] = x.shape as [number, number];
    const xe = this.entry(x);
    const id = this.rt.create('float32', rows * n);
    const out = this.rt.get(id).ptr;
    // Whole rows per thread; a row costs about three passes over its n values.
    this.rt.parallel('layerNorm', rows, Math.max(1, Math.ceil(ELEMENTWISE_GRAIN / (3 * n))), (s, e) => [xe.ptr, out, n, eps, s, e]);
    return id;
  }

  layerNormGrad(x: TensorRef, dy: TensorRef, eps: number): DataId {
    const [rows, n] = x.shape as [number, number];
    const xe = this.entry(x);
    const de = this.entry(dy);
    const id = this.rt.create('float32', rows * n);
    const out = this.rt.get(id).ptr;
    this.rt.parallel('layerNormGrad', rows, Math.max(1, Math.ceil(ELEMENTWISE_GRAIN / (4 * n))), (s, e) => [xe.ptr, de.ptr, out, n, eps, s, e]);
    return id;
  }

  /** Materialises a strided view of an entry into a new entry. */
  private copyView(xe: Entry, shape: readonly number[], strides: readonly number[], offset: number): number {
    const n = sizeOf(shape);
    const id = this.rt.create(xe.dtype, n);
    const oe = this.rt.get(id);
    const walk = mergeAxes(shape, [contiguousStrides(shape), strides]);
    const rank = walk.shape.length;
    const meta = this.rt.writeMeta([...walk.shape, ...walk.strides[1]!]);
    const bytes = elementBytes(xe.dtype);
    const base = xe.ptr + offset * bytes;
    this.rt.parallel(bytes === 4 ? 'copy4' : 'copy1', n, ELEMENTWISE_GRAIN, (s, e) => [rank, meta, base, oe.ptr, s, e]);
    return id;
  }

  private writeInfo(g: Conv2dInfo): number {
    return this.rt.writeMeta(CONV2D_INFO_FIELDS.map((f) => g[f]), 2048);
  }

  private convParts(info: Conv2dInfo): number {
    const flops = info.batch * info.outChannels * info.outHeight * info.outWidth * (info.inChannels / info.groups) * info.kernelHeight * info.kernelWidth;
    if (flops < GEMM_GRAIN) return 1;
    return Math.max(1, Math.min(this.rt.threads, info.batch));
  }

  /** Runs a per-sample conv kernel with the batch split across threads, each with its own scratch. */
  private convByBatch(name: 'conv2d' | 'conv2dBackInput', p0: number, p1: number, out: number, info: Conv2dInfo): void {
    const infoPtr = this.writeInfo(info);
    const parts = this.convParts(info);
    const workBytes = this.rt.exports.convWorkBytes(infoPtr);
    const work = this.rt.heap.alloc(workBytes * parts);
    try {
      const lists: number[][] = [];
      for (let p = 0; p < parts; p++) {
        const [s, e] = range(info.batch, parts, p);
        lists.push([p0, p1, out, infoPtr, s, e, work + p * workBytes]);
      }
      this.rt.runLists(name, lists);
    } finally {
      this.rt.heap.release(work);
    }
  }
}

/** [start, end) of part p when splitting n items into `parts`. */
function range(n: number, parts: number, p: number): [number, number] {
  return [Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts)];
}

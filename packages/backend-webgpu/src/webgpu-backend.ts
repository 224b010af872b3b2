import {
  BackendError, allocArray, bytesPerElement, encodeFloat16, checkFusedInputs, checkFusedSegments, segmentProgram, runFusedUnfused, runEpilogueUnfused, validateFusedProgram,
  type Backend, type BackendMemory, type BinaryOp, type Conv2dInfo, type DataId, type DeviceLossInfo, type DType, type Float16Kernel,
  type FusedElementwiseProgram, type FusedSegment, type MatmulAttrs,
  type PoolKind, type ReduceOp, type StridedView, type TensorRef, type TypedArray, type UnaryAttrs, type UnaryGradOp, type UnaryOp,
} from '@scratchnet/core';
import type { WebGpuDevice } from './device-type.js';
import { requestAdapter } from './gpu.js';
import { subgroupSizeOf, SUBGROUP_FEATURES } from './subgroups.js';
import { GpuRuntime, type Program } from './runtime.js';
import type { Uniforms } from './wgsl.js';
import type { GpuData, KernelContext } from './kernels/context.js';
import { binary, cast, unary, unaryGrad, where } from './kernels/elementwise.js';
import { concat, copy, gather, pad, scatterAdd } from './kernels/movement.js';
import { reduce, reduceEpilogue, reduceWithPrologue } from './kernels/reduce.js';
import { conv2d, conv2dBackFilter, conv2dBackInput, conv2dEpilogue, matmul, matmulEpilogue } from './kernels/matmul-conv.js';
import { epilogueBindings } from './kernels/epilogue.js';
import { pool2d, pool2dBack, pool2dEpilogue } from './kernels/pool.js';
import { argsort } from './kernels/argsort.js';
import { layerNorm, layerNormGrad } from './kernels/layer-norm.js';
import { fused, fusedBindings } from './kernels/fused.js';
import { fusedSegments } from './kernels/fused-segments.js';
import { halfBufferBytes } from './half.js';

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /** Use this `GPUDevice` instead of requesting one (the caller keeps ownership of its adapter). */
  readonly device?: WebGpuDevice;
  /**
   * Request the adapter feature `shader-f16` (float16 storage and kernels) when the adapter has it;
   * default true. false gives a device without it, as on adapters that lack it (float16 then fails
   * with a clear error at its first use).
   */
  readonly float16?: boolean;
}

/** The kernels that run on float16 data in WGSL (f16 storage, f32 arithmetic); the rest run in float32 via core. */
const HALF_KERNELS: ReadonlySet<Float16Kernel> = new Set<Float16Kernel>([
  'unary', 'binary', 'where', 'copy', 'pad', 'concat', 'gather', 'reduce', 'pool2d', 'pool2dBack',
  'matmul', 'conv2d', 'conv2dBackInput', 'conv2dBackFilter',
]);

function dataOf(id: DataId): GpuData {
  if (typeof id !== 'object' || !('buffer' in id)) throw new BackendError('webgpu: data id was not made by the webgpu backend');
  return id as GpuData;
}

/**
 * ScratchNet's WebGPU backend. Tensors live in GPU storage buffers (float32 as f32, int32 as i32, bool
 * as one u32 word of 0 or 1 per element); every kernel records a WGSL compute dispatch into a shared
 * command encoder and returns at once; {@link WebGpuBackend.read} submits and maps a copy. There is no
 * synchronous read: `dataSync()` tells the user to `await t.data()`.
 */
export class WebGpuBackend implements Backend {
  /** The name the backend registers under. */
  readonly name = 'webgpu';
  private readonly live = new Set<GpuData>();
  private logicalBytes = 0;
  private readonly ctx: KernelContext;
  private readonly maxBinding: number;
  /** Storage buffers one shader may bind (a fused program with more runs unfused). */
  private readonly maxStorageBuffers: number;
  /** True when the device has `shader-f16`. */
  private readonly half: boolean;
  /** The kernels computing on float16 here (none without `shader-f16`). */
  readonly float16Kernels: ReadonlySet<Float16Kernel>;

  /** @internal Wraps a runtime (use {@link createWebGpuBackend} to make one from the environment). */
  constructor(private readonly rt: GpuRuntime) {
    this.maxBinding = Math.min(rt.device.limits.maxStorageBufferBindingSize, rt.device.limits.maxBufferSize);
    this.maxStorageBuffers = (rt.device.limits as { maxStorageBuffersPerShaderStage?: number }).maxStorageBuffersPerShaderStage ?? 8;
    this.half = rt.device.features.has('shader-f16');
    this.float16Kernels = this.half ? HALF_KERNELS : new Set();
    this.ctx = {
      buf: (t: TensorRef): GPUBuffer => dataOf(t.id).buffer,
      alloc: (size: number, dtype: DType): GpuData => this.alloc(size, dtype),
      run: (program: Program, buffers: readonly GPUBuffer[], u: Uniforms, groups: readonly [number, number, number]): void =>
        rt.dispatch(program, buffers, u.bytes(), groups),
      subgroupSize: subgroupSizeOf(rt.device),
    };
  }

  /** The `GPUDevice` in use (cast it to `GPUDevice` where your project has the WebGPU types). */
  get device(): WebGpuDevice {
    return this.rt.device;
  }

  /** Throws the clear error float16 gets on a device without `shader-f16`. */
  private needHalf(op: string): void {
    if (this.half) return;
    throw new BackendError(
      `webgpu: ${op} of float16 data needs the adapter feature 'shader-f16', which this device lacks; keep float32 on this backend, or use the js or wasm backend for float16`,
    );
  }

  private alloc(size: number, dtype: DType): GpuData {
    if (dtype === 'float16') this.needHalf('storing');
    const bytes = dtype === 'float16' ? halfBufferBytes(size) : size * 4;
    if (bytes > this.maxBinding) {
      throw new BackendError(
        `webgpu: a tensor of ${size} elements (${bytes} bytes) exceeds this device's maxStorageBufferBindingSize of ${this.maxBinding} bytes; use a smaller tensor or another backend`,
      );
    }
    const d: GpuData = { buffer: this.rt.pool.acquire(Math.max(bytes, 4)), size, dtype };
    this.live.add(d);
    this.logicalBytes += size * bytesPerElement(dtype);
    return d;
  }

  /** Uploads values into a new storage buffer. */
  write(values: TypedArray, dtype: DType): DataId {
    this.rt.checkAlive('write');
    const d = this.alloc(values.length, dtype);
    if (values.length > 0) {
      let words: Float32Array | Int32Array | Uint32Array;
      if (dtype === 'float16') {
        // The bits as they are, padded to whole 4-byte words.
        const padded = new Uint16Array(halfBufferBytes(values.length) / 2);
        padded.set(values instanceof Uint16Array ? values : encodeFloat16(values));
        words = new Uint32Array(padded.buffer);
      } else if (dtype === 'float32') words = values instanceof Float32Array ? values : Float32Array.from(values);
      else if (dtype === 'int32') words = values instanceof Int32Array ? values : Int32Array.from(values);
      else words = Uint32Array.from(values, (v) => (v !== 0 ? 1 : 0));
      this.rt.writeBuffer(d.buffer, words.buffer, words.byteOffset, words.byteLength);
    }
    return d;
  }

  /** Submits pending work and reads the data back (float32 → Float32Array, float16 → Uint16Array of bits, int32 → Int32Array, bool → Uint8Array). */
  async read(id: DataId): Promise<TypedArray> {
    const d = dataOf(id);
    if (d.size === 0) return allocArray(d.dtype, 0);
    if (d.dtype === 'float16') return new Uint16Array(await this.rt.readBytes(d.buffer, halfBufferBytes(d.size)), 0, d.size);
    const bytes = await this.rt.readBytes(d.buffer, d.size * 4);
    if (d.dtype === 'float32') return new Float32Array(bytes);
    if (d.dtype === 'int32') return new Int32Array(bytes);
    return Uint8Array.from(new Uint32Array(bytes));
  }

  /** Returns the buffer to the pool (reused once the commands already recorded were submitted). */
  dispose(id: DataId): void {
    const d = dataOf(id);
    if (!this.live.delete(d)) return;
    this.logicalBytes -= d.size * bytesPerElement(d.dtype);
    this.rt.release(d.buffer);
  }

  /** Live tensor bytes (by dtype size), buffers, and the pool's figures. */
  memory(): BackendMemory {
    const p = this.rt.pool.stats();
    return { bytes: this.logicalBytes, buffers: this.live.size, gpuBytes: p.liveBytes, pooledBytes: p.idleBytes, pooledBuffers: p.idleBuffers, allocatedBytes: p.allocatedBytes };
  }

  /** Facts about the adapter, the device limits that matter and the runtime's counters. */
  info(): Record<string, unknown> {
    return {
      kind: 'webgpu', ...this.rt.adapterInfo, maxStorageBufferBindingSize: this.maxBinding, maxStorageBuffersPerShaderStage: this.maxStorageBuffers,
      pipelines: this.rt.pipelineCount, ...this.rt.counters.snapshot(), ...this.rt.poolStats(), fusedExact: false,
    };
  }

  /**
   * Why the device was lost (`reason` and `message` of its GPUDeviceLostInfo), or null while it
   * works. After a loss every kernel, write and read throws a DeviceLostError; core's `setBackend`
   * moves on to another backend with the variables' last synced values.
   */
  deviceLost(): DeviceLossInfo | null {
    return this.rt.loss.lost;
  }

  /** Waits for the GPU to finish everything recorded so far. */
  sync(): Promise<void> {
    return this.rt.sync();
  }

  /** Destroys the device and every buffer. */
  shutdown(): void {
    for (const d of this.live) d.buffer.destroy();
    this.live.clear();
    this.logicalBytes = 0;
    this.rt.destroy();
  }

  private release = (d: GpuData): void => this.dispose(d);

  unary(op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): DataId {
    return unary(this.ctx, op, x, outDtype, attrs);
  }
  unaryGrad(op: UnaryGradOp, x: TensorRef, y: TensorRef, dy: TensorRef, attrs: UnaryAttrs): DataId {
    return unaryGrad(this.ctx, op, x, y, dy, attrs);
  }
  binary(op: BinaryOp, a: TensorRef, b: TensorRef, outShape: readonly number[], outDtype: DType): DataId {
    return binary(this.ctx, op, a, b, outShape, outDtype);
  }
  where(cond: TensorRef, a: TensorRef, b: TensorRef, outShape: readonly number[]): DataId {
    return where(this.ctx, cond, a, b, outShape);
  }
  cast(x: TensorRef, dtype: DType): DataId {
    return cast(this.ctx, x, dtype);
  }
  reduce(op: ReduceOp, x: TensorRef, outDtype: DType): DataId {
    return reduce(this.ctx, op, x, outDtype);
  }
  matmul(a: TensorRef, b: TensorRef, attrs: MatmulAttrs): DataId {
    return matmul(this.ctx, a, b, attrs);
  }
  conv2d(x: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
    return conv2d(this.ctx, x, w, info);
  }
  conv2dBackInput(dy: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
    return conv2dBackInput(this.ctx, dy, w, info);
  }
  conv2dBackFilter(x: TensorRef, dy: TensorRef, info: Conv2dInfo): DataId {
    return conv2dBackFilter(this.ctx, x, dy, info, this.release);
  }
  pool2d(kind: PoolKind, x: TensorRef, info: Conv2dInfo): DataId {
    return pool2d(this.ctx, kind, x, info);
  }
  pool2dBack(kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): DataId {
    return pool2dBack(this.ctx, kind, dy, x, info);
  }
  copy(x: TensorRef, view: StridedView): DataId {
    return copy(this.ctx, x, view);
  }
  pad(x: TensorRef, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return pad(this.ctx, x, paddings, value);
  }
  concat(xs: readonly TensorRef[], axis: number, outShape: readonly number[]): DataId {
    return concat(this.ctx, xs, axis, outShape);
  }
  gather(x: TensorRef, indices: TensorRef, axis: number): DataId {
    return gather(this.ctx, x, indices, axis);
  }
  scatterAdd(updates: TensorRef, indices: TensorRef, axis: number, outShape: readonly number[]): DataId {
    return scatterAdd(this.ctx, updates, indices, axis, outShape);
  }
  argsort(x: TensorRef, descending: boolean): DataId {
    return argsort(this.ctx, x, descending, this.release);
  }
  layerNorm(x: TensorRef, eps: number): DataId {
    return layerNorm(this.ctx, x, eps);
  }
  layerNormGrad(x: TensorRef, dy: TensorRef, eps: number): DataId {
    return layerNormGrad(this.ctx, x, dy, eps);
  }

  /**
   * Runs a fused elementwise program as one WGSL dispatch (kernels/fused.ts); a program binding more
   * storage buffers than the device allows per shader runs unfused instead. Each step computes as its
   * unfused kernel, but the shader compiler may contract a·b + c across steps (`info().fusedExact` is false).
   */
  fusedElementwise(program: FusedElementwiseProgram, inputs: readonly TensorRef[]): DataId[] {
    checkFusedInputs(program, inputs);
    if (fusedBindings(program) > this.maxStorageBuffers) return runFusedUnfused(this, program, inputs);
    return fused(this.ctx, program, inputs);
  }

  /**
   * Runs a flat fused program over several segments in as few dispatches as the device's
   * `maxStorageBuffersPerShaderStage` allows (kernels/fused-segments.ts): each segment binds its own
   * inputs and outputs, so a dispatch takes as many segments as fit in that many storage bindings;
   * a program one segment of which does not fit runs segment by segment through fusedElementwise.
   */
  fusedElementwiseSegments(program: FusedElementwiseProgram, segments: readonly FusedSegment[]): DataId[][] {
    checkFusedSegments(program, segments);
    if (fusedBindings(program) > this.maxStorageBuffers) return segments.map((s) => this.fusedElementwise(segmentProgram(program, s.size), s.inputs));
    return fusedSegments(this.ctx, program, segments, this.maxStorageBuffers);
  }

  /**
   * matmul with an elementwise program applied in the GEMM's store (kernels/epilogue.ts): one dispatch.
   * A program binding more storage buffers than the device allows runs as matmul, then the program.
   */
  matmulEpilogue(a: TensorRef, b: TensorRef, attrs: MatmulAttrs, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    if (a.dtype !== 'float32' || epilogueBindings(epilogue) > this.maxStorageBuffers) return this.thenEpilogue(this.matmul(a, b, attrs), epilogue, extras);
    return [...matmulEpilogue(this.ctx, a, b, attrs, epilogue, extras)];
  }

  /** conv2d with an elementwise program applied in the GEMM's store, as {@link WebGpuBackend.matmulEpilogue}. */
  conv2dEpilogue(x: TensorRef, w: TensorRef, info: Conv2dInfo, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    if (x.dtype !== 'float32' || epilogueBindings(epilogue) > this.maxStorageBuffers) return this.thenEpilogue(this.conv2d(x, w, info), epilogue, extras);
    return [...conv2dEpilogue(this.ctx, x, w, info, epilogue, extras)];
  }

  /** Pooling with an elementwise program applied as each float32 output is stored: one dispatch (else pool2d, then the program). */
  pool2dEpilogue(kind: PoolKind, x: TensorRef, info: Conv2dInfo, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    if (x.dtype !== 'float32' || epilogueBindings(epilogue, 1) > this.maxStorageBuffers) return this.thenEpilogue(this.pool2d(kind, x, info), epilogue, extras);
    return [...pool2dEpilogue(this.ctx, kind, x, info, epilogue, extras)];
  }

  /** A float32 reduction with an elementwise program applied as each result is stored: one dispatch (else reduce, then the program). */
  reduceEpilogue(op: ReduceOp, x: TensorRef, outDtype: DType, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    if (x.dtype !== 'float32' || outDtype !== 'float32' || epilogueBindings(epilogue, 1) > this.maxStorageBuffers) {
      return this.thenEpilogue(this.reduce(op, x, outDtype), epilogue, extras);
    }
    return [...reduceEpilogue(this.ctx, op, x, epilogue, extras)];
  }

  /**
   * An elementwise program computed inside the reduce kernel as it reads each element (kernels/prologue.ts):
   * one dispatch. A program binding more storage buffers than the device allows runs, then the reduce.
   */
  reducePrologue(op: ReduceOp, prologue: FusedElementwiseProgram, inputs: readonly TensorRef[], shape: readonly [number, number, number], outDtype: DType): DataId {
    if (prologue.outputs.length !== 1) throw new BackendError(`reducePrologue: the program must have one output, got ${prologue.outputs.length}`);
    if (inputs.length + 1 <= this.maxStorageBuffers) return reduceWithPrologue(this.ctx, op, prologue, inputs, shape, outDtype);
    const [made] = this.fusedElementwise(prologue, inputs);
    try {
      return this.reduce(op, { id: made!, shape, dtype: validateFusedProgram(prologue)[prologue.outputs[0]!]!.dtype }, outDtype);
    } finally {
      this.dispose(made!);
    }
  }

  /** Runs `epilogue` on a product made by the plain kernel, then frees the product. */
  private thenEpilogue(product: DataId, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[] {
    try {
      return runEpilogueUnfused(this, product, epilogue, extras);
    } finally {
      this.dispose(product);
    }
  }
}

/**
 * Makes a WebGPU backend from the environment's adapter (`navigator.gpu` in browsers, the `webgpu`
 * package in Node). Rejects with the reason when there is no adapter or no device.
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  let device = options.device as GPUDevice | undefined;
  let info: Record<string, unknown> = {};
  if (!device) {
    const found = await requestAdapter();
    if (!found.adapter) throw new BackendError(`webgpu: ${found.reason}`);
    const a = found.adapter;
    const ai = a.info as GPUAdapterInfo | undefined;
    info = { source: found.source, vendor: ai?.vendor ?? '', architecture: ai?.architecture ?? '', device: ai?.device ?? '', description: ai?.description ?? '' };
    const lim = a.limits;
    const features: GPUFeatureName[] = options.float16 !== false && a.features.has('shader-f16') ? ['shader-f16'] : [];
    try {
      device = await a.requestDevice({
        requiredFeatures: [...features, ...SUBGROUP_FEATURES.filter((f) => a.features.has(f))],
        requiredLimits: {
          maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
          maxBufferSize: lim.maxBufferSize,
          maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
          maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
          // Fused programs (an optimizer update reads 6 buffers and writes 3) run as one shader only within this.
          maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
        },
      });
    } catch (e) {
      throw new BackendError(`webgpu: the adapter refused a device: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return new WebGpuBackend(new GpuRuntime(device, info));
}

/**
 * True when a WebGPU adapter can be found here (a cheap probe: requests an adapter, no device).
 */
export async function isAvailable(): Promise<boolean> {
  return (await requestAdapter()).adapter !== null;
}

/** Why WebGPU is not available here, or null when it is. */
export async function unavailableReason(): Promise<string | null> {
  const found = await requestAdapter();
  return found.adapter ? null : found.reason;
}

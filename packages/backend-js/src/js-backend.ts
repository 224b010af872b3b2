import { checkFusedInputs } from '@scratchnet/core';
import type {
  Backend, BackendMemory, FusedElementwiseProgram, FusedSegment, BinaryOp, Conv2dInfo, DataId, DType, MatmulAttrs, PoolKind, ReduceOp, StridedView,
  TensorRef, TypedArray, UnaryAttrs, UnaryGradOp, UnaryOp,
} from '@scratchnet/core';
import { Storage, dtypeOf } from './storage.js';
import { unaryGradKernel, unaryKernel } from './kernels/unary.js';
import { binaryKernel, whereKernel } from './kernels/binary.js';
import { castKernel } from './kernels/cast.js';
import { reduceKernel } from './kernels/reduce.js';
import { asFloat32, matmulKernel } from './kernels/matmul.js';
import { conv2dBackFilterKernel, conv2dBackInputKernel, conv2dKernel } from './kernels/conv2d.js';
import { pool2dBackKernel, pool2dKernel } from './kernels/pool2d.js';
import { concatKernel, copyKernel, padKernel } from './kernels/layout.js';
import { gatherKernel, scatterAddKernel } from './kernels/indexing.js';
import { argsortKernel } from './kernels/argsort.js';
import { layerNormGradKernel, layerNormKernel } from './kernels/layer-norm.js';
import { fusedKernel } from './kernels/fused.js';
import { fusedSegmentsKernel } from './kernels/fused-segments.js';

/**
 * ScratchNet's plain-TypeScript backend: data lives in typed arrays (Float32Array, Int32Array,
 * Uint8Array for bool) keyed by numeric ids, and every kernel is a loop over them. Matmul and
 * convolutions go through a cache-blocked GEMM. Works everywhere JS runs; the reference and fallback.
 */
export class JsBackend implements Backend {
  /** The name the backend registers under. */
  readonly name = 'js';
  private readonly store = new Storage();

  /** Stores `values` without copying them (core never mutates them afterwards); converts if the array does not match `dtype`. */
  write(values: TypedArray, dtype: DType): DataId {
    return this.store.put(dtypeOf(values) === dtype ? values : castKernel(values, dtype));
  }

  /** A copy of the data behind `id`. */
  read(id: DataId): Promise<TypedArray> {
    try {
      return Promise.resolve(this.store.get(id).slice());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** A copy of the data behind `id`, synchronously. */
  readSync(id: DataId): TypedArray {
    return this.store.get(id).slice();
  }

  /** Frees the data behind `id`. */
  dispose(id: DataId): void {
    this.store.delete(id);
  }

  /** Live bytes and buffers. */
  memory(): BackendMemory {
    return this.store.memory();
  }

  /** Facts about this backend. */
  info(): Record<string, unknown> {
    return { kind: 'js' };
  }

  /** Drops all data. */
  shutdown(): void {
    this.store.clear();
  }

  private data(t: TensorRef): TypedArray {
    return this.store.get(t.id);
  }

  private f32(t: TensorRef): Float32Array {
    return asFloat32(this.store.get(t.id));
  }

  private put(values: TypedArray): DataId {
    return this.store.put(values);
  }

  unary(op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): DataId {
    return this.put(unaryKernel(op, this.data(x), outDtype, attrs));
  }

  unaryGrad(op: UnaryGradOp, x: TensorRef, y: TensorRef, dy: TensorRef, attrs: UnaryAttrs): DataId {
    return this.put(unaryGradKernel(op, this.f32(x), this.f32(y), this.f32(dy), attrs));
  }

  binary(op: BinaryOp, a: TensorRef, b: TensorRef, outShape: readonly number[], outDtype: DType): DataId {
    return this.put(binaryKernel(op, this.data(a), a.shape, this.data(b), b.shape, outShape, outDtype));
  }

  where(cond: TensorRef, a: TensorRef, b: TensorRef, outShape: readonly number[]): DataId {
    return this.put(whereKernel(this.data(cond), cond.shape, this.data(a), a.shape, this.data(b), b.shape, outShape));
  }

  cast(x: TensorRef, dtype: DType): DataId {
    return this.put(castKernel(this.data(x), dtype));
  }

  reduce(op: ReduceOp, x: TensorRef, outDtype: DType): DataId {
    return this.put(reduceKernel(op, this.data(x), x.shape, outDtype));
  }

  matmul(a: TensorRef, b: TensorRef, attrs: MatmulAttrs): DataId {
    return this.put(matmulKernel(this.data(a), a.shape, this.data(b), b.shape, attrs.transposeA, attrs.transposeB));
  }

  conv2d(x: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
    return this.put(conv2dKernel(this.f32(x), this.f32(w), info));
  }

  conv2dBackInput(dy: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
    return this.put(conv2dBackInputKernel(this.f32(dy), this.f32(w), info));
  }

  conv2dBackFilter(x: TensorRef, dy: TensorRef, info: Conv2dInfo): DataId {
    return this.put(conv2dBackFilterKernel(this.f32(x), this.f32(dy), info));
  }

  pool2d(kind: PoolKind, x: TensorRef, info: Conv2dInfo): DataId {
    return this.put(pool2dKernel(kind, this.f32(x), info));
  }

  pool2dBack(kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): DataId {
    return this.put(pool2dBackKernel(kind, this.f32(dy), this.f32(x), info));
  }

  copy(x: TensorRef, view: StridedView): DataId {
    return this.put(copyKernel(this.data(x), view));
  }

  pad(x: TensorRef, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return this.put(padKernel(this.data(x), x.shape, paddings, value));
  }

  concat(xs: readonly TensorRef[], axis: number, outShape: readonly number[]): DataId {
    return this.put(concatKernel(xs.map((t) => this.data(t)), xs.map((t) => t.shape), axis, outShape));
  }

  gather(x: TensorRef, indices: TensorRef, axis: number): DataId {
    return this.put(gatherKernel(this.data(x), x.shape, this.data(indices), axis));
  }

  scatterAdd(updates: TensorRef, indices: TensorRef, axis: number, outShape: readonly number[]): DataId {
    return this.put(scatterAddKernel(this.data(updates), this.data(indices), axis, outShape));
  }

  argsort(x: TensorRef, descending: boolean): DataId {
    return this.put(argsortKernel(this.data(x) as Float32Array | Int32Array, x.shape, descending));
  }

  layerNorm(x: TensorRef, eps: number): DataId {
    return this.put(layerNormKernel(this.data(x) as Float32Array, x.shape, eps));
  }

  layerNormGrad(x: TensorRef, dy: TensorRef, eps: number): DataId {
    return this.put(layerNormGradKernel(this.data(x) as Float32Array, this.data(dy) as Float32Array, x.shape, eps));
  }

  /** Runs a fused elementwise program as one generated loop (see kernels/fused.ts); bit-identical to the unfused kernels. */
  fusedElementwise(program: FusedElementwiseProgram, inputs: readonly TensorRef[]): DataId[] {
    checkFusedInputs(program, inputs);
    return fusedKernel(program, inputs.map((t) => this.data(t))).map((values) => this.put(values));
  }

  /** Runs a flat fused program over several segments in one call (kernels/fused-segments.ts), each as {@link JsBackend.fusedElementwise} would. */
  fusedElementwiseSegments(program: FusedElementwiseProgram, segments: readonly FusedSegment[]): DataId[][] {
    return fusedSegmentsKernel(program, segments, (t) => this.data(t)).map((outs) => outs.map((values) => this.put(values)));
  }
}

/** Creates a fresh JS backend (not registered; see the package entry point for registration). */
export function createJsBackend(): JsBackend {
  return new JsBackend();
}

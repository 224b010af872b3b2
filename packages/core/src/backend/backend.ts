import type { DType, TypedArray } from '../dtype.js';
import type { DeviceLossInfo } from '../errors.js';
import type {
  BinaryOp, Conv2dInfo, DataId, MatmulAttrs, PoolKind, ReduceOp, StridedView, TensorRef, UnaryAttrs, UnaryGradOp, UnaryOp,
} from './kernel-types.js';
import type { FusedElementwiseProgram, FusedSegment } from './fused-types.js';

/** Memory figures a backend reports about the data it holds. */
export interface BackendMemory {
  /** Bytes held by live data. */
  readonly bytes: number;
  /** Number of live data buffers. */
  readonly buffers: number;
  /** Backend-specific extras (heap size, pooled buffers...). */
  readonly [extra: string]: number;
}

/** The kernels a backend may compute on float16 itself (see {@link Backend.float16Kernels}). */
export type Float16Kernel =
  | 'unary' | 'binary' | 'where' | 'reduce' | 'matmul' | 'conv2d' | 'conv2dBackInput' | 'conv2dBackFilter'
  | 'pool2d' | 'pool2dBack' | 'copy' | 'pad' | 'concat' | 'gather' | 'scatterAdd' | 'argsort' | 'unaryGrad'
  | 'layerNorm' | 'layerNormGrad';

/**
 * The contract every ScratchNet backend implements: storage plus a small fixed table of primitive
 * kernels. Ops, broadcasting rules, dtype promotion, shape planning and gradients all live in core; a
 * kernel only computes. Every kernel receives live, contiguous row-major inputs, never mutates them,
 * and returns the id of newly allocated output data whose size follows from the shapes given. Core
 * never calls a kernel whose output would be empty (it writes those itself), though an input may be
 * empty (a zero-length concat part, a matmul with k = 0). Each kernel's TSDoc states exactly what
 * core sends; the conformance suite checks every call against it (testing/checked-backend.ts), so a
 * backend need not handle anything else.
 */
export interface Backend {
  /** The name the backend is registered under. */
  readonly name: string;

  /** Stores `values` (core never mutates them afterwards, so a backend may keep the array). */
  write(values: TypedArray, dtype: DType): DataId;
  /** Reads data back; the caller owns the returned array. */
  read(id: DataId): Promise<TypedArray>;
  /** Reads data back synchronously, where the backend can (omit it when it cannot). */
  readSync?(id: DataId): TypedArray;
  /** Frees data. Called exactly once per id. */
  dispose(id: DataId): void;
  /** What the backend holds now. */
  memory(): BackendMemory;
  /** Free-form facts about the backend (SIMD, threads, adapter...). */
  info?(): Record<string, unknown>;
  /** Releases every resource (workers, devices); the backend is not used afterwards. */
  shutdown?(): void | Promise<void>;
  /**
   * Why the backend's device was lost (GPU reset, driver crash, `device.destroy()`), or null while it
   * works. Backends that cannot lose a device omit it. Once it reports a loss, core sends the backend
   * no more work: ops throw a DeviceLostError, and `setBackend` restores variables elsewhere from
   * their last synced values.
   */
  deviceLost?(): DeviceLossInfo | null;
  /**
   * The kernels (by method name) this backend computes on float16 data itself: they then receive
   * float16 inputs wherever the contract below says float32, and return float16 where they would
   * return float32 (accumulating in float32). Every backend must `write`, `read` and `cast` float16
   * (stored on the host as a Uint16Array of binary16 bit patterns); any other kernel missing here runs
   * in float32 — core casts its float16 inputs up, calls it, and casts a float16 result back down.
   */
  readonly float16Kernels?: ReadonlySet<Float16Kernel>;

  /** Elementwise unary op; output has x's shape and dtype `outDtype`, which is x's dtype (see {@link UnaryOp}). */
  unary(op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): DataId;
  /**
   * The fused derivative of a unary op (its definition's `grad` forms): float32 x, y = op(x) and dy of one
   * shape give float32 dx = dy · op'(x) of that shape; `attrs` as for {@link Backend.unary}.
   */
  unaryGrad(op: UnaryGradOp, x: TensorRef, y: TensorRef, dy: TensorRef, attrs: UnaryAttrs): DataId;
  /**
   * Elementwise binary op with broadcasting: a and b share a dtype, `outShape` is their broadcast shape
   * and `outDtype` is bool for comparisons and logical ops, else the inputs' dtype (see {@link BinaryOp}).
   */
  binary(op: BinaryOp, a: TensorRef, b: TensorRef, outShape: readonly number[], outDtype: DType): DataId;
  /** Selects a where cond (bool) is 1, else b; all three broadcast to `outShape`; a and b share a dtype (any). */
  where(cond: TensorRef, a: TensorRef, b: TensorRef, outShape: readonly number[]): DataId;
  /** Converts to a different dtype (never the same one): float→int truncates toward zero; →bool is x ≠ 0. */
  cast(x: TensorRef, dtype: DType): DataId;
  /**
   * Reduces x, always of shape [outer, r, inner] with every size ≥ 1, over its middle axis; the output
   * is [outer, inner] of dtype `outDtype`. Core merges and drops axes to reach this layout (reducing
   * several separated runs of axes as several calls), handles empty inputs and outputs itself, and
   * never sends bool. Per op (REDUCE_DEFS): sum / prod / max / min take float32 or int32 and output
   * the same dtype (int32 wraps like C; float max / min propagate NaN); argmax / argmin take float32 or
   * int32 and output the int32 index in [0, r) of the first extreme value (the first NaN wins).
   */
  reduce(op: ReduceOp, x: TensorRef, outDtype: DType): DataId;
  /**
   * Batched matrix product of float32 rank-3 operands: a is [ba, m, k] ([ba, k, m] when transposeA),
   * b is [bb, k, n] ([bb, n, k] when transposeB), ba and bb are equal or one of them is 1;
   * the output is [max(ba, bb), m, n].
   */
  matmul(a: TensorRef, b: TensorRef, attrs: MatmulAttrs): DataId;
  /**
   * 2-D convolution (cross-correlation) of float32 x [N, C, H, W] with w [O, C / groups, kh, kw] into
   * [N, O, outH, outW]. `info` is core's (conv-geometry.ts): every field a non-negative integer, strides,
   * dilations, window and output sizes ≥ 1, groups dividing C and O; padding may exceed the window.
   */
  conv2d(x: TensorRef, w: TensorRef, info: Conv2dInfo): DataId;
  /** Gradient of conv2d with respect to its input: float32 dy [N, O, outH, outW], w → dx [N, C, H, W]. */
  conv2dBackInput(dy: TensorRef, w: TensorRef, info: Conv2dInfo): DataId;
  /** Gradient of conv2d with respect to its filter: float32 x, dy → dw [O, C / groups, kh, kw]. */
  conv2dBackFilter(x: TensorRef, dy: TensorRef, info: Conv2dInfo): DataId;
  /**
   * Max or average pooling over float32 x [N, C, H, W] into [N, C, outH, outW] (info.outChannels =
   * inChannels, groups = 1). Padding cells never win a max; a window wholly in the padding (explicit
   * padding may exceed the window) has no cells: max gives -Infinity, avg 0.
   */
  pool2d(kind: PoolKind, x: TensorRef, info: Conv2dInfo): DataId;
  /**
   * Gradient of pooling: float32 dy [N, C, outH, outW], x [N, C, H, W] → dx [N, C, H, W]. For max, each window's dy goes to the
   * first (row-major) position holding the window's maximum in x.
   */
  pool2dBack(kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): DataId;
  /**
   * Materialises a strided view of x (transpose, slice, broadcastTo, flip): strides are integers
   * (0 broadcasts, negative ones walk backwards for flip), the offset is a non-negative integer, and
   * every element the view reads lies inside x.
   */
  copy(x: TensorRef, view: StridedView): DataId;
  /**
   * Pads each axis by [before, after] elements of `value` (stored as x's dtype stores it: truncated for
   * int32, ≠ 0 for bool). Paddings are non-negative integers, one pair per axis, not all 0.
   */
  pad(x: TensorRef, paddings: readonly (readonly [number, number])[], value: number): DataId;
  /** Joins at least two inputs (one dtype, equal off `axis`; some may be empty) along `axis`; `outShape` is the joined shape. */
  concat(xs: readonly TensorRef[], axis: number, outShape: readonly number[]): DataId;
  /**
   * Takes slices of x along `axis` (0 ≤ axis < rank) at int32 `indices`:
   * out shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]. Where the backend has `readSync`, core
   * has checked every index is in [0, x.shape[axis]) (never negative); an async-only backend gets
   * unchecked indices (core reports bad ones at the next read) and must not read outside x.
   */
  gather(x: TensorRef, indices: TensorRef, axis: number): DataId;
  /**
   * The adjoint of gather: starts from zeros of `outShape` (float32) and adds float32 updates[..., j, ...]
   * into out[..., indices[j], ...] along `axis`, where updates has gather's output shape for those
   * indices (the same indices gather received, so the same range guarantee holds).
   */
  scatterAdd(updates: TensorRef, indices: TensorRef, axis: number, outShape: readonly number[]): DataId;
  /**
   * Stable sort order of each row of x, float32 or int32 of shape [outer, n] (both ≥ 1; core moves the
   * sorted axis last): the int32 output [outer, n] holds, per row, the column indices that put the row
   * in ascending order (descending when `descending`), equal values keeping the lower index first in
   * both directions. NaN counts as larger than every number (last ascending, first descending; all NaNs
   * are equal), and −0 equals +0. (One way: map each float32 to an unsigned 32-bit key, NaN → the quiet
   * NaN's bits and −0 → +0 first, negatives' bits inverted and non-negatives' sign bit set; invert the key
   * for descending; order by (key, index).)
   */
  argsort(x: TensorRef, descending: boolean): DataId;
  /**
   * Layer normalisation of each row of float32 x [rows, n] (both ≥ 1): with the row's mean μ and
   * biased variance σ² = Σ (x − μ)² / n, the float32 output [rows, n] is (x − μ) · rstd, where
   * rstd = 1 / √(σ² + eps) and eps is a finite number ≥ 0. Compute the deviations accurately (two
   * passes, or shifted by the row's first value: a constant row must give exact zeros, and a row far
   * from 0 must not lose its spread); a row holding NaN or ±Infinity gives NaN throughout, and σ² + eps
   * = 0 gives 0 · Infinity = NaN.
   */
  layerNorm(x: TensorRef, eps: number): DataId;
  /**
   * Input gradient of {@link Backend.layerNorm}: float32 x and dy [rows, n] (both ≥ 1) → float32 dx
   * [rows, n]. Per row, recomputing μ and rstd from x as layerNorm does, with x̂ = (x − μ) · rstd:
   * dx = rstd · (dy − mean(dy) − x̂ · mean(dy · x̂)), the means over the row's n values.
   */
  layerNormGrad(x: TensorRef, dy: TensorRef, eps: number): DataId;

  /**
   * Optional capability used by `compile`: runs a fused elementwise program (see
   * {@link FusedElementwiseProgram}) as one kernel over `inputs` (one ref per program input, shapes
   * and dtypes as the program states) and returns one new data id per program output. A backend
   * without it still runs compiled programs, one kernel per step.
   */
  fusedElementwise?(program: FusedElementwiseProgram, inputs: readonly TensorRef[]): DataId[];
  /**
   * Optional capability used by `compile`: one flat program over several segments of different sizes
   * (an optimizer's update of every parameter) in as few kernels as the backend can. `program` is flat:
   * outShape [N] and each input [N] or [1]. Segment s means exactly
   * `fusedElementwise(program with N replaced by segments[s].size, segments[s].inputs)` (core's
   * `segmentProgram` makes that program), and returns its outputs at index s: one new data id per
   * program output, per segment. Segments are independent (none reads another's output). A backend
   * without it gets each segment's own fused program through `fusedElementwise` (or unfused).
   */
  fusedElementwiseSegments?(program: FusedElementwiseProgram, segments: readonly FusedSegment[]): DataId[][];
  /**
   * Optional capability used by `compile`: {@link Backend.matmul} followed by an elementwise epilogue
   * (bias, activation, residual add, scale) in one kernel. Means exactly
   * `fusedElementwise(epilogue, [product, ...extras])`, where `product` is matmul's output read with
   * the shape `epilogue.outShape` (same size; program input 0 is float32 of that shape) and `extras`
   * are refs for the program's other inputs (the product is handed out only as a program output that
   * names input 0). Returns one new
   * data id per program output. A backend without it runs the two kernels one after the other.
   */
  matmulEpilogue?(a: TensorRef, b: TensorRef, attrs: MatmulAttrs, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[];
  /**
   * Optional capability used by `compile`: an elementwise program followed by {@link Backend.reduce} of
   * its one output in one kernel (the reduction reads each element as the program computes it). Means
   * exactly `reduce(op, { id: fusedElementwise(prologue, inputs)[0], shape, dtype }, outDtype)`, where
   * `shape` is [outer, r, inner] as for reduce, with as many elements as the program's outShape. A
   * backend without it runs the two kernels one after the other.
   */
  reducePrologue?(op: ReduceOp, prologue: FusedElementwiseProgram, inputs: readonly TensorRef[], shape: readonly [number, number, number], outDtype: DType): DataId;
  /** {@link Backend.conv2d} followed by an elementwise epilogue in one kernel, as {@link Backend.matmulEpilogue} for matmul. */
  conv2dEpilogue?(x: TensorRef, w: TensorRef, info: Conv2dInfo, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[];
  /** {@link Backend.pool2d} followed by an elementwise epilogue in one kernel, as {@link Backend.matmulEpilogue} for matmul (float32 x only). */
  pool2dEpilogue?(kind: PoolKind, x: TensorRef, info: Conv2dInfo, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[];
  /**
   * {@link Backend.reduce} followed by an elementwise epilogue in one kernel, as {@link Backend.matmulEpilogue}
   * for matmul; only for a float32 reduce output (`outDtype` float32).
   */
  reduceEpilogue?(op: ReduceOp, x: TensorRef, outDtype: DType, epilogue: FusedElementwiseProgram, extras: readonly TensorRef[]): DataId[];
}

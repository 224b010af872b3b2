import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { alongLastAxis, alongRowAxis } from './axis-matrices.js';
import { add, mul } from './binary.js';
import { tensor } from './creation.js';
import { expectTensor } from './convert.js';
import { gather } from './indexing.js';
import { transpose } from './transpose.js';

/** How {@link interpolate} computes new cells: 'nearest', or 'linear' (3-D input) / 'bilinear' (4-D input). */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear';

/** Options of {@link interpolate}: exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** Output size of the spatial axes: one number for all, or one per axis ([outH, outW] for 4-D). */
  size?: number | readonly number[];
  /** Multiplier of the spatial sizes (output = floor(input · scaleFactor)): one number, or one per axis. */
  scaleFactor?: number | readonly number[];
  /** Default 'nearest'. */
  mode?: InterpolateMode;
  /**
   * Linear modes only: map the corner cells' centres onto each other (true) rather than the corners
   * of the grids (false, the default: half-pixel centres).
   */
  alignCorners?: boolean;
  /**
   * With `scaleFactor`: place source coordinates from the computed sizes (input / output) rather than
   * from 1 / scaleFactor (default false, as PyTorch).
   */
  recomputeScaleFactor?: boolean;
}

/** The plan of one spatial axis: sizes and the scale PyTorch places coordinates with (undefined: in / out). */
interface AxisPlan {
  readonly inSize: number;
  readonly outSize: number;
  readonly scaleFactor: number | undefined;
}

const f = Math.fround;

/** PyTorch's float32 source scale: 1 / scaleFactor when one was given, else in / out. */
function sourceScale(p: AxisPlan): number {
  return p.scaleFactor !== undefined ? f(1 / p.scaleFactor) : f(p.inSize / p.outSize);
}

/** Source index of each output cell in 'nearest' mode (PyTorch's CPU rule: floor(dst · scale), clamped). */
function nearestIndices(p: AxisPlan): number[] {
  const { inSize, outSize } = p;
  if (outSize === inSize) return Array.from({ length: outSize }, (_, i) => i);
  if (outSize === 2 * inSize) return Array.from({ length: outSize }, (_, i) => i >> 1);
  const scale = sourceScale(p);
  return Array.from({ length: outSize }, (_, i) => Math.min(Math.floor(f(i * scale)), inSize - 1));
}

/** Linear interpolation along one axis: output cell o is w0[o]·x[i0[o]] + w1[o]·x[i1[o]]. */
interface LinearTaps {
  readonly i0: number[];
  readonly i1: number[];
  readonly w0: Float32Array;
  readonly w1: Float32Array;
}

/** The two source cells and weights of each output cell along one axis (PyTorch's rules, in float32). */
function linearTaps(p: AxisPlan, alignCorners: boolean): LinearTaps {
  const { inSize, outSize } = p;
  const taps = { i0: new Array<number>(outSize), i1: new Array<number>(outSize), w0: new Float32Array(outSize), w1: new Float32Array(outSize) };
  const scale = alignCorners ? (outSize > 1 ? f((inSize - 1) / (outSize - 1)) : 0) : sourceScale(p);
  for (let o = 0; o < outSize; o++) {
    const src = alignCorners ? f(scale * o) : Math.max(f(f(scale * f(o + 0.5)) - 0.5), 0);
    const i0 = Math.floor(src);
    const l1 = f(src - i0);
    taps.i0[o] = i0;
    taps.i1[o] = i0 < inSize - 1 ? i0 + 1 : i0;
    taps.w0[o] = 1 - l1;
    taps.w1[o] = l1;
  }
  return taps;
}

/** The taps as a dense [out, in] matrix (two weights per row). */
function tapMatrix(t: LinearTaps, inSize: number): Float32Array {
  const m = new Float32Array(t.i0.length * inSize);
  for (let o = 0; o < t.i0.length; o++) {
    m[o * inSize + t.i0[o]!]! += t.w0[o]!;
    m[o * inSize + t.i1[o]!]! += t.w1[o]!;
  }
  return m;
}

/**
 * Longest input axis interpolated as a dense matrix product. A product costs 2·in multiply-adds per
 * output cell but runs at GEMM speed; past this size two gathers and a weighted sum (a constant cost
 * per cell, a slower backward through scatter-adds) win. Measured for 2× bilinear resizes (forward):
 * [8,16,64,64]: product 18 ms on wasm, 370 ms on js; gathers 75 and 240 ms. [1,3,512,512]: product
 * 140 ms on wasm, 3 s on js; gathers 25 and 160–350 ms.
 */
const DENSE_MAX_INPUT = 256;

/** Applies linear interpolation along `axis` (the last or second-to-last of x). */
function linearAlong(x: Tensor, axis: number, p: AxisPlan, alignCorners: boolean): Tensor {
  const taps = linearTaps(p, alignCorners);
  if (p.inSize === p.outSize && taps.w1.every((w) => w === 0) && taps.i0.every((v, j) => v === j)) return x;
  if (p.inSize <= DENSE_MAX_INPUT) {
    const m = tapMatrix(taps, p.inSize);
    return axis === x.rank - 1 ? alongLastAxis(x, m, p.outSize) : alongRowAxis(x, m, p.outSize);
  }
  if (axis === x.rank - 1) {
    // Gathers of whole rows are much faster than gathers of single cells (wasm: 38 vs 270 ms for 1.5 M
    // cells), so the last axis is moved next to last for them.
    const swap = x.shape.map((_, i) => (i < x.rank - 2 ? i : 2 * x.rank - 3 - i));
    return transpose(twoTaps(transpose(x, swap), axis - 1, taps), swap);
  }
  return twoTaps(x, axis, taps);
}

/** w0·x[i0] + w1·x[i1] along `axis`. */
function twoTaps(x: Tensor, axis: number, taps: LinearTaps): Tensor {
  const shape = x.shape.map((d, i) => (i === axis ? taps.i0.length : 1));
  return add(mul(gather(x, taps.i0, axis), tensor(taps.w0, shape)), mul(gather(x, taps.i1, axis), tensor(taps.w1, shape)));
}

function perAxis(value: number | readonly number[], axes: number, op: string, arg: string, x: Tensor): number[] {
  const list: number[] = typeof value === 'number' ? new Array<number>(axes).fill(value) : Array.isArray(value) ? [...(value as readonly number[])] : [];
  if (list.length !== axes) {
    throw new ArgumentError(`${op}: ${arg} must be one number or ${axes} (one per spatial axis of x ${fmtShape(x.shape)}), got ${JSON.stringify(value)}`);
  }
  return list;
}

function planAxes(op: string, x: Tensor, options: InterpolateOptions): AxisPlan[] {
  const axes = x.rank - 2;
  const { size, scaleFactor } = options;
  if ((size === undefined) === (scaleFactor === undefined)) {
    throw new ArgumentError(`${op}: give exactly one of size and scaleFactor, got ${size === undefined ? 'neither' : 'both'}`);
  }
  const spatial = x.shape.slice(2);
  if (size !== undefined) {
    return perAxis(size, axes, op, 'size', x).map((s, i) => {
      if (!Number.isInteger(s) || s < 1) throw new ArgumentError(`${op}: size must hold positive integers, got ${JSON.stringify(size)}`);
      return { inSize: spatial[i]!, outSize: s, scaleFactor: undefined };
    });
  }
  return perAxis(scaleFactor!, axes, op, 'scaleFactor', x).map((s, i) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new ArgumentError(`${op}: scaleFactor must hold positive finite numbers, got ${JSON.stringify(scaleFactor)}`);
    const inSize = spatial[i]!;
    const outSize = Math.floor(inSize * s);
    if (outSize < 1) throw new ShapeError(`${op}: scaleFactor ${s} leaves no cells on axis ${i + 2} of x ${fmtShape(x.shape)} (floor(${inSize} · ${s}) = ${outSize})`);
    return { inSize, outSize, scaleFactor: options.recomputeScaleFactor ? undefined : s };
  });
}

function checkMode(op: string, x: Tensor, mode: InterpolateMode, alignCorners: boolean | undefined): void {
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') {
    throw new ArgumentError(`${op}: mode must be 'nearest', 'linear' or 'bilinear', got ${JSON.stringify(mode)}`);
  }
  if (mode === 'linear' && x.rank !== 3) throw new ShapeError(`${op}: mode 'linear' needs 3-D input [N, C, L], got x ${fmtShape(x.shape)} (use 'bilinear' for 4-D)`);
  if (mode === 'bilinear' && x.rank !== 4) throw new ShapeError(`${op}: mode 'bilinear' needs 4-D input [N, C, H, W], got x ${fmtShape(x.shape)} (use 'linear' for 3-D)`);
  if (mode === 'nearest' && alignCorners !== undefined) {
    throw new ArgumentError(`${op}: alignCorners applies only to modes 'linear' and 'bilinear', not 'nearest'`);
  }
}

function resize(op: string, x: Tensor, given: InterpolateOptions | undefined): Tensor {
  const options = given ?? {};
  expectTensor(x, op, 'x');
  if (x.rank !== 3 && x.rank !== 4) throw new ShapeError(`${op}: x must be 3-D [N, C, L] or 4-D [N, C, H, W], got ${fmtShape(x.shape)}`);
  const mode = options.mode ?? 'nearest';
  checkMode(op, x, mode, options.alignCorners);
  const plans = planAxes(op, x, options);
  return tidy(() => {
    if (mode === 'nearest') {
      return plans.reduce((t, p, i) => {
        const idx = nearestIndices(p);
        return idx.every((v, j) => v === j) && p.outSize === p.inSize ? t : gather(t, idx, i + 2);
      }, x);
    }
    const alignCorners = options.alignCorners ?? false;
    // The last axis first, then (4-D) the rows.
    const y = linearAlong(x, x.rank - 1, plans[plans.length - 1]!, alignCorners);
    return plans.length === 2 ? linearAlong(y, 2, plans[0]!, alignCorners) : y;
  });
}

/**
 * Resizes the spatial axes of x [N, C, L] or [N, C, H, W] (PyTorch's `F.interpolate`, with its CPU
 * kernel's coordinate rules): 'nearest' takes source cell floor(dst · scale); 'linear' / 'bilinear'
 * read source coordinate (dst + ½) · scale − ½ clamped at 0 (or dst · (in − 1) / (out − 1) with
 * `alignCorners`). The scale is 1 / scaleFactor when a scale factor is given, else in / out.
 * Linear modes work in float32; 'nearest' keeps x's dtype.
 * @example interpolate(x, { scaleFactor: 2, mode: 'bilinear' }) // [N, C, 2H, 2W]
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  return resize('interpolate', x, options);
}

/** {@link interpolate} under the name of PyTorch's `nn.Upsample` / tfjs's `upSampling2d`: the same op and options. */
export function upsample(x: Tensor, options: InterpolateOptions): Tensor {
  return resize('upsample', x, options);
}

import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { alongLastAxis, alongRowAxis, isIdentity, type AxisMatrix } from './axis-matrices.js';
import { expectTensor } from './convert.js';
import { gather } from './indexing.js';

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

/** The [out, in] matrix of linear interpolation along one axis (two weights per row). */
function linearMatrix(p: AxisPlan, alignCorners: boolean): Float32Array {
  const { inSize, outSize } = p;
  const m = new Float32Array(outSize * inSize);
  const scale = alignCorners ? (outSize > 1 ? f((inSize - 1) / (outSize - 1)) : 0) : sourceScale(p);
  for (let o = 0; o < outSize; o++) {
    const src = alignCorners ? f(scale * o) : Math.max(f(f(scale * f(o + 0.5)) - 0.5), 0);
    const i0 = Math.floor(src);
    const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
    const l1 = f(src - i0);
    m[o * inSize + i0]! += 1 - l1;
    m[o * inSize + i1]! += l1;
  }
  return m;
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
    const mats: AxisMatrix[] = plans.map((p) => {
      const m = linearMatrix(p, alignCorners);
      return isIdentity(m, p.outSize, p.inSize) ? null : m;
    });
    const last = plans.length - 1;
    const y = alongLastAxis(x, mats[last]!, plans[last]!.outSize);
    return last === 1 ? alongRowAxis(y, mats[0]!, plans[0]!.outSize) : y;
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

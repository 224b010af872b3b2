/**
 * References for the convolution family beyond conv2d: 1-D and transposed convolutions, resizing,
 * 1-D and adaptive pooling. Naive loops over output (or input) cells, written from each op's
 * definition (PyTorch's), not from the compositions core uses.
 */
import { fromFn, sizeOfShape, unravel, type NDArray } from './ndarray.js';

/** Options of the 1-D reference convolution (numeric padding, or 'same' / 'valid'). */
export interface RefConv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
}

/** Output length and leading padding of a 1-D window (TensorFlow's rule for 'same': the odd cell at the end). */
function window1d(length: number, k: number, stride: number, dilation: number, padding: number | 'same' | 'valid'): [number, number] {
  const span = (k - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(length / stride);
    return [out, Math.floor(Math.max((out - 1) * stride + span - length, 0) / 2)];
  }
  const p = padding === 'valid' ? 0 : padding;
  return [Math.floor((length + 2 * p - span) / stride) + 1, p];
}

/** conv1d of x [N, C, L] with w [O, C/groups, k] → [N, O, outL]. */
export function refConv1d(x: NDArray, w: NDArray, opts: RefConv1dOptions = {}): NDArray {
  const [N, C, L] = x.shape as [number, number, number];
  const [O, Cg, K] = w.shape as [number, number, number];
  const s = opts.stride ?? 1;
  const d = opts.dilation ?? 1;
  const groups = opts.groups ?? 1;
  const [outL, before] = window1d(L, K, s, d, opts.padding ?? 0);
  const perGroup = O / groups;
  const shape = [N, O, outL];
  return fromFn(shape, 'float32', (flat) => {
    const [n, o, t] = unravel(flat, shape) as [number, number, number];
    const g = Math.floor(o / perGroup);
    let acc = 0;
    for (let c = 0; c < Cg; c++) {
      for (let k = 0; k < K; k++) {
        const i = t * s - before + k * d;
        if (i >= 0 && i < L) acc += x.data[(n * C + g * Cg + c) * L + i]! * w.data[(o * Cg + c) * K + k]!;
      }
    }
    return acc;
  });
}

/** Options of the reference transposed convolutions; numbers apply to every spatial axis. */
export interface RefConvTransposeOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  outputPadding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
}

/**
 * Transposed convolution over any number of spatial axes, as a scatter: input cell i of channel ci
 * adds x · w[ci, j, k] to output cell i·stride − padding + k·dilation of channel g·(O/groups) + j.
 * x [N, Cin, ...in], w [Cin, O/groups, ...k].
 */
export function refConvTranspose(x: NDArray, w: NDArray, opts: RefConvTransposeOptions = {}): NDArray {
  const spatial = x.shape.length - 2;
  const per = (v: number | readonly number[] | undefined, dflt: number): number[] =>
    v === undefined ? new Array<number>(spatial).fill(dflt) : typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v];
  const s = per(opts.stride, 1);
  const p = per(opts.padding, 0);
  const op = per(opts.outputPadding, 0);
  const d = per(opts.dilation, 1);
  const groups = opts.groups ?? 1;
  const [N, Cin] = x.shape as [number, number];
  const inSizes = x.shape.slice(2);
  const [, Og] = w.shape as [number, number];
  const ks = w.shape.slice(2);
  const outSizes = inSizes.map((n, a) => (n - 1) * s[a]! - 2 * p[a]! + d[a]! * (ks[a]! - 1) + op[a]! + 1);
  const O = Og * groups;
  const outShape = [N, O, ...outSizes];
  const y = new Float64Array(sizeOfShape(outShape));
  const inPlane = sizeOfShape(inSizes);
  const kPlane = sizeOfShape(ks);
  const outPlane = sizeOfShape(outSizes);
  const cinPerGroup = Cin / groups;
  for (let n = 0; n < N; n++) {
    for (let ci = 0; ci < Cin; ci++) {
      const g = Math.floor(ci / cinPerGroup);
      for (let ip = 0; ip < inPlane; ip++) {
        const xi = unravel(ip, inSizes);
        const xv = x.data[(n * Cin + ci) * inPlane + ip]!;
        for (let kp = 0; kp < kPlane; kp++) {
          const ki = unravel(kp, ks);
          let flat = 0;
          let inside = true;
          for (let a = 0; a < spatial; a++) {
            const o = xi[a]! * s[a]! - p[a]! + ki[a]! * d[a]!;
            if (o < 0 || o >= outSizes[a]!) inside = false;
            flat = flat * outSizes[a]! + o;
          }
          if (!inside) continue;
          for (let j = 0; j < Og; j++) {
            y[(n * O + g * Og + j) * outPlane + flat]! += xv * w.data[(ci * Og + j) * kPlane + kp]!;
          }
        }
      }
    }
  }
  return { shape: outShape, dtype: 'float32', data: y };
}

/** Options of the reference resize. */
export interface RefInterpolateOptions {
  size?: number | readonly number[];
  scaleFactor?: number | readonly number[];
  mode?: 'nearest' | 'linear' | 'bilinear';
  alignCorners?: boolean;
  recomputeScaleFactor?: boolean;
}

/**
 * PyTorch's (CPU) resize of x [N, C, ...spatial], coordinates in float32 as its kernels compute them.
 * nearest: src = min(floor(dst · scale), in − 1), with in == out the identity and out == 2·in giving dst >> 1;
 * linear: src = max((dst + ½)·scale − ½, 0), or dst·(in − 1)/(out − 1) with alignCorners, then the
 * two neighbours weighted by distance (product over axes). scale = 1/scaleFactor when given, else in/out.
 */
export function refInterpolate(x: NDArray, opts: RefInterpolateOptions): NDArray {
  const f = Math.fround;
  const spatial = x.shape.length - 2;
  const inSizes = x.shape.slice(2);
  const list = (v: number | readonly number[]): number[] => (typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v]);
  const factors = opts.scaleFactor === undefined || opts.recomputeScaleFactor ? undefined : list(opts.scaleFactor);
  const outSizes = opts.size !== undefined ? list(opts.size) : list(opts.scaleFactor!).map((sf, a) => Math.floor(inSizes[a]! * sf));
  const mode = opts.mode ?? 'nearest';
  const scaleOf = (a: number): number => (factors ? f(1 / factors[a]!) : f(inSizes[a]! / outSizes[a]!));
  // Per axis and output cell: the source cells and their weights.
  const taps = outSizes.map((out, a) => {
    const inSize = inSizes[a]!;
    const cells: [number, number][][] = [];
    for (let o = 0; o < out; o++) {
      if (mode === 'nearest') {
        const src = out === inSize ? o : out === 2 * inSize ? Math.floor(o / 2) : Math.min(Math.floor(f(o * scaleOf(a))), inSize - 1);
        cells.push([[src, 1]]);
        continue;
      }
      let src: number;
      if (opts.alignCorners) src = out > 1 ? f(f((inSize - 1) / (out - 1)) * o) : 0;
      else src = Math.max(f(f(scaleOf(a) * (o + 0.5)) - 0.5), 0);
      const lo = Math.floor(src);
      const hi = Math.min(lo + 1, inSize - 1);
      const t = src - lo;
      cells.push([[lo, 1 - t], [hi, t]]);
    }
    return cells;
  });
  const [N, C] = x.shape as [number, number];
  const outShape = [N, C, ...outSizes];
  const inPlane = sizeOfShape(inSizes);
  return fromFn(outShape, 'float32', (flat) => {
    const idx = unravel(flat, outShape);
    const base = (idx[0]! * C + idx[1]!) * inPlane;
    // Sum over every combination of one tap per axis.
    let acc = 0;
    const visit = (a: number, offset: number, weight: number): void => {
      if (a === spatial) {
        acc += weight * x.data[base + offset]!;
        return;
      }
      for (const [cell, wt] of taps[a]![idx[a + 2]!]!) visit(a + 1, offset * inSizes[a]! + cell, weight * wt);
    };
    visit(0, 0, 1);
    return acc;
  });
}

/** Adaptive max / avg pooling of x [N, C, H, W] to [N, C, oh, ow] over windows [floor(i·in/out), ceil((i+1)·in/out)). */
export function refAdaptivePool2d(kind: 'max' | 'avg', x: NDArray, oh: number, ow: number): NDArray {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const shape = [N, C, oh, ow];
  return fromFn(shape, 'float32', (flat) => {
    const [n, c, i, j] = unravel(flat, shape) as [number, number, number, number];
    const r0 = Math.floor((i * H) / oh);
    const r1 = Math.ceil(((i + 1) * H) / oh);
    const c0 = Math.floor((j * W) / ow);
    const c1 = Math.ceil(((j + 1) * W) / ow);
    let best = -Infinity;
    let sum = 0;
    for (let r = r0; r < r1; r++) {
      for (let q = c0; q < c1; q++) {
        const v = x.data[((n * C + c) * H + r) * W + q]!;
        best = Math.max(best, v);
        sum += v;
      }
    }
    return kind === 'max' ? best : sum / ((r1 - r0) * (c1 - c0));
  });
}

/** max / avg pooling over the last axis of x [N, C, L] (stride defaults to the kernel; padded cells are left out). */
export function refPool1d(kind: 'max' | 'avg', x: NDArray, k: number, opts: { stride?: number; padding?: number | 'same' | 'valid' } = {}): NDArray {
  const [N, C, L] = x.shape as [number, number, number];
  const s = opts.stride ?? k;
  const [outL, before] = window1d(L, k, s, 1, opts.padding ?? 0);
  const shape = [N, C, outL];
  return fromFn(shape, 'float32', (flat) => {
    const [n, c, t] = unravel(flat, shape) as [number, number, number];
    let best = -Infinity;
    let sum = 0;
    let count = 0;
    for (let j = 0; j < k; j++) {
      const i = t * s - before + j;
      if (i < 0 || i >= L) continue;
      const v = x.data[(n * C + c) * L + i]!;
      best = Math.max(best, v);
      sum += v;
      count++;
    }
    return kind === 'max' ? best : sum / count;
  });
}

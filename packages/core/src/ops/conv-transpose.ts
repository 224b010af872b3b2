import type { Conv2dInfo } from '../backend/kernel-types.js';
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../autograd/tape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { pair, type Pair } from './conv-geometry.js';
import { expectTensor } from './convert.js';
import { runKernel } from './kernel-call.js';

/** Options of {@link conv2dTranspose}. */
export interface Conv2dTransposeOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Pair;
  /** Cells removed from each side of the output, as PyTorch's `padding` (default 0). */
  padding?: Pair;
  /** Extra rows / columns added at the bottom / right of the output; each below stride or dilation (default 0). */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

/**
 * Checks the arguments of a transposed convolution and returns the geometry of the convolution it
 * transposes: that convolution reads the output [N, outChannels, outH, outW] and writes x's shape,
 * so the transposed op is that convolution's input gradient (the `conv2dBackInput` kernel).
 */
export function conv2dTransposeInfo(op: string, xShape: readonly number[], wShape: readonly number[], options: Conv2dTransposeOptions): Conv2dInfo {
  if (xShape.length !== 4) throw new ShapeError(`${op}: x must be 4-D [N, inChannels, H, W], got ${fmtShape(xShape)}`);
  if (wShape.length !== 4) throw new ShapeError(`${op}: w must be 4-D [inChannels, outChannels / groups, kh, kw], got ${fmtShape(wShape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`${op}: groups must be a positive integer, got ${groups}`);
  const [batch, inC, h, w] = xShape as [number, number, number, number];
  const [wIn, outPerGroup, kh, kw] = wShape as [number, number, number, number];
  if (inC !== wIn) {
    throw new ShapeError(`${op}: x ${fmtShape(xShape)} has ${inC} channels but w ${fmtShape(wShape)} expects ${wIn} (w is [inChannels, outChannels / groups, kh, kw], PyTorch's layout)`);
  }
  if (inC % groups !== 0) throw new ShapeError(`${op}: x ${fmtShape(xShape)} has ${inC} channels, not divisible by groups ${groups}`);
  const stride = pair(options.stride ?? 1, op, 'stride');
  const dilation = pair(options.dilation ?? 1, op, 'dilation');
  const padding = pair(options.padding ?? 0, op, 'padding', true);
  const outputPadding = pair(options.outputPadding ?? 0, op, 'outputPadding', true);
  for (const a of [0, 1] as const) {
    if (outputPadding[a] >= Math.max(stride[a], dilation[a])) {
      throw new ArgumentError(
        `${op}: outputPadding must be smaller than stride or dilation on each axis, got outputPadding ${outputPadding.join('x')} with stride ${stride.join('x')} and dilation ${dilation.join('x')}`,
      );
    }
  }
  const size = (n: number, a: 0 | 1, k: number): number => (n - 1) * stride[a] - 2 * padding[a] + dilation[a] * (k - 1) + outputPadding[a] + 1;
  const outH = size(h, 0, kh);
  const outW = size(w, 1, kw);
  if (outH <= 0 || outW <= 0) {
    throw new ShapeError(`${op}: padding ${padding.join('x')} leaves no output for x ${fmtShape(xShape)} and a ${kh}x${kw} window: output would be ${outH}x${outW}`);
  }
  return {
    batch, inChannels: outPerGroup * groups, inHeight: outH, inWidth: outW, outChannels: inC, outHeight: h, outWidth: w,
    kernelHeight: kh, kernelWidth: kw, strideHeight: stride[0], strideWidth: stride[1],
    dilationHeight: dilation[0], dilationWidth: dilation[1], padTop: padding[0], padLeft: padding[1], groups,
  };
}

/**
 * Transposed 2-D convolution (PyTorch's `conv_transpose2d`, sometimes called deconvolution) of
 * x [N, inChannels, H, W] with w [inChannels, outChannels / groups, kh, kw] — PyTorch's layout, NCHW —
 * giving [N, outChannels, (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1, …].
 * It is the gradient of `conv2d` with respect to its input, so it maps conv2d's output shape back to its input shape.
 * @example conv2dTranspose(randomNormal([1, 16, 7, 7]), randomNormal([16, 8, 3, 3]), { stride: 2, padding: 1, outputPadding: 1 }) // [1, 8, 14, 14]
 */
export function conv2dTranspose(x: Tensor, w: Tensor, options: Conv2dTransposeOptions = {}): Tensor {
  expectTensor(x, 'conv2dTranspose', 'x');
  expectTensor(w, 'conv2dTranspose', 'w');
  const info = conv2dTransposeInfo('conv2dTranspose', x.shape, w.shape, options);
  return tidy(() => {
    const xf = cast(x, 'float32');
    const wf = cast(w, 'float32');
    const outShape = [info.batch, info.inChannels, info.inHeight, info.inWidth];
    const y = runKernel('conv2dTranspose', [xf, wf], ['x', 'w'], outShape, 'float32', (b, [rx, rw]) => b.conv2dBackInput(rx!, rw!, info));
    recordOp('conv2dTranspose', [xf, wf], y, { info });
    return y;
  });
}

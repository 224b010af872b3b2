/**
 * depthToSpace / spaceToDepth on NCHW tensors (ONNX's layout and channel orders) and PyTorch's
 * pixelShuffle / pixelUnshuffle, each a reshape, a permute and a reshape.
 */
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { reshape } from './reshape.js';
import { permute } from './transpose.js';
import { tidy } from '../engine/engine.js';

/**
 * How channels map to a block: 'DCR' (depth-column-row, ONNX's default and TensorFlow's order)
 * reads channel (i·b + j)·C' + c into block cell (i, j) of output channel c; 'CRD' (column-row-depth,
 * PyTorch's pixel_shuffle) reads channel c·b² + i·b + j.
 */
export type DepthToSpaceMode = 'DCR' | 'CRD';

/** Options of {@link depthToSpace} and {@link spaceToDepth}. */
export interface DepthToSpaceOptions {
  /** Channel order within a block; default 'DCR'. */
  mode?: DepthToSpaceMode;
}

function checkArgs(op: string, x: Tensor, blockSize: number, mode: unknown): void {
  expectTensor(x, op, 'x');
  if (x.rank !== 4) throw new ShapeError(`${op}: x must be NCHW (rank 4), got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new ArgumentError(`${op}: blockSize must be a positive integer, got ${String(blockSize)}`);
  if (mode !== 'DCR' && mode !== 'CRD') throw new ArgumentError(`${op}: mode must be 'DCR' or 'CRD', got ${String(mode)}`);
}

/**
 * Moves blocks of channels of NCHW x [N, C·b², H, W] into b×b spatial blocks: [N, C, H·b, W·b]
 * (ONNX's DepthToSpace; TensorFlow.js's depthToSpace does the same with mode 'DCR' on NHWC tensors,
 * so transpose NHWC data to NCHW first). Gradients flow to x.
 */
export function depthToSpace(x: Tensor, blockSize: number, options: DepthToSpaceOptions = {}): Tensor {
  const mode = options.mode ?? 'DCR';
  checkArgs('depthToSpace', x, blockSize, mode);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const b = blockSize;
  if (c % (b * b) !== 0) throw new ShapeError(`depthToSpace: channels of x ${fmtShape(x.shape)} (${c}) must be divisible by blockSize² (${b * b})`);
  const cOut = c / (b * b);
  return tidy(() => {
    const blocks = mode === 'DCR'
      ? permute(reshape(x, [n, b, b, cOut, h, w]), [0, 3, 4, 1, 5, 2])
      : permute(reshape(x, [n, cOut, b, b, h, w]), [0, 1, 4, 2, 5, 3]);
    return reshape(blocks, [n, cOut, h * b, w * b]);
  });
}

/**
 * The inverse of {@link depthToSpace} with the same mode: NCHW x [N, C, H·b, W·b] → [N, C·b², H, W]
 * (ONNX's SpaceToDepth is mode 'DCR'; TensorFlow.js's spaceToDepth is 'DCR' on NHWC). Gradients flow to x.
 */
export function spaceToDepth(x: Tensor, blockSize: number, options: DepthToSpaceOptions = {}): Tensor {
  const mode = options.mode ?? 'DCR';
  checkArgs('spaceToDepth', x, blockSize, mode);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const b = blockSize;
  if (h % b !== 0 || w % b !== 0) throw new ShapeError(`spaceToDepth: height and width of x ${fmtShape(x.shape)} must be divisible by blockSize ${b}`);
  return tidy(() => {
    const cells = reshape(x, [n, c, h / b, b, w / b, b]);
    const moved = mode === 'DCR' ? permute(cells, [0, 3, 5, 1, 2, 4]) : permute(cells, [0, 1, 3, 5, 2, 4]);
    return reshape(moved, [n, c * b * b, h / b, w / b]);
  });
}

/** PyTorch's `pixel_shuffle`: {@link depthToSpace} with mode 'CRD' ([N, C·r², H, W] → [N, C, H·r, W·r]). */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  return depthToSpace(x, upscaleFactor, { mode: 'CRD' });
}

/** PyTorch's `pixel_unshuffle`: {@link spaceToDepth} with mode 'CRD' ([N, C, H·r, W·r] → [N, C·r², H, W]). */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  return spaceToDepth(x, downscaleFactor, { mode: 'CRD' });
}

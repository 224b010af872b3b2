/**
 * tfjs's `spaceToBatchND` and `batchToSpaceND`: blocks of the spatial axes 1..M (M = blockShape's
 * length) move into the batch axis and back. Pure rearrangements (pad or slice, reshape, permute), so
 * gradients follow from the pieces. The spatial axes are the ones after the batch axis, whatever the
 * layout: with NCHW data pass a blockShape that covers [C, H, W] with C's block 1, or permute first.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { reshape } from './reshape.js';
import { pad, slice } from './slicing.js';
import { permute } from './transpose.js';

function checkBlocks(op: string, x: Tensor, blockShape: readonly number[], pairs: readonly (readonly [number, number])[], pairName: string): void {
  const m = blockShape.length;
  if (m < 1 || m >= x.rank) throw new ShapeError(`${op}: blockShape [${blockShape.join(',')}] must have 1 to ${x.rank - 1} entries for x ${fmtShape(x.shape)}`);
  if (blockShape.some((b) => !Number.isInteger(b) || b < 1)) throw new ArgumentError(`${op}: blockShape must hold positive integers, got [${blockShape.join(',')}]`);
  if (pairs.length !== m || pairs.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new ArgumentError(`${op}: ${pairName} must be ${m} pairs of non-negative integers, got ${JSON.stringify(pairs)}`);
  }
}

/** Pads axes 1..M by `paddings`, cuts them into blocks of `blockShape` and moves the blocks into the batch axis. */
export function spaceToBatchND(x: Tensor, blockShape: readonly number[], paddings: readonly (readonly [number, number])[]): Tensor {
  expectTensor(x, 'spaceToBatchND', 'x');
  checkBlocks('spaceToBatchND', x, blockShape, paddings, 'paddings');
  const m = blockShape.length;
  const padded = x.shape.map((d, i) => (i >= 1 && i <= m ? d + paddings[i - 1]![0] + paddings[i - 1]![1] : d));
  padded.forEach((d, i) => {
    if (i >= 1 && i <= m && d % blockShape[i - 1]! !== 0) {
      throw new ShapeError(`spaceToBatchND: axis ${i} of x ${fmtShape(x.shape)} padded to ${d} is not divisible by its block ${blockShape[i - 1]}`);
    }
  });
  return tidy(() => {
    const rest = x.shape.slice(m + 1);
    const full = pad(x, x.shape.map((_, i): [number, number] => (i >= 1 && i <= m ? [paddings[i - 1]![0], paddings[i - 1]![1]] : [0, 0])));
    const split = [x.shape[0]!, ...blockShape.flatMap((b, k) => [padded[k + 1]! / b, b]), ...rest];
    const blockAxes = blockShape.map((_, k) => 2 + 2 * k);
    const outerAxes = blockShape.map((_, k) => 1 + 2 * k);
    const restAxes = rest.map((_, k) => 1 + 2 * m + k);
    const moved = permute(reshape(full, split), [...blockAxes, 0, ...outerAxes, ...restAxes]);
    const batch = x.shape[0]! * blockShape.reduce((p, b) => p * b, 1);
    return reshape(moved, [batch, ...blockShape.map((b, k) => padded[k + 1]! / b), ...rest]);
  });
}

/** The inverse of {@link spaceToBatchND}: moves blocks out of the batch axis into axes 1..M, then crops them by `crops`. */
export function batchToSpaceND(x: Tensor, blockShape: readonly number[], crops: readonly (readonly [number, number])[]): Tensor {
  expectTensor(x, 'batchToSpaceND', 'x');
  checkBlocks('batchToSpaceND', x, blockShape, crops, 'crops');
  const m = blockShape.length;
  const blocks = blockShape.reduce((p, b) => p * b, 1);
  if (x.shape[0]! % blocks !== 0) throw new ShapeError(`batchToSpaceND: batch ${x.shape[0]} of x ${fmtShape(x.shape)} is not divisible by the block count ${blocks}`);
  const grown = blockShape.map((b, k) => x.shape[k + 1]! * b);
  grown.forEach((d, k) => {
    if (crops[k]![0] + crops[k]![1] > d) throw new ShapeError(`batchToSpaceND: crops ${JSON.stringify(crops[k])} exceed axis ${k + 1}'s size ${d}`);
  });
  return tidy(() => {
    const batch = x.shape[0]! / blocks;
    const spatial = x.shape.slice(1, m + 1);
    const rest = x.shape.slice(m + 1);
    const split = reshape(x, [...blockShape, batch, ...spatial, ...rest]);
    const perm = [m, ...blockShape.flatMap((_, k) => [m + 1 + k, k]), ...rest.map((_, k) => 2 * m + 1 + k)];
    const joined = reshape(permute(split, perm), [batch, ...grown, ...rest]);
    return slice(joined, joined.shape.map((_, i) => (i >= 1 && i <= m ? crops[i - 1]![0] : 0)),
      joined.shape.map((d, i) => (i >= 1 && i <= m ? d - crops[i - 1]![0] - crops[i - 1]![1] : d)));
  });
}

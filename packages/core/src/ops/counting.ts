/** Counting values: `bincount` (and tfjs's `denseBincount`), on the scatter-add kernel. */
import { checkValues, tidy } from '../engine/engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add, greater, lessEqual, minimum, mul, where } from './binary.js';
import { cast } from './cast.js';
import { expectDType, expectTensor } from './convert.js';
import { arange, ones } from './creation.js';
import { runKernel } from './kernel-call.js';
import { reshape } from './reshape.js';
import { slice } from './slicing.js';

/** Options of {@link bincount}. */
export interface BincountOptions {
  /** Added up per bin instead of 1 per value; x's shape, float32. */
  weights?: Tensor;
  /** Each bin is 1 when its value occurs at all (tfjs's binaryOutput). */
  binaryOutput?: boolean;
}

/**
 * Counts each value of the non-negative int32 x ([n], or [rows, n] counted per row) in `size` bins:
 * out[v] = number of times v occurs (or the sum of `weights` there). As in tfjs, values ≥ size fall
 * outside every bin and are not counted; a negative value is an error. The output size is fixed by
 * `size`, never by the data (PyTorch's `minlength` with a known bound), so it runs on every backend
 * without reading x back.
 */
export function bincount(x: Tensor, size: number, options: BincountOptions = {}): Tensor {
  expectTensor(x, 'bincount', 'x');
  expectDType(x, ['int32'], 'bincount', 'x');
  if (x.rank !== 1 && x.rank !== 2) throw new ShapeError(`bincount: x must be 1-D or 2-D, got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(size) || size < 0) throw new ArgumentError(`bincount: size must be a non-negative integer, got ${size}`);
  const { weights, binaryOutput = false } = options;
  if (weights) {
    expectTensor(weights, 'bincount', 'weights');
    if (weights.shape.length !== x.shape.length || weights.shape.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError(`bincount: weights ${fmtShape(weights.shape)} must have the shape of x ${fmtShape(x.shape)}`);
    }
  }
  checkValues(x, 'bincount', (values) => {
    for (let i = 0; i < values.length; i++) {
      if (values[i]! < 0) return new ArgumentError(`bincount: x must be non-negative, got ${values[i]} at position ${i}`);
    }
    return null;
  });
  return tidy(() => {
    const rows = x.rank === 2 ? x.shape[0]! : 1;
    const n = x.shape[x.rank - 1]!;
    // One spare bin per row takes the values ≥ size (and keeps negative ones in bounds until the check reports them).
    const bins = size + 1;
    const inRange = lessEqual(0, x);
    const binOf = where(inRange, minimum(x, size), size);
    const rowStart = reshape(mul(arange(0, rows, 1, 'int32'), bins), [rows, 1]);
    const flatIdx = reshape(add(reshape(binOf, [rows, n]), rowStart), [rows * n]);
    const w = binaryOutput || !weights ? ones(x.shape) : cast(weights, 'float32');
    const updates = reshape(w, [rows * n]);
    const counted = runKernel('scatterAdd', [updates, flatIdx], ['updates', 'indices'], [rows * bins], 'float32',
      (b, [ru, ri]) => b.scatterAdd(ru!, ri!, 0, [rows * bins]));
    const perRow = slice(reshape(counted, [rows, bins]), [0, 0], [rows, size]);
    const out = binaryOutput ? cast(greater(perRow, 0), 'float32') : perRow;
    return x.rank === 1 ? reshape(out, [size]) : out;
  });
}

/** tfjs's name for {@link bincount} on 1-D or 2-D input. */
export const denseBincount = bincount;

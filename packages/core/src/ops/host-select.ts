/**
 * Selections whose output size depends on the values: `nonzero`, `booleanMask` and `setdiff1d`. The
 * values are read back to the host (hence async, like tfjs's `whereAsync` / `booleanMaskAsync` /
 * `setdiff1dAsync`), the positions found there, and the picked values gathered on the device. Being
 * async they cannot run inside `grad`; to differentiate, find the positions once (`nonzero`) and use
 * `gather` / `takeAlongAxis` inside the differentiated function. Bad arguments throw at the call, not in the promise.
 */
import { tidy } from '../engine/engine.js';
import { ShapeError, fmtShape } from '../errors.js';
import { stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectTensor } from './convert.js';
import { tensor } from './creation.js';
import { gather } from './indexing.js';
import { reshape } from './reshape.js';

/**
 * The coordinates of x's non-zero (true) elements as int32 [count, rank], in row-major order
 * (PyTorch's `nonzero` / `argwhere`, tfjs's `whereAsync`). Reads x back, so it is async.
 */
export function nonzero(x: Tensor): Promise<Tensor> {
  expectTensor(x, 'nonzero', 'x');
  return coordinatesOf(x);
}

async function coordinatesOf(x: Tensor): Promise<Tensor> {
  const values = await x.data();
  const strides = stridesOf(x.shape);
  const coords: number[] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    count++;
    let rest = i;
    for (const s of strides) {
      coords.push(Math.floor(rest / s));
      rest %= s;
    }
  }
  return tensor(Int32Array.from(coords), [count, x.rank], 'int32');
}

/** tfjs's name for {@link nonzero}. */
export const whereAsync = nonzero;

/**
 * The slices of x where `mask` is true: mask covers x's axes from `axis` on (its shape must equal
 * theirs) and those axes collapse into one of length count(mask) (tfjs's `booleanMaskAsync`; with a
 * mask of x's full shape this is PyTorch's `masked_select`).
 */
export function booleanMask(x: Tensor, mask: Tensor, axis = 0): Promise<Tensor> {
  expectTensor(x, 'booleanMask', 'x');
  expectTensor(mask, 'booleanMask', 'mask');
  const m = mask.rank;
  if (m === 0) throw new ShapeError('booleanMask: mask must not be a scalar');
  if (!Number.isInteger(axis) || axis < 0 || axis + m > x.rank || mask.shape.some((d, i) => d !== x.shape[axis + i])) {
    throw new ShapeError(`booleanMask: mask ${fmtShape(mask.shape)} must match the axes of x ${fmtShape(x.shape)} starting at axis ${axis}`);
  }
  return maskedSlices(x, mask, axis);
}

async function maskedSlices(x: Tensor, mask: Tensor, axis: number): Promise<Tensor> {
  const m = mask.rank;
  const values = await mask.data();
  const picked: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) picked.push(i);
  return tidy(() => {
    const flat = reshape(x, [...x.shape.slice(0, axis), mask.size, ...x.shape.slice(axis + m)]);
    return gather(flat, picked, axis);
  });
}

/** tfjs's name for {@link booleanMask}. */
export const booleanMaskAsync = booleanMask;

/**
 * The values of 1-D x that are not in 1-D y, in x's order and with x's repeats, and their positions in
 * x (int32): tfjs's `setdiff1dAsync`. Values match as in a JavaScript Set (NaN matches NaN, −0 matches 0).
 */
export function setdiff1d(x: Tensor, y: Tensor): Promise<[Tensor, Tensor]> {
  expectTensor(x, 'setdiff1d', 'x');
  expectTensor(y, 'setdiff1d', 'y');
  if (x.rank !== 1 || y.rank !== 1) throw new ShapeError(`setdiff1d: x and y must be 1-D, got x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)}`);
  return valuesNotIn(x, y);
}

async function valuesNotIn(x: Tensor, y: Tensor): Promise<[Tensor, Tensor]> {
  const [xs, ys] = await Promise.all([x.data(), y.data()]);
  const drop = new Set<number>(ys);
  const keep: number[] = [];
  for (let i = 0; i < xs.length; i++) if (!drop.has(xs[i]!)) keep.push(i);
  return tidy(() => [gather(x, keep, 0), tensor(Int32Array.from(keep), [keep.length], 'int32')] as [Tensor, Tensor]);
}

/** tfjs's name for {@link setdiff1d}. */
export const setdiff1dAsync = setdiff1d;

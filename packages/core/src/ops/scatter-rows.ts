/**
 * The three row primitives the scatter family and gatherND / scatterND lower to: a tensor viewed as
 * [rows, rowLength] and int32 row numbers `lin` [m] (checked by the caller, or left to the deferred
 * check on an async-only backend, the kernels staying in bounds meanwhile).
 */
import { recordOp } from '../autograd/tape.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { greater, maximum, sub, where } from './binary.js';
import { cast } from './cast.js';
import { arange, zeros } from './creation.js';
import { runKernel } from './kernel-call.js';
import { alias, expandDims } from './reshape.js';

/** Rows `lin` of x2 [P, R] → [m, R] (gather along axis 0 without a second range check); gradients flow to x2. */
export function gatherRows(x2: Tensor, lin: Tensor): Tensor {
  const outShape = [lin.size, x2.shape[1]!];
  const y = runKernel('gather', [x2, lin], ['x', 'indices'], outShape, x2.dtype, (b, [rx, ri]) => b.gather(rx!, ri!, 0));
  recordOp('gather', [x2], y, { indices: lin, axis: 0 });
  return y;
}

/** float32 rows [m, R] summed into zeros [P, R] at rows `lin` (repeats add up); gradients flow to rows. */
export function scatterAddRows(rows: Tensor, lin: Tensor, p: number): Tensor {
  const outShape = [p, rows.shape[1]!];
  if (lin.size === 0) return zeros(outShape);
  const y = runKernel('scatterAdd', [rows, lin], ['updates', 'indices'], outShape, 'float32', (b, [ru, ri]) => b.scatterAdd(ru!, ri!, 0, outShape));
  recordOp('scatterAdd', [rows], y, { indices: lin, axis: 0 });
  return y;
}

/** The largest count of written rows {@link writeRows} tags exactly in float32. */
const MAX_TAGGED = 2 ** 24;

/**
 * x2 [P, R] with rows[j] written into row lin[j], any dtype, for `lin` without repeats (the caller
 * checks that). Each target row is tagged with j + 1 by a float32 scatterAdd (exact below 2²⁴ rows),
 * the tags pick the written rows with a gather, and `where` keeps x2's rows elsewhere. Gradients flow
 * to x2 (where nothing was written) and to rows.
 */
export function writeRows(x2: Tensor, lin: Tensor, rows: Tensor, op: string): Tensor {
  const m = lin.size;
  if (m === 0) return alias(x2);
  if (m >= MAX_TAGGED) throw new ArgumentError(`${op}: at most ${MAX_TAGGED - 1} index positions are supported without accumulate, got ${m}`);
  const p = x2.shape[0]!;
  const tag = runKernel('scatterAdd', [arange(1, m + 1, 1, 'float32'), lin], ['updates', 'indices'], [p], 'float32', (b, [ru, ri]) => b.scatterAdd(ru!, ri!, 0, [p]));
  const from = cast(maximum(sub(tag, 1), 0), 'int32');
  return where(expandDims(greater(tag, 0), 1), gatherRows(rows, from), x2);
}

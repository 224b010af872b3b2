/**
 * Padding by the input's own values (PyTorch's `F.pad` modes, TensorFlow.js's `mirrorPad`), composed
 * per axis from slice, flip, broadcastTo and concat, so every backend runs it and gradients flow
 * back to the values that were copied.
 */
import { tidy } from '../engine/engine.js';
import { ArgumentError, fmtShape } from '../errors.js';
import { isArray } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { expectTensor } from './convert.js';
import { flip } from './rearrange.js';
import { concat, pad, slice } from './slicing.js';

/** How {@link padWithMode} fills: 'reflect' mirrors without the edge (abc → cb|abc|ba), 'symmetric' with it (ba|abc|cb), 'replicate' repeats the edge, 'circular' wraps around. */
export type PadMode = 'constant' | 'reflect' | 'symmetric' | 'replicate' | 'circular';

const MODES: readonly PadMode[] = ['constant', 'reflect', 'symmetric', 'replicate', 'circular'];

/** `len` elements of x along `axis` from `start`. */
function take(x: Tensor, axis: number, start: number, len: number): Tensor {
  return slice(x, x.shape.map((_, i) => (i === axis ? start : 0)), x.shape.map((d, i) => (i === axis ? len : d)));
}

/** The `n` values that go before (or after, `end`) x along `axis` in `mode`. */
function border(x: Tensor, axis: number, n: number, mode: Exclude<PadMode, 'constant'>, end: boolean): Tensor {
  const d = x.shape[axis]!;
  switch (mode) {
    case 'reflect':
      return flip(take(x, axis, end ? d - 1 - n : 1, n), axis);
    case 'symmetric':
      return flip(take(x, axis, end ? d - n : 0, n), axis);
    case 'circular':
      return take(x, axis, end ? 0 : d - n, n);
    case 'replicate':
      return broadcastTo(take(x, axis, end ? d - 1 : 0, 1), x.shape.map((di, i) => (i === axis ? n : di)));
  }
}

/**
 * Pads each axis by `[before, after]` elements in `mode` ('constant' fills with `value`). 'reflect'
 * needs fewer than the axis length on each side, 'symmetric' and 'circular' at most the axis length,
 * 'replicate' a non-empty axis.
 */
export function padWithMode(x: Tensor, paddings: readonly (readonly [number, number])[], mode: PadMode = 'constant', value = 0): Tensor {
  expectTensor(x, 'padWithMode', 'x');
  if (!MODES.includes(mode)) throw new ArgumentError(`padWithMode: mode must be one of ${MODES.join(', ')}, got '${String(mode)}'`);
  if (mode === 'constant') return pad(x, paddings, value);
  if (!isArray(paddings) || paddings.length !== x.rank || !paddings.every((p) => isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new ArgumentError(`padWithMode: paddings must be one [before, after] pair of non-negative integers per axis of x ${fmtShape(x.shape)}, got ${JSON.stringify(paddings)}`);
  }
  paddings.forEach(([before, after], axis) => {
    const d = x.shape[axis]!;
    const most = mode === 'reflect' ? d - 1 : mode === 'replicate' ? (d > 0 ? Infinity : 0) : d;
    if (before > most || after > most) {
      throw new ArgumentError(`padWithMode: '${mode}' padding [${before}, ${after}] of axis ${axis} is too large for its size ${d} in x ${fmtShape(x.shape)} (at most ${most})`);
    }
  });
  return tidy(() => {
    let y = x;
    paddings.forEach(([before, after], axis) => {
      if (before === 0 && after === 0) return;
      const parts = [...(before > 0 ? [border(y, axis, before, mode, false)] : []), y, ...(after > 0 ? [border(y, axis, after, mode, true)] : [])];
      y = concat(parts, axis);
    });
    return y;
  });
}

/** TensorFlow.js's `mirrorPad`: {@link padWithMode} in 'reflect' or 'symmetric' mode. */
export function mirrorPad(x: Tensor, paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric'): Tensor {
  if (mode !== 'reflect' && mode !== 'symmetric') throw new ArgumentError(`mirrorPad: mode must be 'reflect' or 'symmetric', got '${String(mode)}'`);
  return padWithMode(x, paddings, mode);
}

import type { DType, TypedArray } from '../dtype.js';
import { toTypedArray } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import { replayingRandomDraws } from '../random/generator.js';
import { checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { writeTensor } from './engine.js';
import { activeRecorder, runProducer, withRecorder } from './recording.js';

/**
 * A tensor whose values the host computes by calling `produce` (a random draw, a learning rate that
 * a schedule changes, a bias correction that depends on a step counter). In eager mode it is just
 * `tensor(produce())`; inside {@link compile} the producer itself is recorded, so every replay calls
 * it again and gets this step's values instead of the first call's. `produce` must return
 * `sizeOf(shape)` values of `dtype`'s array type, and must not run ops.
 */
export function hostTensor(produce: () => TypedArray, shape: Shape, dtype: DType = 'float32'): Tensor {
  if (typeof produce !== 'function') throw new ArgumentError(`hostTensor: produce must be a function, got ${typeof produce}`);
  checkShape(shape, 'hostTensor');
  const n = sizeOf(shape);
  const checked = (): TypedArray => {
    const values = runProducer(() => withRecorder(null, produce));
    if (values.length !== n) throw new ArgumentError(`hostTensor: produce returned ${values.length} values for shape [${shape.join(',')}] (${n} elements)`);
    return values;
  };
  const rec = activeRecorder();
  if (rec && replayingRandomDraws()) rec.randomDraw(true);
  const t = withRecorder(null, () => writeTensor(checked(), shape, dtype));
  rec?.hostProduced(t, checked, dtype);
  return t;
}

/** A scalar tensor of `produce()`, re-evaluated at every replay of a compiled function (see {@link hostTensor}). */
export function hostScalar(produce: () => number, dtype: DType = 'float32'): Tensor {
  if (typeof produce !== 'function') throw new ArgumentError(`hostScalar: produce must be a function, got ${typeof produce}`);
  return hostTensor(() => toTypedArray([produce()], dtype), [], dtype);
}

/**
 * Runs `run` now, and again at the same point of every replay of a compiled function: how host
 * state that a step advances (an optimizer's step counter) keeps advancing under {@link compile}.
 */
export function hostEffect(run: () => void): void {
  if (typeof run !== 'function') throw new ArgumentError(`hostEffect: run must be a function, got ${typeof run}`);
  run();
  activeRecorder()?.hostEffect(run);
}

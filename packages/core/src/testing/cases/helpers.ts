import type { RefDType } from '../reference/ndarray.js';
import type { Gen, InputSpec, Layout } from './types.js';

/** A float32 input spec. */
export function f32(shape: readonly number[], gen?: Gen, layout?: Layout): InputSpec {
  return { shape, dtype: 'float32', ...(gen ? { gen } : {}), ...(layout ? { layout } : {}) };
}

/** An int32 input spec (default values: integers in [-9, 9]). */
export function i32(shape: readonly number[], gen?: Gen, layout?: Layout): InputSpec {
  return { shape, dtype: 'int32', ...(gen ? { gen } : {}), ...(layout ? { layout } : {}) };
}

/** A bool input spec. */
export function bool(shape: readonly number[], layout?: Layout): InputSpec {
  return { shape, dtype: 'bool', gen: 'bool', ...(layout ? { layout } : {}) };
}

/** An input of any dtype. */
export function input(shape: readonly number[], dtype: RefDType, gen?: Gen, layout?: Layout): InputSpec {
  return { shape, dtype, ...(gen ? { gen } : {}), ...(layout ? { layout } : {}) };
}

/** Product of dimensions (for accumulate tolerances). */
export function prodOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

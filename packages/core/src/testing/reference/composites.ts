import { mapBroadcast } from './broadcast.js';
import type { NDArray } from './ndarray.js';

/** Float64 definitions of the composed activations and elementwise conveniences, written from their formulas. */
const ACTIVATIONS = {
  logSigmoid: (x: number) => (x < 0 ? x - Math.log1p(Math.exp(x)) : -Math.log1p(Math.exp(-x))),
  selu: (x: number) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)),
  hardSigmoid: (x: number) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  hardSwish: (x: number) => x * Math.min(Math.max(x + 3, 0), 6) / 6,
  silu: (x: number) => x / (1 + Math.exp(-x)),
  mish: (x: number) => x * Math.tanh(Math.log(1 + Math.exp(x))),
};

/** The activations the reference knows. */
export type RefActivation = keyof typeof ACTIVATIONS;

/** Applies an activation in float64. */
export function refActivation(op: RefActivation, x: NDArray): NDArray {
  const f = ACTIVATIONS[op];
  return mapBroadcast([x], 'float32', (v) => f(v));
}

/** prelu: x where positive, alpha·x elsewhere, alpha broadcast. */
export function refPrelu(x: NDArray, alpha: NDArray): NDArray {
  return mapBroadcast([x, alpha], 'float32', (v, a) => (v > 0 ? v : a * v));
}

/** (a − b)² broadcast. */
export function refSquaredDifference(a: NDArray, b: NDArray): NDArray {
  return mapBroadcast([a, b], 'float32', (x, y) => (x - y) * (x - y));
}

/** a / b, 0 where b = 0. */
export function refDivNoNan(a: NDArray, b: NDArray): NDArray {
  return mapBroadcast([a, b], 'float32', (x, y) => (y === 0 ? 0 : x / y));
}

/** start + w·(end − start) broadcast. */
export function refLerp(start: NDArray, end: NDArray, w: NDArray): NDArray {
  return mapBroadcast([start, end, w], 'float32', (s, e, t) => s + t * (e - s));
}

/** a XOR b on truth values. */
export function refLogicalXor(a: NDArray, b: NDArray): NDArray {
  return mapBroadcast([a, b], 'bool', (x, y) => (x !== 0) !== (y !== 0) ? 1 : 0);
}

/** A predicate on each element, as bool. */
export function refPredicate(op: 'isNaN' | 'isInf' | 'isFinite', x: NDArray): NDArray {
  const f = op === 'isNaN' ? Number.isNaN : op === 'isFinite' ? Number.isFinite : (v: number) => v === Infinity || v === -Infinity;
  return mapBroadcast([x], 'bool', (v) => (f(v) ? 1 : 0));
}

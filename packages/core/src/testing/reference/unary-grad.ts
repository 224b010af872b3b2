import { fromFn, type NDArray } from './ndarray.js';
import { erf, sigmoid } from './special.js';

/** The unary ops whose derivative the reference spells out (those with a fused gradient kernel). */
export type RefUnaryGradOp = 'gelu' | 'erf' | 'sigmoid' | 'tanh' | 'softplus' | 'relu' | 'leakyRelu' | 'elu';

/** d/dx of each op in float64, from its textbook definition (alpha: leakyRelu's slope, elu's scale). */
const DERIVATIVES: Record<RefUnaryGradOp, (x: number, alpha: number) => number> = {
  // d/dx x·Φ(x) = Φ(x) + x·φ(x)
  gelu: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  erf: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x),
  sigmoid: (x) => sigmoid(x) * (1 - sigmoid(x)),
  tanh: (x) => 1 / (Math.cosh(x) * Math.cosh(x)),
  softplus: (x) => sigmoid(x),
  relu: (x) => (x > 0 ? 1 : 0),
  leakyRelu: (x, alpha) => (x > 0 ? 1 : alpha),
  elu: (x, alpha) => (x > 0 ? 1 : alpha * Math.exp(x)),
};

/** dy · op'(x) elementwise, in float64 (x and dy of one shape). */
export function refUnaryGrad(op: RefUnaryGradOp, x: NDArray, dy: NDArray, alpha = op === 'leakyRelu' ? 0.01 : 1): NDArray {
  const d = DERIVATIVES[op];
  return fromFn(x.shape, 'float32', (i) => dy.data[i]! * d(x.data[i]!, alpha));
}

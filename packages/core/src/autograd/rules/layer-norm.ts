import { layerNormBackward } from '../../ops/layer-norm.js';
import type { GradRule } from '../grad-attrs.js';

/**
 * layerNorm's input gradient as one kernel (ops/layer-norm.ts): the row statistics are recomputed
 * from x, so the tape keeps nothing but x. With g the cotangent of x̂ = (x − μ)·rstd,
 * dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)) over each row.
 */
export const layerNormRules: { readonly layerNorm: GradRule<'layerNorm'> } = {
  layerNorm: (dy, { inputs: [x], attrs: { eps, trailing } }) => [layerNormBackward(x!, dy, trailing, eps)],
};

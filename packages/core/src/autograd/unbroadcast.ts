import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { shapesEqual, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Sums a gradient of a broadcast result back down to an operand's `shape`. */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(axes.length ? sum(g, axes) : g, shape);
}

import { RandomGenerator } from '@scratchnet/core';
import { TensorDataset } from '../src/data/dataset.js';

/**
 * The seed blog post's toy problem: 200 points in 2-D, class 1 a noisy ring of radius 2, class 0
 * a Gaussian blob at the origin inside it.
 */
export function ringAndBlob(seed = 0, points = 200): TensorDataset {
  const g = new RandomGenerator(seed);
  const noise = g.normal(points * 2);
  const angle = g.uniform(points);
  const xs = new Float32Array(points * 2);
  const ys = new Int32Array(points);
  for (let i = 0; i < points; i++) {
    const ring = i % 2 === 1;
    if (ring) {
      const a = angle[i]! * 2 * Math.PI;
      const radius = 2 + 0.15 * noise[2 * i]!;
      xs[2 * i] = radius * Math.cos(a);
      xs[2 * i + 1] = radius * Math.sin(a);
    } else {
      xs[2 * i] = 0.5 * noise[2 * i]!;
      xs[2 * i + 1] = 0.5 * noise[2 * i + 1]!;
    }
    ys[i] = ring ? 1 : 0;
  }
  return new TensorDataset({ data: xs, shape: [points, 2] }, { data: ys, shape: [points], dtype: 'int32' });
}

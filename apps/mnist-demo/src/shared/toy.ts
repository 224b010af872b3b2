/** The 2-D toy problems of the playground: seeded point clouds in [-1, 1]² with class labels. */
import { RandomGenerator } from '@scratchnet/core';

/** The toy problems on offer. */
export const TOY_PROBLEMS = ['spirals', 'moons', 'circles', 'xor', 'blobs'] as const;
export type ToyProblem = (typeof TOY_PROBLEMS)[number];

/** Points `xs` ([n, 2] row-major) with labels `ys`, and the number of classes. */
export interface ToyData {
  xs: Float32Array;
  ys: Int32Array;
  classes: number;
}

/**
 * Makes `n` points of a toy problem with seeded noise: three interleaved spirals (the seed's toy
 * example), two interleaved half-moons, a ring around a disc, the four XOR quadrants, or three
 * Gaussian blobs.
 */
export function makeToy(problem: ToyProblem, n: number, seed: number, noise = 0.1): ToyData {
  const g = new RandomGenerator(seed);
  const u = g.uniform(2 * n);
  const z = g.normal(2 * n);
  const xs = new Float32Array(2 * n);
  const ys = new Int32Array(n);
  let classes = 2;
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    let c = 0;
    if (problem === 'spirals') {
      classes = 3;
      c = i % 3;
      const r = u[2 * i]!;
      const t = c * ((2 * Math.PI) / 3) + r * 4 + z[2 * i]! * noise * 2;
      x = r * Math.sin(t);
      y = r * Math.cos(t);
    } else if (problem === 'moons') {
      c = i % 2;
      const a = u[2 * i]! * Math.PI;
      // Upper arc centred at (-0.25, -0.1); lower arc centred at (0.25, 0.1), both of radius 0.5.
      x = (c ? 0.25 - 0.5 * Math.cos(a) : -0.25 + 0.5 * Math.cos(a)) + z[2 * i]! * noise * 0.5;
      y = (c ? 0.1 - 0.5 * Math.sin(a) : -0.1 + 0.5 * Math.sin(a)) + z[2 * i + 1]! * noise * 0.5;
    } else if (problem === 'circles') {
      c = i % 2;
      const a = u[2 * i]! * 2 * Math.PI;
      const r = c ? 0.75 + z[2 * i]! * noise : Math.sqrt(u[2 * i + 1]!) * 0.4;
      x = r * Math.cos(a);
      y = r * Math.sin(a);
    } else if (problem === 'xor') {
      x = u[2 * i]! * 2 - 1;
      y = u[2 * i + 1]! * 2 - 1;
      c = x * y > 0 ? 1 : 0;
      x += z[2 * i]! * noise * 0.5;
      y += z[2 * i + 1]! * noise * 0.5;
    } else {
      classes = 3;
      c = i % 3;
      const centres = [[-0.5, -0.4], [0.5, -0.4], [0, 0.5]] as const;
      x = centres[c]![0] + z[2 * i]! * (noise + 0.12);
      y = centres[c]![1] + z[2 * i + 1]! * (noise + 0.12);
    }
    xs[2 * i] = x;
    xs[2 * i + 1] = y;
    ys[i] = c;
  }
  return { xs, ys, classes };
}

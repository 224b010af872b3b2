/**
 * The decision boundary of a classifier of 2-D points: the class (and class probabilities) it
 * predicts at every cell of a grid over the plane, ready to be drawn as a picture.
 */
import { ArgumentError, noGrad, softmax, tensor, tidy, type Tensor } from '@scratchnet/core';
import type { Module } from '../module.js';

/** Options of {@link decisionBoundary}. */
export interface DecisionBoundaryOptions {
  /** `[xMin, xMax]` of the grid; by default the points' range plus `margin`, else [-1, 1]. */
  xRange?: readonly [number, number];
  /** `[yMin, yMax]` of the grid; as `xRange`. */
  yRange?: readonly [number, number];
  /** Points (`[x0, y0, x1, y1, …]`) whose range sets the grid's when no range is given. */
  points?: ArrayLike<number>;
  /** Fraction of the points' extent added on each side (default 0.1). */
  margin?: number;
  /** Grid cells across and down: one number for a square grid, or `[width, height]` (default 200). */
  resolution?: number | readonly [number, number];
  /** Grid points per forward pass (default 4096). */
  batchSize?: number;
}

/** The predictions over the grid; row 0 is the top (`yMax`), so rows map straight onto image rows. */
export interface BoundaryGrid {
  readonly width: number;
  readonly height: number;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  /** Number of classes the model outputs. */
  readonly classes: number;
  /** `height × width` predicted classes, row-major. */
  readonly predicted: Int32Array;
  /** `height × width × classes` softmax probabilities. */
  readonly probabilities: Float32Array;
  /** The plane coordinates of cell (column, row)'s centre. */
  readonly at: (column: number, row: number) => [number, number];
  /** The cell (column, row) that holds the plane point (x, y), possibly outside the grid. */
  readonly cellOf: (x: number, y: number) => [number, number];
}

function rangeOf(points: ArrayLike<number> | undefined, axis: 0 | 1, margin: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = axis; points && i < points.length; i += 2) {
    lo = Math.min(lo, points[i]!);
    hi = Math.max(hi, points[i]!);
  }
  if (!Number.isFinite(lo)) return [-1, 1];
  const pad = Math.max(hi - lo, 1e-3) * margin;
  return [lo - pad, hi + pad];
}

/**
 * Evaluates `model` (inputs `[n, 2]`, outputs `[n, classes]` logits) in evaluation mode over a
 * grid covering the plane region, and returns each cell's predicted class and probabilities.
 * Reads results with `await t.data()`, so it works on every backend.
 *
 * @example
 * const grid = await decisionBoundary(model, { points: xs, resolution: 300 });
 * // grid.predicted[row * grid.width + col] is the class at grid.at(col, row)
 */
export async function decisionBoundary(model: Module, options: DecisionBoundaryOptions = {}): Promise<BoundaryGrid> {
  const margin = options.margin ?? 0.1;
  const xRange = options.xRange ?? rangeOf(options.points, 0, margin);
  const yRange = options.yRange ?? rangeOf(options.points, 1, margin);
  const res = options.resolution ?? 200;
  const [width, height] = typeof res === 'number' ? [res, res] : res;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`decisionBoundary: resolution ${name} must be a positive integer, got ${v}`);
  }
  for (const [name, r] of [['xRange', xRange], ['yRange', yRange]] as const) {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[1] > r[0])) throw new ArgumentError(`decisionBoundary: ${name} must be [min, max] with min < max, got [${r.join(', ')}]`);
  }
  const batchSize = options.batchSize ?? 4096;
  const at = (column: number, row: number): [number, number] => [
    xRange[0] + ((column + 0.5) / width) * (xRange[1] - xRange[0]),
    yRange[1] - ((row + 0.5) / height) * (yRange[1] - yRange[0]),
  ];
  const cellOf = (x: number, y: number): [number, number] => [
    Math.floor(((x - xRange[0]) / (xRange[1] - xRange[0])) * width),
    Math.floor(((yRange[1] - y) / (yRange[1] - yRange[0])) * height),
  ];
  const n = width * height;
  let classes = 0;
  let probabilities = new Float32Array(0);
  const predicted = new Int32Array(n);
  const wasTraining = model.training;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const xy = new Float32Array(2 * count);
      for (let i = 0; i < count; i++) {
        const [x, y] = at((start + i) % width, Math.floor((start + i) / width));
        xy[2 * i] = x;
        xy[2 * i + 1] = y;
      }
      model.eval();
      let p: Tensor;
      try {
        p = noGrad(() => tidy(() => softmax(model.forward(tensor(xy, [count, 2])), 1)));
      } finally {
        model.train(wasTraining);
      }
      if (p.shape.length !== 2 || p.shape[0] !== count) {
        p.dispose();
        throw new ArgumentError(`decisionBoundary: the model must map [n, 2] points to [n, classes] scores, got [${p.shape.join(', ')}] for [${count}, 2]`);
      }
      const values = await p.data();
      p.dispose();
      if (classes === 0) {
        classes = p.shape[1]!;
        probabilities = new Float32Array(n * classes);
      }
      probabilities.set(values, start * classes);
      for (let i = 0; i < count; i++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (values[i * classes + c]! > values[i * classes + best]!) best = c;
        predicted[start + i] = best;
      }
    }
  } finally {
    model.train(wasTraining);
  }
  return { width, height, xRange: [xRange[0], xRange[1]], yRange: [yRange[0], yRange[1]], classes, predicted, probabilities, at, cellOf };
}

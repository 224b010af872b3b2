import '@scratchnet/backend-js';
import { tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../sequential.js';
import { decisionBoundary } from './boundary.js';

/** A linear classifier whose class-1 score is x − y: class 1 below the line y = x. */
function diagonal(): Sequential {
  const layer = new Linear(2, 2, { seed: 1 });
  // Weights are [out, in]: score 0 is 0, score 1 is x − y.
  layer.weight.assign(tensor([0, 0, 1, -1], [2, 2]));
  layer.bias!.assign(tensor([0, 0], [2]));
  return new Sequential([layer]);
}

describe('decisionBoundary', () => {
  it('gives the class at every cell, top row first, with probabilities', async () => {
    const model = diagonal();
    const grid = await decisionBoundary(model, { xRange: [-1, 1], yRange: [-1, 1], resolution: [4, 2], batchSize: 3 });
    expect([grid.width, grid.height, grid.classes]).toEqual([4, 2, 2]);
    // Cell centres: x = -0.75, -0.25, 0.25, 0.75; y = 0.5 (top row), -0.5.
    expect(grid.at(0, 0)).toEqual([-0.75, 0.5]);
    expect([...grid.predicted]).toEqual([0, 0, 0, 1, 0, 1, 1, 1]);
    expect(grid.probabilities[2 * 2 + 1]).toBeCloseTo(1 / (1 + Math.exp(0.25)), 5);
    expect(grid.cellOf(0.8, -0.9)).toEqual([3, 1]);
    model.dispose();
  });

  it('takes its range from the points, and rejects a model that is not [n, 2] → [n, classes]', async () => {
    const model = diagonal();
    const grid = await decisionBoundary(model, { points: [0, 0, 2, 1], margin: 0, resolution: 3 });
    expect(grid.xRange).toEqual([0, 2]);
    expect(grid.yRange).toEqual([0, 1]);
    await expect(decisionBoundary(model, { resolution: 0 })).rejects.toThrow('decisionBoundary: resolution width must be a positive integer, got 0');
    await expect(decisionBoundary(new Sequential([new Linear(3, 2)]), { resolution: 2 })).rejects.toThrow();
    model.dispose();
  });
});

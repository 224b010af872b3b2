/** Drawing a decision boundary and its points as a PNG (pngjs). */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { BoundaryGrid } from '@scratchnet/layers';

/** Class colours (RGB), repeated past eight classes. */
export const PALETTE: readonly [number, number, number][] = [
  [220, 60, 50], [40, 110, 220], [40, 160, 80], [235, 160, 20], [150, 80, 200], [20, 170, 180], [200, 60, 150], [120, 120, 120],
];

const colour = (c: number): [number, number, number] => PALETTE[c % PALETTE.length]!;

/**
 * Paints the grid (one pixel per cell): each cell in its predicted class's colour, paler where
 * the model is less sure; then each point as a dot of its true class's colour with a dark rim.
 *
 * @returns the PNG file's bytes.
 */
export function boundaryPng(grid: BoundaryGrid, points: Float32Array, labels: Int32Array): Uint8Array {
  const { width, height, classes } = grid;
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const c = grid.predicted[i]!;
    const sure = classes > 1 ? (grid.probabilities[i * classes + c]! - 1 / classes) / (1 - 1 / classes) : 1;
    const alpha = 0.2 + 0.4 * Math.max(0, Math.min(1, sure));
    const rgb = colour(c);
    for (let k = 0; k < 3; k++) png.data[4 * i + k] = Math.round(255 * (1 - alpha) + rgb[k]! * alpha);
    png.data[4 * i + 3] = 255;
  }
  const radius = Math.max(2, Math.round(Math.min(width, height) / 110));
  for (let n = 0; n < labels.length; n++) {
    const [cx, cy] = grid.cellOf(points[2 * n]!, points[2 * n + 1]!);
    const rgb = colour(labels[n]!);
    for (let dy = -radius - 1; dy <= radius + 1; dy++) {
      for (let dx = -radius - 1; dx <= radius + 1; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const d = Math.hypot(dx, dy);
        if (x < 0 || y < 0 || x >= width || y >= height || d > radius + 1) continue;
        const o = 4 * (y * width + x);
        const fill = d <= radius ? rgb : ([40, 40, 40] as const);
        png.data[o] = fill[0];
        png.data[o + 1] = fill[1];
        png.data[o + 2] = fill[2];
      }
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** Writes {@link boundaryPng}'s picture to `path`. */
export function writeBoundaryPng(path: string, grid: BoundaryGrid, points: Float32Array, labels: Int32Array): void {
  writeFileSync(path, boundaryPng(grid, points, labels));
}

import { add } from '../ops/binary.js';
import { concat, pad } from '../ops/slicing.js';
import type { Tensor } from '../tensor.js';

/** The cotangent of one slice of a tensor: where the slice began, and its cotangent. */
export interface SlicePiece {
  readonly begin: readonly number[];
  readonly dy: Tensor;
}

/**
 * The axis along which `pieces` tile a tensor of `shape` exactly (each piece spans every other axis
 * whole, and sorted by their start they cover the axis end to end without gap or overlap), with the
 * pieces in that order; null when they do not (overlapping or partial slices).
 */
function tiling(pieces: readonly SlicePiece[], shape: readonly number[]): { axis: number; ordered: SlicePiece[] } | null {
  for (let axis = 0; axis < shape.length; axis++) {
    const whole = pieces.every((p) => p.dy.shape.every((d, k) => k === axis || (d === shape[k] && p.begin[k] === 0)));
    if (!whole) continue;
    const ordered = [...pieces].sort((a, b) => a.begin[axis]! - b.begin[axis]!);
    let at = 0;
    for (const p of ordered) {
      if (p.begin[axis] !== at) return null;
      at += p.dy.shape[axis]!;
    }
    return at === shape[axis] ? { axis, ordered } : null;
  }
  return null;
}

/**
 * The cotangent of a tensor of `shape` from the cotangents of slices taken of it: when the slices
 * tile it (a `split`, LSTM gates, attention's packed q, k, v) one concatenation, instead of padding
 * every piece to the whole shape and adding them up; otherwise that sum.
 */
export function assembleSlicePieces(pieces: readonly SlicePiece[], shape: readonly number[]): Tensor {
  const tiled = tiling(pieces, shape);
  if (tiled) return tiled.ordered.length === 1 ? tiled.ordered[0]!.dy : concat(tiled.ordered.map((p) => p.dy), tiled.axis);
  const padded = pieces.map((p) => pad(p.dy, shape.map((d, k) => [p.begin[k]!, d - p.begin[k]! - p.dy.shape[k]!] as [number, number])));
  return padded.reduce((sum, g) => add(sum, g));
}

/**
 * A flat fused program over several segments (an optimizer's update of every parameter) in one call:
 * each segment runs through the same generated loop as {@link fusedKernel}, on core's program for its
 * size (`segmentProgram`, cached, so the loop is generated once per program), with the same results.
 */
import { checkFusedSegments, segmentProgram, type FusedElementwiseProgram, type FusedSegment, type TensorRef, type TypedArray } from '@scratchnet/core';
import { fusedKernel } from './fused.js';

/** Runs `program` over every segment: per segment, one new array per program output. `data` reads a ref's array. */
export function fusedSegmentsKernel(program: FusedElementwiseProgram, segments: readonly FusedSegment[], data: (t: TensorRef) => TypedArray): TypedArray[][] {
  checkFusedSegments(program, segments);
  return segments.map((s) => fusedKernel(segmentProgram(program, s.size), s.inputs.map(data)));
}

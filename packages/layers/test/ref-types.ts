import type { reference } from '@scratchnet/core/testing';

/** The float64 reference array of core's conformance suite. */
export type NDArray = reference.NDArray;

/**
 * Shape arithmetic the host does before a kernel runs. All of it is core's (one copy for every backend);
 * this module only names it the way the kernels here read it.
 */

import { broadcastStrides, mergeAxes, sizeOf, stridesOf as contiguousStrides, type MergedAxes } from '@scratchnet/core';

export { broadcastStrides, contiguousStrides, mergeAxes, sizeOf };

/** A walk over a shape reading several operands with their own strides (see core's mergeAxes). */
export type Walk = MergedAxes;

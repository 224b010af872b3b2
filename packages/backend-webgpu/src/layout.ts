/**
 * Shape arithmetic on the host side: sizes, strides, broadcasting, merging of axes. All of it is core's
 * (one copy for every backend); this module only names it the way the kernels here read it.
 */

import { around, broadcastStrides as stridesBroadcastTo, mergeAxes, sizeOf, stridesOf as contiguousStrides } from '@scratchnet/core';

export { around, contiguousStrides, mergeAxes, sizeOf, stridesBroadcastTo };

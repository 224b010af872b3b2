import type { REDUCE_DEFS } from '@scratchnet/core';

/** assembly/generated/reduce-ops.ts for these definitions. */
export function reduceOpsSource(defs: typeof REDUCE_DEFS): string;
/** assembly/generated/reduce-dispatch.ts for these definitions. */
export function reduceDispatchSource(defs: typeof REDUCE_DEFS): string;

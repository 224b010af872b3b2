import { bytesPerElement } from '../dtype.js';
import { nodeInputs, nodeOutputs, sinkValues, type Program } from './program.js';

/**
 * The buffer plan of a program: when each intermediate dies (its last reader), so that a replay
 * frees it right there, and what that means for memory. The backend contract can only allocate
 * (every kernel returns new data), so reuse is left to the backend's allocator: `reusable` counts
 * the allocations a pool keyed by size could serve from a buffer freed earlier in the same replay.
 */
export interface BufferPlan {
  /** Per node: the values to free right after it runs. */
  readonly freeAfter: readonly (readonly number[])[];
  /** Values made by nodes (the replay owns them until freed or handed out). */
  readonly owned: ReadonlySet<number>;
  /** Values handed out (returned tensors and Variable writes). */
  readonly sinks: ReadonlySet<number>;
  /** Bytes allocated by one replay. */
  readonly allocatedBytes: number;
  /** Allocations per replay. */
  readonly allocations: number;
  /** The most intermediate bytes alive at once during a replay. */
  readonly peakBytes: number;
  /** Allocations a size-keyed pool could serve from buffers freed earlier in the same replay. */
  readonly reusable: number;
  /** Bytes kernels read plus bytes they write (elementwise traffic as if nothing were cached). */
  readonly bytesMoved: number;
}

/** Plans buffer lifetimes from each value's last use. */
export function planBuffers(program: Program): BufferPlan {
  const sinks = sinkValues(program);
  const lastUse = new Map<number, number>();
  const owned = new Set<number>();
  program.nodes.forEach((node, i) => {
    for (const v of nodeInputs(node)) lastUse.set(v, i);
    for (const v of nodeOutputs(node)) {
      if (!(node.kind === 'host' && node.discard)) owned.add(v);
      if (!lastUse.has(v)) lastUse.set(v, i);
    }
  });
  const freeAfter: number[][] = program.nodes.map(() => []);
  for (const v of owned) if (!sinks.has(v)) freeAfter[lastUse.get(v)!]!.push(v);
  const bytesOf = (v: number): number => {
    const info = program.values[v]!;
    return info.size * bytesPerElement(info.dtype);
  };
  let live = 0;
  let peakBytes = 0;
  let allocatedBytes = 0;
  let allocations = 0;
  let reusable = 0;
  let bytesMoved = 0;
  const freeSizes = new Map<number, number>();
  program.nodes.forEach((node, i) => {
    for (const v of nodeInputs(node)) bytesMoved += bytesOf(v);
    for (const v of nodeOutputs(node)) {
      if (!owned.has(v)) continue;
      const b = bytesOf(v);
      bytesMoved += b;
      allocatedBytes += b;
      allocations++;
      live += b;
      const free = freeSizes.get(b) ?? 0;
      if (free > 0) {
        reusable++;
        freeSizes.set(b, free - 1);
      }
    }
    peakBytes = Math.max(peakBytes, live);
    for (const v of freeAfter[i]!) {
      const b = bytesOf(v);
      live -= b;
      freeSizes.set(b, (freeSizes.get(b) ?? 0) + 1);
    }
  });
  return { freeAfter, owned, sinks, allocatedBytes, allocations, peakBytes, reusable, bytesMoved };
}

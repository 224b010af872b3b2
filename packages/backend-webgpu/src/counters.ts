/**
 * Always-on counters of the WebGPU calls the runtime makes (how many, and the host milliseconds spent
 * inside each kind of call), read through the backend's `info()`. They cost one `performance.now()`
 * pair per counted call, small beside the Dawn call itself, and let benches and tests see how much
 * work a training step sends to the device.
 */

/** The kinds of device call the runtime counts. */
export const COUNTED_CALLS = [
  /** `dispatchWorkgroups` (with its setPipeline/setBindGroup). */
  'dispatch',
  /** `queue.submit` of a finished command encoder. */
  'submit',
  /** `createCommandEncoder`. */
  'encoder',
  /** `createBuffer` (storage, uniform and read-back staging buffers). */
  'bufferCreate',
  /** `createBindGroup`. */
  'bindGroup',
  /** `queue.writeBuffer` (tensor uploads and uniforms). */
  'writeBuffer',
  /** `createShaderModule` + `createComputePipeline`. */
  'pipeline',
] as const;

/** One counted kind of call. */
export type CountedCall = (typeof COUNTED_CALLS)[number];

/** The `info()` name of each kind's count (its host time is the same name plus `Ms`). */
const PLURAL: Record<CountedCall, string> = {
  dispatch: 'dispatches', submit: 'submits', encoder: 'encoders', bufferCreate: 'bufferCreates',
  bindGroup: 'bindGroups', writeBuffer: 'writeBuffers', pipeline: 'compiled',
};

/** Counts and host times of the runtime's device calls, plus cache hits that saved a call. */
export class GpuCounters {
  private readonly counts = new Map<CountedCall, number>(COUNTED_CALLS.map((c) => [c, 0]));
  private readonly ms = new Map<CountedCall, number>(COUNTED_CALLS.map((c) => [c, 0]));
  /** Bind groups found in the cache instead of created. */
  bindGroupHits = 0;
  /** Uniform blocks found already on the device instead of written. */
  uniformHits = 0;
  /** Times the uniform store was full and started over (each costs a submit). */
  uniformResets = 0;
  /** Bytes passed to `queue.writeBuffer`. */
  writeBytes = 0;

  /** Runs `call`, counting it as one `kind` call and adding its host time. */
  time<T>(kind: CountedCall, call: () => T): T {
    const t0 = performance.now();
    try {
      return call();
    } finally {
      this.ms.set(kind, this.ms.get(kind)! + performance.now() - t0);
      this.counts.set(kind, this.counts.get(kind)! + 1);
    }
  }

  /** How many `kind` calls were made so far. */
  count(kind: CountedCall): number {
    return this.counts.get(kind)!;
  }

  /**
   * Every figure as a flat record for `info()`: per counted kind its count (`dispatches`, `submits`,
   * `encoders`, `bufferCreates`, `bindGroups`, `writeBuffers`, `compiled`) and its host milliseconds
   * (the same name plus `Ms`), plus `bindGroupHits`, `uniformHits`, `uniformResets` and `writeBytes`.
   */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const kind of COUNTED_CALLS) {
      out[PLURAL[kind]] = this.counts.get(kind)!;
      out[`${PLURAL[kind]}Ms`] = this.ms.get(kind)!;
    }
    out.bindGroupHits = this.bindGroupHits;
    out.uniformHits = this.uniformHits;
    out.uniformResets = this.uniformResets;
    out.writeBytes = this.writeBytes;
    return out;
  }
}

/**
 * The GPU side of the backend: the device, a pipeline cache, a buffer pool by size class, uniform
 * blocks kept on the device by content, cached bind groups, and one command encoder and compute pass
 * that collect many dispatches before one submission. Work is submitted when a read or sync needs
 * it, when {@link DISPATCHES_PER_SUBMIT} dispatches are waiting, and when the uniform store is full.
 */
import { ENABLE_F16, usesF16 } from './half.js';
import { BindGroupCache } from './bind-group-cache.js';
import { BufferPool } from './buffer-pool.js';
import { GpuCounters } from './counters.js';
import { DeviceLossWatch } from './device-loss.js';
import { UniformStore } from './uniform-store.js';

/** One compute shader plus the identity it is cached under (shader text and specialisation). */
export interface Program {
  /** Unique per distinct WGSL text: kernel name plus every specialisation baked into the code. */
  readonly key: string;
  /** Makes the WGSL source; called once per key. */
  readonly source: () => string;
}

/**
 * Dispatches per command buffer before the runtime submits on its own: large enough that submits are
 * few, small enough that the GPU starts on a long step while the host still records it, and that
 * buffers released meanwhile (reusable only after the submit) do not pile up.
 */
export const DISPATCHES_PER_SUBMIT = 64;
/** The largest count of workgroups in one dispatch dimension (WebGPU's default limit). */
const MAX_GROUPS_PER_DIM = 65535;

/** Workgroup counts [x, y, z] for `groups` one-dimensional workgroups, folded into y when x overflows. */
export function foldGroups(groups: number, z = 1): [number, number, number] {
  if (groups <= MAX_GROUPS_PER_DIM) return [Math.max(groups, 1), 1, z];
  const y = Math.ceil(groups / MAX_GROUPS_PER_DIM);
  return [Math.ceil(groups / y), y, z];
}

/** The WebGPU device and everything cached against it. */
/** A compiled pipeline with what binding it needs. */
interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly id: number;
}

export class GpuRuntime {
  /** Counts and host times of every device call, for info(). */
  readonly counters = new GpuCounters();
  readonly pool: BufferPool;
  /**
   * Read-back staging buffers (MAP_READ | COPY_DST), reused by size class once unmapped, so that a
   * training step that reads its loss creates no buffer after the first steps.
   */
  private readonly staging: BufferPool;
  private readonly uniforms: UniformStore;
  private readonly bindGroups: BindGroupCache;
  private readonly pipelines = new Map<string, CachedPipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  /** The pipeline last set on the open pass (setPipeline is skipped when it repeats). */
  private passPipeline: GPUComputePipeline | null = null;
  private pending = 0;
  /** Buffers released while commands that use them are still unsubmitted; they return to the pool at submit. */
  private releasedAfterSubmit: GPUBuffer[] = [];
  /** Whether (and why) the device was lost. */
  readonly loss: DeviceLossWatch;
  /** The first validation or out-of-memory error the device reported since the last read. */
  private firstError: string | null = null;

  constructor(readonly device: GPUDevice, readonly adapterInfo: Record<string, unknown>) {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.bindGroups = new BindGroupCache(device, this.counters);
    this.pool = new BufferPool(device, usage, 256 * 1024 * 1024, { counters: this.counters, onDestroy: (b) => this.bindGroups.forget(b), keepPeak: true });
    this.staging = new BufferPool(device, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 64 * 1024 * 1024, { counters: this.counters });
    this.uniforms = new UniformStore(device, this.counters, device.limits.minUniformBufferOffsetAlignment);
    device.addEventListener('uncapturederror', (e) => {
      this.firstError ??= e.error.message;
    });
    this.loss = new DeviceLossWatch(device);
  }

  /** Throws a DeviceLostError naming `op` when the device is gone, so work fails with a reason instead of silently producing nothing. */
  checkAlive(op: string): void {
    this.loss.check(op);
  }

  /** The cached pipeline for a program, compiling it on first use. */
  pipeline(program: Program): GPUComputePipeline {
    return this.cachedPipeline(program).pipeline;
  }

  private cachedPipeline(program: Program): CachedPipeline {
    let p = this.pipelines.get(program.key);
    if (!p) {
      const pipeline = this.counters.time('pipeline', () => {
        const source = program.source();
        const module = this.device.createShaderModule({ code: usesF16(source) ? `${ENABLE_F16}\n${source}` : source, label: program.key });
        return this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: program.key });
      });
      p = { pipeline, layout: pipeline.getBindGroupLayout(0), id: this.pipelines.size + 1 };
      this.pipelines.set(program.key, p);
    }
    return p;
  }

  /** The storage pool's hits and misses and what the uniform store and bind group cache hold, for info(). */
  poolStats(): Record<string, number> {
    const s = this.pool.stats();
    return { poolHits: s.poolHits, poolMisses: s.poolMisses, uniformBlocks: this.uniforms.size, cachedBindGroups: this.bindGroups.size };
  }

  /** Number of distinct pipelines compiled so far. */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /**
   * Records one dispatch of `program` with its storage buffers bound in order (inputs, then outputs)
   * at bindings 0..n-1 and the uniform words at binding n. Submits when enough work is queued.
   */
  dispatch(program: Program, buffers: readonly GPUBuffer[], uniforms: ArrayBuffer, groups: readonly [number, number, number]): void {
    if (this.loss.lost) this.checkAlive(`kernel '${program.key.split('|')[0]!}'`);
    const { pipeline, layout, id } = this.cachedPipeline(program);
    let slot = this.uniforms.slot(uniforms);
    if (!slot) {
      // Every page is full: submit what binds the old blocks, then refill from the first page.
      this.submit();
      this.uniforms.reset();
      this.counters.uniformResets++;
      slot = this.uniforms.slot(uniforms)!;
    }
    const bindGroup = this.bindGroups.get(id, layout, buffers, slot);
    const pass = this.computePass();
    this.counters.time('dispatch', () => {
      if (this.passPipeline !== pipeline) {
        pass.setPipeline(pipeline);
        this.passPipeline = pipeline;
      }
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    });
    this.pending++;
    if (this.pending >= DISPATCHES_PER_SUBMIT) this.submit();
  }

  /** The open command encoder, made when there is none. */
  private commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.counters.time('encoder', () => this.device.createCommandEncoder());
    return this.encoder;
  }

  /** The open compute pass, begun when there is none. */
  private computePass(): GPUComputePassEncoder {
    this.pass ??= this.commandEncoder().beginComputePass();
    return this.pass;
  }

  /**
   * Writes `data` (bytes `offset`.. of it, `size` long) into `buffer` at its start through the queue,
   * counted. The write lands before any command submitted later, so `buffer` must not be bound by a
   * dispatch still unsubmitted (a freshly acquired buffer never is: see {@link release}).
   */
  writeBuffer(buffer: GPUBuffer, data: ArrayBuffer | SharedArrayBuffer, offset = 0, size = data.byteLength - offset): void {
    this.counters.writeBytes += size;
    this.counters.time('writeBuffer', () => this.device.queue.writeBuffer(buffer, 0, data, offset, size));
  }

  /** Gives a storage buffer back; it is reused only after the commands already recorded were submitted. */
  release(buffer: GPUBuffer): void {
    if (this.pending > 0) this.releasedAfterSubmit.push(buffer);
    else this.pool.release(buffer);
  }

  /** Submits the recorded dispatches (if any) and recycles buffers released meanwhile. */
  submit(extra?: (encoder: GPUCommandEncoder) => void): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
      this.passPipeline = null;
    }
    if (extra) extra(this.commandEncoder());
    if (this.encoder) {
      const encoder = this.encoder;
      this.encoder = null;
      this.uniforms.flush();
      this.counters.time('submit', () => this.device.queue.submit([encoder.finish()]));
    }
    this.pending = 0;
    for (const buffer of this.releasedAfterSubmit) this.pool.release(buffer);
    this.releasedAfterSubmit = [];
  }

  /** Copies `bytes` bytes of `buffer` to the host once every recorded dispatch has run. */
  async readBytes(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.checkAlive('read');
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const staging = this.staging.acquire(size);
    this.submit((enc) => enc.copyBufferToBuffer(buffer, 0, staging, 0, size));
    let values: ArrayBuffer;
    try {
      await this.loss.guard('read', staging.mapAsync(GPUMapMode.READ, 0, size));
      values = staging.getMappedRange(0, size).slice(0, bytes);
    } catch (e) {
      this.staging.discard(staging);
      throw e;
    }
    staging.unmap();
    this.staging.release(staging);
    const err = this.firstError;
    if (err) {
      this.firstError = null;
      throw new Error(`webgpu: the device reported an error while computing this tensor: ${err}`);
    }
    return values;
  }

  /** Waits until the queue has run everything submitted so far. */
  async sync(): Promise<void> {
    this.checkAlive('sync');
    this.submit();
    await this.loss.guard('sync', this.device.queue.onSubmittedWorkDone());
  }

  /** Frees every buffer and the device. */
  destroy(): void {
    this.loss.markDestroyed('the webgpu backend was shut down');
    this.submit();
    this.pool.clear();
    this.staging.clear();
    this.bindGroups.clear();
    this.uniforms.destroy();
    this.pipelines.clear();
    this.device.destroy();
  }
}

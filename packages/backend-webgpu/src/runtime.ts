/**
 * The GPU side of the backend: the device, a pipeline cache, a buffer pool by size class, and a
 * command encoder that collects many dispatches before one submission.
 */
import { BufferPool } from './buffer-pool.js';
import { GpuCounters } from './counters.js';
import { DeviceLossWatch } from './device-loss.js';

/** One compute shader plus the identity it is cached under (shader text and specialisation). */
export interface Program {
  /** Unique per distinct WGSL text: kernel name plus every specialisation baked into the code. */
  readonly key: string;
  /** Makes the WGSL source; called once per key. */
  readonly source: () => string;
}

/** Dispatches per command buffer before the runtime submits on its own. */
const DISPATCHES_PER_SUBMIT = 64;
/** The largest count of workgroups in one dispatch dimension (WebGPU's default limit). */
const MAX_GROUPS_PER_DIM = 65535;

/** Workgroup counts [x, y, z] for `groups` one-dimensional workgroups, folded into y when x overflows. */
export function foldGroups(groups: number, z = 1): [number, number, number] {
  if (groups <= MAX_GROUPS_PER_DIM) return [Math.max(groups, 1), 1, z];
  const y = Math.ceil(groups / MAX_GROUPS_PER_DIM);
  return [Math.ceil(groups / y), y, z];
}

/** The WebGPU device and everything cached against it. */
export class GpuRuntime {
  readonly pool: BufferPool;
  private readonly uniformPool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pending = 0;
  /** Buffers released while commands that use them are still unsubmitted; they return to the pool at submit. */
  private releasedAfterSubmit: { pool: BufferPool; buffer: GPUBuffer }[] = [];
  /** Counts and host times of every device call, for info(). */
  readonly counters = new GpuCounters();
  /** Whether (and why) the device was lost. */
  readonly loss: DeviceLossWatch;
  /** The first validation or out-of-memory error the device reported since the last read. */
  private firstError: string | null = null;

  constructor(readonly device: GPUDevice, readonly adapterInfo: Record<string, unknown>) {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.pool = new BufferPool(device, usage, 256 * 1024 * 1024, this.counters);
    this.uniformPool = new BufferPool(device, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 4 * 1024 * 1024, this.counters);
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
    let p = this.pipelines.get(program.key);
    if (!p) {
      p = this.counters.time('pipeline', () => {
        const module = this.device.createShaderModule({ code: program.source(), label: program.key });
        return this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: program.key });
      });
      this.pipelines.set(program.key, p);
    }
    return p;
  }

  /** Hits and misses of the storage and uniform buffer pools, for info(). */
  poolStats(): Record<string, number> {
    const s = this.pool.stats();
    const u = this.uniformPool.stats();
    return { poolHits: s.poolHits, poolMisses: s.poolMisses, uniformPoolHits: u.poolHits, uniformPoolMisses: u.poolMisses };
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
    this.checkAlive(`kernel '${program.key.split('|')[0]!}'`);
    const pipeline = this.pipeline(program);
    const ubuf = this.uniformPool.acquire(Math.max(uniforms.byteLength, 16));
    this.writeBuffer(ubuf, uniforms);
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: ubuf, size: Math.max(uniforms.byteLength, 16) } });
    const bindGroup = this.counters.time('bindGroup', () => this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    const pass = this.computePass();
    this.counters.time('dispatch', () => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    });
    this.releasedAfterSubmit.push({ pool: this.uniformPool, buffer: ubuf });
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

  /** Writes `data` (bytes `offset`.. of it, `size` long) into `buffer` at its start through the queue, counted. */
  writeBuffer(buffer: GPUBuffer, data: ArrayBuffer | SharedArrayBuffer, offset = 0, size = data.byteLength - offset): void {
    this.counters.writeBytes += size;
    this.counters.time('writeBuffer', () => this.device.queue.writeBuffer(buffer, 0, data, offset, size));
  }

  /** Gives a storage buffer back; it is reused only after the commands already recorded were submitted. */
  release(buffer: GPUBuffer): void {
    if (this.pending > 0) this.releasedAfterSubmit.push({ pool: this.pool, buffer });
    else this.pool.release(buffer);
  }

  /** Submits the recorded dispatches (if any) and recycles buffers released meanwhile. */
  submit(extra?: (encoder: GPUCommandEncoder) => void): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (extra) extra(this.commandEncoder());
    if (this.encoder) {
      const encoder = this.encoder;
      this.encoder = null;
      this.counters.time('submit', () => this.device.queue.submit([encoder.finish()]));
    }
    this.pending = 0;
    for (const { pool, buffer } of this.releasedAfterSubmit) pool.release(buffer);
    this.releasedAfterSubmit = [];
  }

  /** Copies `bytes` bytes of `buffer` to the host once every recorded dispatch has run. */
  async readBytes(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.checkAlive('read');
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const staging = this.counters.time('bufferCreate', () => this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
    this.submit((enc) => enc.copyBufferToBuffer(buffer, 0, staging, 0, size));
    try {
      await this.loss.guard('read', staging.mapAsync(GPUMapMode.READ));
      const err = this.firstError;
      if (err) {
        this.firstError = null;
        throw new Error(`webgpu: the device reported an error while computing this tensor: ${err}`);
      }
      return staging.getMappedRange(0, size).slice(0, bytes);
    } finally {
      staging.destroy();
    }
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
    this.uniformPool.clear();
    this.pipelines.clear();
    this.device.destroy();
  }
}

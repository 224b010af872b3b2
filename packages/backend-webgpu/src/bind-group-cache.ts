/**
 * Bind groups reused across dispatches. A training step binds the same pooled storage buffers and the
 * same uniform slots to the same pipelines step after step, and `createBindGroup` is one of the
 * costliest calls a dispatch makes, so a group is kept under (pipeline, storage buffers, uniform
 * slot) and found again. A group that binds a buffer the pool destroys is dropped with it.
 */
import type { GpuCounters } from './counters.js';
import type { UniformSlot } from './uniform-store.js';

/** Groups kept at most; past it the cache is emptied and refilled (a step rarely needs more). */
const MAX_GROUPS = 8192;

/** Cached bind groups. */
export class BindGroupCache {
  private readonly groups = new Map<string, GPUBindGroup>();
  /** The keys of the groups that bind each storage buffer, to drop them when it is destroyed. */
  private readonly byBuffer = new Map<GPUBuffer, string[]>();
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private nextId = 1;
  /** Entries in the byBuffer lists (stale ones included), bounded like the groups. */
  private listed = 0;

  constructor(private readonly device: GPUDevice, private readonly counters: GpuCounters) {}

  /**
   * The group binding `buffers` at 0..n-1 and `uniform` at n for the pipeline identified by
   * `pipelineId` (whose group-0 layout is `layout`), created on first use.
   */
  get(pipelineId: number, layout: GPUBindGroupLayout, buffers: readonly GPUBuffer[], uniform: UniformSlot): GPUBindGroup {
    let key = `${pipelineId}|${uniform.key}`;
    for (const b of buffers) key += `|${this.idOf(b)}`;
    const found = this.groups.get(key);
    if (found) {
      this.counters.bindGroupHits++;
      return found;
    }
    if (this.groups.size >= MAX_GROUPS || this.listed >= 4 * MAX_GROUPS) this.clear();
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: uniform.buffer, offset: uniform.offset, size: uniform.size } });
    const group = this.counters.time('bindGroup', () => this.device.createBindGroup({ layout, entries }));
    this.groups.set(key, group);
    for (const b of buffers) {
      let keys = this.byBuffer.get(b);
      if (!keys) {
        keys = [];
        this.byBuffer.set(b, keys);
      }
      keys.push(key);
      this.listed++;
    }
    return group;
  }

  /** Drops every group that binds `buffer` (it is about to be destroyed). */
  forget(buffer: GPUBuffer): void {
    const keys = this.byBuffer.get(buffer);
    if (!keys) return;
    for (const k of keys) this.groups.delete(k);
    this.byBuffer.delete(buffer);
  }

  /** Drops every group. */
  clear(): void {
    this.groups.clear();
    this.byBuffer.clear();
    this.listed = 0;
  }

  /** Groups held now. */
  get size(): number {
    return this.groups.size;
  }

  private idOf(buffer: GPUBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(buffer, id);
    }
    return id;
  }
}

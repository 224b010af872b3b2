/**
 * Uniform blocks kept on the device by content. A kernel's uniforms (sizes, strides, scalars) repeat
 * from one training step to the next, so each distinct block is written once into a slot of a large
 * uniform buffer (a page) and every later dispatch with the same bytes binds that slot again: no
 * buffer per dispatch, no `writeBuffer` per dispatch, and a stable binding that lets bind groups be
 * cached. New blocks are copied into a host mirror of their page and reach the device in one
 * `writeBuffer` per page touched, just before the command buffer that reads them is submitted.
 */
import type { GpuCounters } from './counters.js';

/** Bytes per page (the default maxUniformBufferBindingSize, so any block fits). */
const PAGE_BYTES = 64 * 1024;
/** Pages kept at most; when they are full the store is emptied (after a submit) and refilled. */
const MAX_PAGES = 16;

/** Where one uniform block lives on the device. */
export interface UniformSlot {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
  /** Identifies (page, offset, size): equal keys bind the same bytes of the same buffer. */
  readonly key: string;
}

interface Page {
  readonly buffer: GPUBuffer;
  readonly mirror: Uint8Array;
  /** Bytes of the mirror not yet written to the device: [dirtyFrom, dirtyTo). */
  dirtyFrom: number;
  dirtyTo: number;
}

/** Content-addressed uniform blocks in a few large uniform buffers. */
export class UniformStore {
  private readonly pages: Page[] = [];
  /** The page being filled and the bytes used in it. */
  private current = 0;
  private used = 0;
  private readonly slots = new Map<string, UniformSlot>();

  /**
   * @param align the device's minUniformBufferOffsetAlignment.
   */
  constructor(private readonly device: GPUDevice, private readonly counters: GpuCounters, private readonly align: number) {}

  /**
   * The slot holding `bytes` (at least 16 are bound), copying them in on first sight; null when
   * every page is full: the caller must submit pending work, {@link reset} the store and ask again.
   */
  slot(bytes: ArrayBuffer): UniformSlot | null {
    const content = contentKey(bytes);
    const found = this.slots.get(content);
    if (found) {
      this.counters.uniformHits++;
      return found;
    }
    const size = Math.max(bytes.byteLength, 16);
    if (size > PAGE_BYTES) throw new Error(`webgpu: a uniform block of ${size} bytes exceeds ${PAGE_BYTES}`);
    if (this.used + size > PAGE_BYTES) {
      if (this.current + 1 >= MAX_PAGES) return null;
      this.current++;
      this.used = 0;
    }
    const page = this.page(this.current);
    const offset = this.used;
    page.mirror.set(new Uint8Array(bytes), offset);
    page.mirror.fill(0, offset + bytes.byteLength, offset + size);
    page.dirtyFrom = Math.min(page.dirtyFrom, offset);
    page.dirtyTo = Math.max(page.dirtyTo, offset + size);
    this.used = Math.ceil((offset + size) / this.align) * this.align;
    const slot: UniformSlot = { buffer: page.buffer, offset, size, key: `${this.current}:${offset}:${size}` };
    this.slots.set(content, slot);
    return slot;
  }

  /** Writes every new block to the device; call before submitting the commands that bind them. */
  flush(): void {
    for (const page of this.pages) {
      if (page.dirtyTo <= page.dirtyFrom) continue;
      const { dirtyFrom: from, dirtyTo: to } = page;
      this.counters.writeBytes += to - from;
      this.counters.time('writeBuffer', () => this.device.queue.writeBuffer(page.buffer, from, page.mirror.buffer, page.mirror.byteOffset + from, to - from));
      page.dirtyFrom = PAGE_BYTES;
      page.dirtyTo = 0;
    }
  }

  /**
   * Forgets every block so that slots are refilled from the first page. Only after the commands that
   * bind the old contents were submitted (queue order then keeps them reading the old bytes).
   */
  reset(): void {
    this.slots.clear();
    this.current = 0;
    this.used = 0;
  }

  /** Distinct blocks held now. */
  get size(): number {
    return this.slots.size;
  }

  /** Destroys the pages. */
  destroy(): void {
    for (const p of this.pages) p.buffer.destroy();
    this.pages.length = 0;
    this.reset();
  }

  private page(index: number): Page {
    let page = this.pages[index];
    if (!page) {
      const buffer = this.counters.time('bufferCreate', () =>
        this.device.createBuffer({ size: PAGE_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
      page = { buffer, mirror: new Uint8Array(PAGE_BYTES), dirtyFrom: PAGE_BYTES, dirtyTo: 0 };
      this.pages[index] = page;
    }
    return page;
  }
}

/** A string that identifies a block's bytes (two bytes per character; blocks are whole words). */
function contentKey(bytes: ArrayBuffer): string {
  const halves = new Uint16Array(bytes, 0, bytes.byteLength >> 1);
  let s = '';
  for (let i = 0; i < halves.length; i += 4096) s += String.fromCharCode(...halves.subarray(i, i + 4096));
  return s;
}

import { detectIsa, type Isa, type IsaChoice, loadModule, sharedMemoryAvailable } from './loader.js';
import { KERNELS, type KernelExports, Runtime } from './runtime.js';
import { MAX_WORKERS, nodeModule, ThreadPool } from './threads.js';
import type * as NodeOs from 'node:os';
import { WasmBackend } from './wasm-backend.js';
import { elementwiseAbiHash } from '@scratchnet/core';

/**
 * The generated elementwise kernels number ops by their place in core's tables: refuse a module built
 * from other tables than the core loaded now, rather than run the wrong ops.
 */
export function checkElementwiseAbi(exports: Pick<KernelExports, 'elementwiseAbi'>): void {
  const built = exports.elementwiseAbi();
  const expected = elementwiseAbiHash();
  if (built !== expected) {
    throw new Error(
      `wasm backend: the kernel module was generated from other op tables (fingerprint ${built}) than @scratchnet/core's ` +
        `(${expected}); rebuild @scratchnet/backend-wasm against this core`,
    );
  }
}

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** The name the backend reports (default 'wasm'). */
  name?: string;
  /** Instruction set: 'auto' (default) takes relaxed SIMD, then SIMD, then scalar, whichever the host validates. */
  isa?: IsaChoice;
  /** Threads, the calling one included (default: the number of cores). 1 runs without workers. */
  threads?: number;
  /** Upper limit of the wasm memory in MiB (default 4096, the wasm32 maximum). */
  maxMemoryMB?: number;
  /** Initial wasm memory in MiB (default 16). */
  initialMemoryMB?: number;
}

const PAGE = 65536;
let noticeGiven = false;

/** Number of logical cores of this host. */
export async function defaultThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof process === 'object' && typeof process.versions?.node === 'string') {
    const os = await nodeModule<typeof NodeOs>('os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return nav?.hardwareConcurrency ?? 1;
}

/**
 * Creates a WebAssembly backend: picks the best build the host validates, allocates its memory
 * (shared when SharedArrayBuffer is usable) and starts `threads − 1` workers. Where shared memory is
 * unavailable (a browser page that is not cross-origin isolated) it runs single-threaded and says so
 * once on the console.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const wanted = options.threads ?? (await defaultThreads());
  const isa: Isa = options.isa === undefined || options.isa === 'auto' ? await detectIsa() : options.isa;
  if (options.isa !== undefined && options.isa !== 'auto' && isa !== 'scalar') {
    const best = await detectIsa();
    const rank = { scalar: 0, simd: 1, 'relaxed-simd': 2 } as const;
    if (rank[best] < rank[isa]) throw new Error(`wasm backend: this host does not support the '${isa}' build (best: '${best}')`);
  }
  const shared = sharedMemoryAvailable();
  let reason: string | null = null;
  if (!shared) {
    reason = 'SharedArrayBuffer is unavailable (in a browser the page must be cross-origin isolated: COOP + COEP headers)';
    if (wanted > 1 && !noticeGiven) {
      noticeGiven = true;
      console.warn(`ScratchNet wasm backend: running single-threaded because ${reason}.`);
    }
  }
  const maxPages = Math.min(65536, Math.max(1, Math.floor(((options.maxMemoryMB ?? 4096) * 2 ** 20) / PAGE)));
  const initialPages = Math.min(maxPages, Math.max(1, Math.ceil(((options.initialMemoryMB ?? 16) * 2 ** 20) / PAGE)));
  const module = await loadModule(isa, shared);
  const memory = new WebAssembly.Memory({ initial: initialPages, maximum: maxPages, shared });
  const instance = await WebAssembly.instantiate(module, {
    env: { memory, abort: () => { throw new Error('wasm backend: kernel aborted'); } },
  });
  const exports = instance.exports as unknown as KernelExports;
  checkElementwiseAbi(exports);
  const rt = new Runtime(exports, memory, maxPages * PAGE, null);
  if (shared) {
    rt.pool = new ThreadPool(module, memory, KERNELS, rt.localKernels);
    await rt.pool.resize(Math.min(MAX_WORKERS + 1, Math.max(1, wanted)));
  }
  return new WasmBackend(options.name ?? 'wasm', rt, isa, reason);
}

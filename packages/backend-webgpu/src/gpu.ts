/**
 * Finding a WebGPU implementation: the browser's `navigator.gpu`, or in Node the `webgpu` package
 * (Dawn). Nothing here throws for a missing GPU; callers get `null` plus a reason.
 */

/** The result of looking for an adapter. */
export type AdapterResult =
  | { readonly adapter: GPUAdapter; readonly gpu: GPU; readonly source: 'navigator.gpu' | 'webgpu (Dawn for Node)' }
  | { readonly adapter: null; readonly reason: string };

/** Where dawn.node's GPU object is kept: it must stay reachable for the device's whole life (see the package README). */
const HOLD = Symbol.for('scratchnet.webgpu.dawn');

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

function browserGpu(): GPU | null {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu ?? null;
}

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/** Loads Dawn for Node once, installing its GPU* globals (GPUBufferUsage...) where they are missing. */
async function nodeGpu(): Promise<GPU | { error: string }> {
  const holder = globalThis as Record<symbol, GPU | undefined>;
  const held = holder[HOLD];
  if (held) return held;
  let mod: DawnModule;
  try {
    // A variable specifier keeps bundlers from pulling the Node-only package into browser builds.
    const name = 'webgpu';
    mod = (await import(/* @vite-ignore */ name)) as DawnModule;
  } catch (e) {
    return { error: `the 'webgpu' package (Dawn for Node) could not be loaded: ${e instanceof Error ? e.message : String(e)}` };
  }
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  const gpu = mod.create([]);
  holder[HOLD] = gpu;
  return gpu;
}

/**
 * Requests a high-performance adapter from the environment's WebGPU implementation.
 * Returns `{ adapter: null, reason }` instead of throwing when there is none.
 */
export async function requestAdapter(): Promise<AdapterResult> {
  let gpu = browserGpu();
  let source: 'navigator.gpu' | 'webgpu (Dawn for Node)' = 'navigator.gpu';
  if (!gpu) {
    if (!isNode()) return { adapter: null, reason: 'this browser has no WebGPU (navigator.gpu is undefined)' };
    const found = await nodeGpu();
    if ('error' in found) return { adapter: null, reason: found.error };
    gpu = found;
    source = 'webgpu (Dawn for Node)';
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { adapter: null, reason: `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!adapter) {
    const hint = source === 'navigator.gpu'
      ? 'the browser offers no WebGPU adapter (blocklisted GPU, or WebGPU disabled)'
      : 'Dawn found no adapter: no Vulkan driver (install Mesa >= 24 for a software one, and set VK_ICD_FILENAMES)';
    return { adapter: null, reason: hint };
  }
  return { adapter, gpu, source };
}

/**
 * Picks and loads one of the six kernel builds: {relaxed SIMD, SIMD, scalar} × {shared memory, private
 * memory}. Feature detection validates tiny hand-assembled modules with WebAssembly.validate; in Node 20
 * relaxed SIMD sits behind a V8 flag, which is switched on (before anything is compiled) when allowed.
 * The .wasm files are found next to the package's code with `new URL(…, import.meta.url)`, which Node
 * reads from disk and bundlers such as Vite turn into emitted assets.
 */
import type * as NodeFs from 'node:fs/promises';
import type * as NodeV8 from 'node:v8';
import { nodeModule } from './threads.js';

/** The instruction set of a build. */
export type Isa = 'relaxed-simd' | 'simd' | 'scalar';

/** Which build to load; 'auto' takes the best the host validates. */
export type IsaChoice = Isa | 'auto';

const isNode = typeof process === 'object' && typeof process.versions === 'object' && typeof process.versions.node === 'string';

// Each URL is spelled out literally so that bundlers can see and emit the file.
function buildUrl(isa: Isa, shared: boolean): URL {
  if (shared) {
    if (isa === 'relaxed-simd') return new URL('../wasm/relaxed-mt.wasm', import.meta.url);
    if (isa === 'simd') return new URL('../wasm/simd-mt.wasm', import.meta.url);
    return new URL('../wasm/scalar-mt.wasm', import.meta.url);
  }
  if (isa === 'relaxed-simd') return new URL('../wasm/relaxed.wasm', import.meta.url);
  if (isa === 'simd') return new URL('../wasm/simd.wasm', import.meta.url);
  return new URL('../wasm/scalar.wasm', import.meta.url);
}

/** A module with one function `() → v128` whose body is `body` (ends with the function's `end`). */
function probe(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b]; // no locals, body, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () → v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, code.length + 2, 0x01, code.length, ...code, // code section
  ]);
}

/** f32.const 1.0 then f32x4.splat. */
const SPLAT_ONE = [0x43, 0x00, 0x00, 0x80, 0x3f, 0xfd, 0x13];
const SIMD_PROBE = probe([...SPLAT_ONE, ...SPLAT_ONE, 0xfd, 0xe4, 0x01]); // f32x4.add
const RELAXED_PROBE = probe([...SPLAT_ONE, ...SPLAT_ONE, ...SPLAT_ONE, 0xfd, 0x85, 0x02]); // f32x4.relaxed_madd

let relaxedFlagTried = false;

/** Turns on Node 20's relaxed-SIMD flag once (Node 22+ and browsers validate relaxed SIMD without it). */
async function enableRelaxedInNode(): Promise<void> {
  if (relaxedFlagTried || !isNode) return;
  relaxedFlagTried = true;
  if (WebAssembly.validate(RELAXED_PROBE)) return;
  try {
    const v8 = await nodeModule<typeof NodeV8>('v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Not allowed here: the SIMD build is used instead.
  }
}

/** The best instruction set this host validates. */
export async function detectIsa(): Promise<Isa> {
  await enableRelaxedInNode();
  if (WebAssembly.validate(RELAXED_PROBE)) return 'relaxed-simd';
  if (WebAssembly.validate(SIMD_PROBE)) return 'simd';
  return 'scalar';
}

/** Whether shared memory (and so worker threads) is available: SharedArrayBuffer exists and is usable. */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return false;
  try {
    const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return m.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Fetches and compiles one build. */
export async function loadModule(isa: Isa, shared: boolean): Promise<WebAssembly.Module> {
  if (isa === 'relaxed-simd') await enableRelaxedInNode();
  const url = buildUrl(isa, shared);
  if (isNode && url.protocol === 'file:') {
    const fs = await nodeModule<typeof NodeFs>('fs/promises');
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await fs.readFile(url));
    } catch (e) {
      throw new Error(
        `wasm backend: cannot read ${url.pathname} (${e instanceof Error ? e.message : String(e)}); ` +
        'build the package first (pnpm --filter @scratchnet/backend-wasm build)',
      );
    }
    return WebAssembly.compile(bytes);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasm backend: cannot fetch ${url.href} (HTTP ${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

// jax-js's wasm device as its README sets it up: `init()` then `defaultDevice('wasm')`. Its relaxed-SIMD
// kernels (f32x4.relaxed_madd) need V8's --experimental-wasm-relaxed-simd on Node 20, switched on here
// before anything is compiled, the way ScratchNet's backend-wasm loader does it. One thread unless
// `threads` > 1, which installs a Web Worker shim (jax-js threads only where `Worker` exists).
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { installNavigator, installWebWorkers } from './web-worker-shim.mjs';

/** The probe jax-js itself validates to pick relaxed_madd: f32x4.relaxed_madd of three v128 params. */
const RELAXED_MADD = Uint8Array.from(
  '0061736d0100000001080160037b7b7b017b030201000a0d010b00200020012002fd85020b'.match(/../g),
  (h) => parseInt(h, 16),
);

/**
 * Starts jax-js on the wasm device.
 * @param {number} threads
 * @returns {Promise<{ jax: typeof import('@jax-js/jax'), info: Record<string, unknown> }>}
 */
export async function startJax(threads) {
  if (!WebAssembly.validate(RELAXED_MADD)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const relaxed = WebAssembly.validate(RELAXED_MADD);
  installNavigator(threads);
  if (threads > 1) installWebWorkers();
  const jax = await import('@jax-js/jax');
  const devices = await jax.init();
  if (!devices.includes('wasm')) throw new Error(`jax-js: no wasm device (got ${devices.join(', ')})`);
  jax.defaultDevice('wasm');
  // Its package.json is not among its exports: read it beside the resolved entry (dist/index.js).
  const manifest = new URL('../package.json', import.meta.resolve('@jax-js/jax'));
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  return { jax, info: { version, device: 'wasm', relaxedSimd: relaxed, threads: threads > 1 ? threads : 1 } };
}

/**
 * Registers every backend package of this repository, so layer tests run on each one that is
 * available here. Test-only: the layers package itself imports core alone.
 */
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import { isAvailable as webgpuAvailable, unavailableReason } from '@scratchnet/backend-webgpu';
import { listBackends } from '@scratchnet/core';

const gpu = await webgpuAvailable();
if (!gpu) {
  const reason = await unavailableReason();
  if (process.env.CI) throw new Error(`layers tests: WebGPU must be available in CI but is not: ${reason}`);
  console.warn(`layers tests: skipping backend 'webgpu' here: ${reason}`);
}

/** Registered and available backends to test on (engine-suite proxies excluded). */
export function testBackends(): string[] {
  return listBackends().filter((n) => !n.endsWith('-async-only') && (n !== 'webgpu' || gpu));
}

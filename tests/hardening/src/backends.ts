/**
 * Registers every backend package of this repository and says which of them run here. WebGPU needs an
 * adapter (Mesa's lavapipe in Node); without one it is skipped with a warning, except in CI where its
 * absence is an error.
 */
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import { isAvailable as webgpuAvailable, unavailableReason } from '@scratchnet/backend-webgpu';
import { listBackends } from '@scratchnet/core';

let gpu: boolean | undefined;

/** Whether WebGPU has an adapter here; in CI (env CI set) a missing adapter throws instead. */
export async function gpuAvailable(): Promise<boolean> {
  if (gpu === undefined) {
    gpu = await webgpuAvailable();
    if (!gpu) {
      const reason = await unavailableReason();
      if (process.env.CI) throw new Error(`hardening: WebGPU must be available in CI but is not: ${reason}`);
      console.warn(`hardening: skipping backend 'webgpu' here: ${reason}`);
    }
  }
  return gpu;
}

/** Registered backends that run here, in priority order (test proxies excluded). */
export async function availableBackends(): Promise<string[]> {
  const withGpu = await gpuAvailable();
  return listBackends().filter((n) => !n.endsWith('-async-only') && (n !== 'webgpu' || withGpu));
}

/**
 * Shared by the WebGPU tests: whether an adapter exists here. Without one the tests skip with the reason,
 * except under CI (env CI set), where a missing adapter means a broken install and must fail.
 */
import { it } from 'vitest';
import { unavailableReason } from '../src/index.js';

/** Null when WebGPU works here, else why not. */
export const missingAdapter: string | null = await unavailableReason();

/** True when the WebGPU tests should be registered; otherwise registers a skipped (or, under CI, failing) test saying why. */
export function gpuTestsEnabled(what: string): boolean {
  if (missingAdapter === null) return true;
  const message = `${what}: no WebGPU adapter here (${missingAdapter}). Install Mesa's lavapipe (see packages/backend-webgpu/README.md).`;
  if (process.env.CI) {
    it(`${what} needs a WebGPU adapter under CI`, () => {
      throw new Error(`${message} CI is set, so this fails instead of skipping.`);
    });
  } else {
    console.warn(`[backend-webgpu] skipping ${message}`);
    it.skip(`${what} (skipped: ${message})`, () => undefined);
  }
  return false;
}

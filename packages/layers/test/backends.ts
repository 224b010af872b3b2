/**
 * Registers every backend package this repository has built, so layer tests run on each.
 * Test-only: the layers package itself imports core alone.
 */
import '@scratchnet/backend-js';
import { listBackends } from '@scratchnet/core';

/** Registered backends to test on (engine-suite proxies excluded). */
export function testBackends(): string[] {
  return listBackends().filter((n) => !n.endsWith('-async-only'));
}

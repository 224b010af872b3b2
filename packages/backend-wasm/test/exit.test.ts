/**
 * A plain Node script that uses the built package (dist/ and wasm/, as a user gets it) with no
 * configuration: it must pick the backend, run threaded kernels, and then exit by itself — the worker
 * threads must not keep the process alive.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));

const SCRIPT = `
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-wasm';
await sn.ready();
const a = sn.randomNormal([300, 200], { seed: 1 });
const b = sn.randomNormal([200, 250], { seed: 2 });
const c = sn.matmul(a, b).relu().sum();
const x = sn.randomNormal([8, 3, 16, 16], { seed: 3 });
const w = sn.randomNormal([4, 3, 3, 3], { seed: 4 });
const y = sn.conv2d(x, w, { padding: 'same' }).mean();
console.log(JSON.stringify({ backend: sn.getBackend().name, info: sn.getBackend().info(), c: c.dataSync()[0], y: y.dataSync()[0] }));
`;

it('a Node script using the package exits by itself (workers are unref’d and idle)', () => {
  expect(existsSync(new URL('../dist/index.js', import.meta.url)), 'build the package first').toBe(true);
  // The hang guard is generous and not a performance assertion: a leaked worker would block forever.
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });
  expect(run.error, String(run.error)).toBeUndefined();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const out = JSON.parse(run.stdout) as { backend: string; info: { threads: number; sharedMemory: boolean; isa: string }; c: number; y: number };
  expect(out.backend).toBe('wasm');
  expect(out.info.sharedMemory).toBe(true);
  expect(out.info.threads).toBeGreaterThanOrEqual(1);
  expect(Number.isFinite(out.c) && Number.isFinite(out.y)).toBe(true);
}, 70_000);

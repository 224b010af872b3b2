// The matmul shapes of the default GPT training step (issue 13), standalone through sn.matmul on the
// wasm backend, on 1 and 2 threads: the forward products with K = 128..512, their gradient forms with a
// transposed operand (aᵀ·b contracting over the 2048 rows, a·bᵀ), and the batched attention products.
// Each shape is timed ROUNDS times round-robin with the others (so machine load hits every shape alike);
// it prints the best and median wall-clock GFLOPS and the best GFLOPS per CPU-second of the process
// (which time slices taken by other processes do not inflate; on 2 threads it is per CPU-second of both).
// Run after a build: node bench/gemm-shapes.mjs [--threads 1,2] [--only name-substring]; ROUNDS=.
import { loadavg } from 'node:os';
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
};
const THREADS = arg('--threads', '1,2').split(',').map(Number);
const ONLY = arg('--only', '');
const ROUNDS = Number(process.env.ROUNDS ?? 7);

/** [name, batch, m, k, n, transposeA, transposeB]: C[batch, m, n] = op(A)·op(B). */
const SHAPES = [
  ['2048x128 . 128x512', 1, 2048, 128, 512, false, false],
  ['2048x512 . 512x128', 1, 2048, 512, 128, false, false],
  ['2048x128 . 128x384', 1, 2048, 128, 384, false, false],
  ['2048x384 . 384x128', 1, 2048, 384, 128, false, false],
  ['2048x128 . 128x128', 1, 2048, 128, 128, false, false],
  ['(2048x128)T . 2048x512', 1, 128, 2048, 512, true, false],
  ['(2048x512)T . 2048x128', 1, 512, 2048, 128, true, false],
  ['(2048x128)T . 2048x384', 1, 128, 2048, 384, true, false],
  ['(2048x128)T . 2048x128', 1, 128, 2048, 128, true, false],
  ['2048x512 . (128x512)T', 1, 2048, 512, 128, false, true],
  ['2048x128 . (512x128)T', 1, 2048, 128, 512, false, true],
  ['2048x384 . (128x384)T', 1, 2048, 384, 128, false, true],
  ['2048x128 . (128x128)T', 1, 2048, 128, 128, false, true],
  ['128 x 64x32 . (64x32)T', 128, 64, 32, 64, false, true],
  ['128 x 64x64 . 64x32', 128, 64, 64, 32, false, false],
  ['128 x 64x64 . (64x32)T', 128, 64, 32, 64, false, true],
  ['128 x (64x64)T . 64x32', 128, 64, 64, 32, true, false],
  ['128 x 64x32 . 32x64', 128, 64, 32, 64, false, false],
  ['128 x (64x64)T . 64x64', 128, 64, 64, 64, true, false],
  ['128 x 64x64 . (32x64)T', 128, 64, 64, 32, false, true],
].filter((s) => s[0].includes(ONLY));

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1).padStart(6);

const wasm = await createWasmBackend({ name: 'wasm-shapes' });
sn.registerBackend('wasm-shapes', () => wasm, { priority: -1 });
await sn.setBackend('wasm-shapes');
console.log(`gemm shapes of the GPT step — ${wasm.info().isa}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ROUNDS} rounds`);

const cases = SHAPES.map(([name, batch, m, k, n, tA, tB]) => {
  const lead = batch > 1 ? [batch] : [];
  const a = sn.randomNormal([...lead, ...(tA ? [k, m] : [m, k])], { seed: 1 });
  const b = sn.randomNormal([...lead, ...(tB ? [n, k] : [k, n])], { seed: 2 });
  const run = () => sn.matmul(a, b, { transposeA: tA, transposeB: tB }).dispose();
  return { name, flops: 2 * batch * m * n * k, run };
});

for (const threads of THREADS) {
  await wasm.setThreads(threads);
  const wall = cases.map(() => []);
  const cpu = cases.map(() => []);
  for (const c of cases) for (let i = 0; i < 3; i++) c.run();
  for (let r = 0; r < ROUNDS; r++) {
    cases.forEach((c, i) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      c.run();
      const t = performance.now() - t0;
      const u = process.cpuUsage(c0);
      wall[i].push(t);
      cpu[i].push((u.user + u.system) / 1000);
    });
  }
  console.log(`\n${threads} thread(s): GFLOPS  best  median  cpu-best`);
  cases.forEach((c, i) => {
    const g = (ms) => c.flops / ms / 1e6;
    console.log(`  ${c.name.padEnd(26)} ${fmt(g(Math.min(...wall[i])))} ${fmt(g(med(wall[i])))} ${fmt(g(Math.min(...cpu[i])))}`);
  });
}
console.log(`\nload average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
wasm.shutdown();
process.exit(0);

// The matmul shapes of the default GPT training step (issue 13), standalone through sn.matmul on the
// wasm backend, on 1 and 2 threads: the forward products with K = 128..512, their gradient forms with a
// transposed operand (aᵀ·b contracting over the 2048 rows, a·bᵀ), and the batched attention products.
// Each shape is timed ROUNDS times round-robin with the others (so machine load hits every shape alike);
// it prints the best and median wall-clock GFLOPS and the best GFLOPS per CPU-second of the process
// (which time slices taken by other processes do not inflate; on 2 threads it is per CPU-second of both).
// `--against DIR` also loads the backend built in DIR (DIR/dist/index.js, e.g. an earlier commit's
// src and wasm compiled there) and times both round-robin in this process: the A/B of host and kernel.
// Run after a build: node bench/gemm-shapes.mjs [--threads 1,2] [--only name-substring] [--against DIR]; ROUNDS=.
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

const AGAINST = arg('--against', '');
const contenders = [{ label: 'this build', create: createWasmBackend }];
if (AGAINST) {
  const { pathToFileURL } = await import('node:url');
  const other = await import(pathToFileURL(`${AGAINST}/dist/index.js`).href);
  contenders.unshift({ label: AGAINST, create: other.createWasmBackend });
}
for (const [i, c] of contenders.entries()) {
  c.backend = await c.create({ name: `wasm-shapes-${i}` });
  c.name = `wasm-shapes-${i}`;
  sn.registerBackend(c.name, () => c.backend, { priority: -1 });
}
console.log(`gemm shapes of the GPT step — ${contenders[0].backend.info().isa}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ROUNDS} rounds`);
if (AGAINST) console.log(`A = ${contenders[0].label}, B = ${contenders[1].label}`);

/** Per contender, the shapes' operands on its backend and a call that runs one product. */
for (const c of contenders) {
  await sn.setBackend(c.name);
  c.cases = SHAPES.map(([name, batch, m, k, n, tA, tB]) => {
    const lead = batch > 1 ? [batch] : [];
    const a = sn.randomNormal([...lead, ...(tA ? [k, m] : [m, k])], { seed: 1 });
    const b = sn.randomNormal([...lead, ...(tB ? [n, k] : [k, n])], { seed: 2 });
    const run = () => sn.matmul(a, b, { transposeA: tA, transposeB: tB }).dispose();
    return { name, flops: 2 * batch * m * n * k, run };
  });
}

for (const threads of THREADS) {
  for (const c of contenders) await c.backend.setThreads(threads);
  const wall = contenders.map(() => SHAPES.map(() => []));
  const cpu = contenders.map(() => SHAPES.map(() => []));
  for (const c of contenders) {
    await sn.setBackend(c.name);
    for (const x of c.cases) for (let i = 0; i < 3; i++) x.run();
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < SHAPES.length; i++) {
      for (const [ci, c] of contenders.entries()) {
        await sn.setBackend(c.name);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        c.cases[i].run();
        const t = performance.now() - t0;
        const u = process.cpuUsage(c0);
        wall[ci][i].push(t);
        cpu[ci][i].push((u.user + u.system) / 1000);
      }
    }
  }
  const header = AGAINST ? 'A: best  median  cpu-best | B: best  median  cpu-best | A÷B CPU time (>1: B faster)' : 'best  median  cpu-best';
  console.log(`\n${threads} thread(s): GFLOPS  ${header}`);
  SHAPES.forEach(([name], i) => {
    const flops = contenders[0].cases[i].flops;
    const g = (ms) => flops / ms / 1e6;
    const cols = contenders.map((_, ci) => `${fmt(g(Math.min(...wall[ci][i])))} ${fmt(g(med(wall[ci][i])))} ${fmt(g(Math.min(...cpu[ci][i])))}`);
    const ratio = AGAINST ? `   ${(Math.min(...cpu[0][i]) / Math.min(...cpu[1][i])).toFixed(3)}` : '';
    console.log(`  ${name.padEnd(26)} ${cols.join('   | ')}${ratio}`);
  });
}
console.log(`\nload average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const c of contenders) c.backend.shutdown();
process.exit(0);

// One MNIST training step, ScratchNet against jax-js, in the same run: the demo's networks (the MLP
// 784-128-10 and the seed's CNN, built by the app's own buildModel) trained through @scratchnet/layers
// (Sequential, CrossEntropyLoss, Adam 1e-3) on ScratchNet's wasm backend at 1 and all threads, against
// jax-js's wasm device (relaxed SIMD) running the same networks, loss and Adam, eagerly and under
// `jit`, in a process of its own (tests/peer-bench). Batch 64 of MNIST-shaped inputs; each timed step
// reads the loss back. ScratchNet runs each step eagerly and through `sn.compile` (recorded once, then
// replayed fused where the backend can; `--explain` prints the MLP's compiled program). Prints ms per step and samples/s as median (min–max), the ratio ScratchNet ÷
// best jax-js figure, and a WARNING where jax-js runs below half of its standalone figure.
// Run with `pnpm bench` after a build; `--quick` takes fewer repeats, `--mlp` skips the CNN.
import * as sn from '@scratchnet/core';
import { createWasmBackend, defaultThreads } from '@scratchnet/backend-wasm';
import { fmt, row, spread } from '@scratchnet/peer-bench/format';
import { STANDALONE_MNIST_SAMPLES_PER_S, bestRates, healthWarning } from '@scratchnet/peer-bench/health';
import { runPeer } from '@scratchnet/peer-bench/run-peer';
import { measure, rate } from '@scratchnet/peer-bench/timing';
import { mnistTrainStep } from './train-step.mjs';

const BATCH = 64;
const quick = process.argv.includes('--quick');
const MODELS = process.argv.includes('--mlp') ? ['mlp'] : ['mlp', 'cnn'];
// 15 warm-up steps for every contender: V8 tiers up layers' code (and a compiled step's replay code, which
// first runs at the third call, after one call that makes the optimizer's state and one that records).
const SETTINGS = { warmup: 15, repeats: quick ? 8 : 20 };
const started = performance.now();

const cores = await defaultThreads();
const wasm = await createWasmBackend({ name: 'wasm-bench' });
sn.registerBackend('wasm-bench', () => wasm, { priority: -1 });
await sn.setBackend('wasm-bench');
console.log(`MNIST training step, batch ${BATCH}, Adam 1e-3: ScratchNet (@scratchnet/layers on backend-wasm, ${wasm.info().isa}) vs jax-js — Node ${process.version}${quick ? ' — quick run' : ''}\n`);

/** ms per step of `kind` trained through layers on the wasm backend at `threads`, eagerly or through `sn.compile`. */
async function scratchnetStep(kind, threads, compiled) {
  await wasm.setThreads(threads);
  const { run, fn, dispose } = mnistTrainStep(kind, { compiled, batch: BATCH });
  const step = () => {
    const value = run();
    value.dataSync();
    value.dispose();
  };
  const ms = await measure(step, SETTINGS);
  if (compiled && threads === 1 && process.argv.includes('--explain')) console.log(`${fn.explain()}\n`);
  dispose();
  return ms;
}

const ours = {};
const compiledRuns = {};
for (const kind of MODELS) {
  ours[kind] = { 1: await scratchnetStep(kind, 1, false), [cores]: await scratchnetStep(kind, cores, false) };
  compiledRuns[kind] = { 1: await scratchnetStep(kind, 1, true), [cores]: await scratchnetStep(kind, cores, true) };
}
const jax = {};
for (const threads of [1, cores]) {
  jax[threads] = await runPeer('jax-js-mnist', ['--threads', String(threads), '--steps', MODELS.join(','), '--warmup', String(SETTINGS.warmup), '--repeats', String(SETTINGS.repeats)]);
  const r = jax[threads];
  console.log(`jax-js ${r.version ?? ''}, ${threads} thread(s): ${r.error ? `FAILED: ${r.error}` : `wasm device, relaxed SIMD ${r.relaxedSimd}, ${r.threads === 1 ? 'no workers' : `${r.threads} workers`}`}`);
}

const perSecond = (t) => (t ? rate(t, BATCH * 1000) : undefined);
const warnings = [];
const health = [];
console.log(`\nms per step: median (min–max) of ${SETTINGS.repeats} after ${SETTINGS.warmup} warm-up steps; samples/s from the median; ratio = jax-js best ÷ ScratchNet eager, ratio cmp = jax-js best ÷ ScratchNet compiled (>1: ScratchNet faster); cmp/eager = eager ÷ compiled step time; cmp/CPU (1 thread) = ratio cmp from each one's least CPU time per step, which a shared machine does not tilt`);
const W = [5, 4, 22, 22, 22, 22, 10, 10, 10, 7, 9, 9, 9];
row(['model', 'thr', 'ScratchNet layers', 'SN compiled', 'jax-js eager', 'jax-js jit', 'SN cmp s/s', 'jax smp/s', 'best jax', 'ratio', 'ratio cmp', 'cmp/eager', 'cmp/CPU'], W);
for (const kind of MODELS) {
  for (const threads of [1, cores]) {
    const mine = ours[kind][threads];
    const peer = jax[threads].steps?.find((s) => s.model === kind);
    const [bestMode, best] = ['eager', 'jit'].map((m) => [m, peer?.[m]]).reduce((a, b) => (b[1] && !(b[1].median >= a[1]?.median) ? b : a), ['none', undefined]);
    const comp = compiledRuns[kind][threads];
    row([kind, threads, spread(mine, 2), spread(comp, 2), spread(peer?.eager, 2), spread(peer?.jit, 2), fmt(perSecond(comp).median, 0), fmt(perSecond(best)?.median, 0), bestMode,
      `${fmt(best ? best.median / mine.median : NaN, 2)}×`, `${fmt(best ? best.median / comp.median : NaN, 2)}×`, `${fmt(mine.median / comp.median, 2)}×`,
      threads === 1 ? `${fmt(Math.min(peer?.eager?.cpuMin ?? NaN, peer?.jit?.cpuMin ?? NaN) / comp.cpuMin, 2)}×` : ''], W);
    const standalone = STANDALONE_MNIST_SAMPLES_PER_S['jax-js jit']?.[kind];
    if (threads === 1 && standalone !== undefined) {
      const best = bestRates(peer?.jit, BATCH * 1000, 1);
      health.push(`jax-js jit ${kind} 1t: best ${fmt(best.wall, 0)} samples/s wall-clock, ${fmt(best.cpu, 0)} per CPU-second; standalone ${standalone} (${fmt((100 * Math.max(best.wall, best.cpu)) / standalone, 0)}%)`);
      const w = healthWarning(`jax-js jit ${kind} step`, best, standalone, 'samples/s');
      if (w) warnings.push(w);
    }
  }
}
console.log('\npeer health (best wall-clock and per-CPU-second figures of this run vs the peer standalone, tests/peer-bench/health.mjs)');
for (const line of health) console.log(line);
if (warnings.length === 0) console.log('jax-js at or above half of its standalone figures');
for (const w of warnings) console.log(w);
console.log(`\nbench took ${fmt((performance.now() - started) / 1000, 0)} s`);
wasm.shutdown();
process.exit(0);

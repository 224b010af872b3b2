// Where the MNIST CNN training step's time goes on backend-wasm at 1 thread, eager against compiled
// (issue 14's "compiled ≥ 1.3× eager" target): least CPU ms per step over repeats for each mode, then
// every backend method call of a few whole steps timed by kernel, for both modes side by side.
// Run after a build: `node apps/mnist-demo/bench/cnn-profile.mjs [--threads N] [--model cnn|mlp|wide]`.
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import { fmt, row } from '@scratchnet/peer-bench/format';
import { mnistTrainStep } from './train-step.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const BATCH = 64;
const THREADS = Number(arg('--threads', '1'));
const KIND = arg('--model', 'cnn');
const REPEATS = Number(arg('--repeats', '40'));
const KERNEL_STEPS = 10;

const wasm = await createWasmBackend({ name: 'wasm-profile' });
sn.registerBackend('wasm-profile', () => wasm, { priority: -1 });
await sn.setBackend('wasm-profile');
await wasm.setThreads(THREADS);

/** A training step of `KIND` for one mode: the step (loss read back) and a disposer. */
function makeStep(compiled) {
  const { run, fn, dispose } = mnistTrainStep(KIND, { compiled, batch: BATCH });
  const step = () => {
    const v = run();
    v.dataSync();
    v.dispose();
  };
  return { step, dispose, fn };
}

/** Least and median CPU ms per step over REPEATS after 15 warm-up steps. */
function cpuTimes(step) {
  for (let i = 0; i < 15; i++) step();
  const ms = [];
  for (let i = 0; i < REPEATS; i++) {
    const c0 = process.cpuUsage();
    step();
    const c = process.cpuUsage(c0);
    ms.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  return { min: ms[0], median: ms[Math.floor(ms.length / 2)] };
}

// The backend's kernel methods: those the contract names (class methods live on the prototype).
const KERNELS = ['write', 'dispose', 'unary', 'unaryGrad', 'binary', 'where', 'cast', 'reduce', 'matmul', 'conv2d', 'conv2dBackInput', 'conv2dBackFilter', 'pool2d', 'pool2dBack', 'copy', 'pad', 'concat', 'gather', 'scatterAdd', 'argsort', 'fusedElementwise', 'layerNorm', 'layerNormGrad', 'matmulEpilogue', 'conv2dEpilogue', 'pool2dEpilogue', 'reduceEpilogue', 'reducePrologue', 'fusedElementwiseSegments'];
const kernelNames = KERNELS.filter((k) => typeof wasm[k] === 'function');

/** Wall ms per step inside each backend method over KERNEL_STEPS steps. */
function perKernel(step) {
  step();
  const table = new Map();
  const originals = kernelNames.map((k) => [k, wasm[k]]);
  for (const [k, f] of originals) {
    wasm[k] = (...a) => {
      const t0 = performance.now();
      const r = f.apply(wasm, a);
      const key = typeof a[0] === 'string' ? `${k} ${a[0]}` : k === 'fusedElementwise' && process.argv.includes('--by-program') ? `fused ${a[0].instructions.length} [${a[0].outShape.join(',')}]` : k;
      const e = table.get(key) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += performance.now() - t0;
      table.set(key, e);
      return r;
    };
  }
  const t0 = performance.now();
  for (let i = 0; i < KERNEL_STEPS; i++) step();
  const wall = (performance.now() - t0) / KERNEL_STEPS;
  for (const [k, f] of originals) wasm[k] = f;
  for (const e of table.values()) {
    e.calls /= KERNEL_STEPS;
    e.ms /= KERNEL_STEPS;
  }
  return { table, wall };
}

const eager = makeStep(false);
const compiled = makeStep(true);
const te = cpuTimes(eager.step);
const tc = cpuTimes(compiled.step);
console.log(`MNIST ${KIND} step, batch ${BATCH}, Adam, backend-wasm (${wasm.info().isa}) at ${THREADS} thread(s): least (median) CPU ms per step over ${REPEATS}`);
console.log(`eager ${fmt(te.min, 2)} (${fmt(te.median, 2)}), compiled ${fmt(tc.min, 2)} (${fmt(tc.median, 2)}): compiled ÷ eager speed-up ${fmt(te.min / tc.min, 2)}× by least, ${fmt(te.median / tc.median, 2)}× by median\n`);
const ke = perKernel(eager.step);
const kc = perKernel(compiled.step);
const keys = [...new Set([...ke.table.keys(), ...kc.table.keys()])];
const rows = keys.map((k) => ({ k, e: ke.table.get(k) ?? { calls: 0, ms: 0 }, c: kc.table.get(k) ?? { calls: 0, ms: 0 } })).sort((a, b) => Math.max(b.e.ms, b.c.ms) - Math.max(a.e.ms, a.c.ms));
const W = [30, 12, 10, 12, 10];
row(['backend method (op)', 'eager calls', 'eager ms', 'compiled calls', 'compiled ms'], W);
for (const r of rows) row([r.k.padEnd(W[0]), fmt(r.e.calls, 0), fmt(r.e.ms, 3), fmt(r.c.calls, 0), fmt(r.c.ms, 3)], W);
const sum = (t) => [...t.values()].reduce((n, e) => n + e.ms, 0);
console.log(`\nwall per step: eager ${fmt(ke.wall, 2)} ms (${fmt(sum(ke.table), 2)} inside backend methods), compiled ${fmt(kc.wall, 2)} ms (${fmt(sum(kc.table), 2)} inside)`);
if (process.argv.includes('--explain')) console.log(`\n${compiled.fn.explain()}`);
eager.dispose();
compiled.dispose();

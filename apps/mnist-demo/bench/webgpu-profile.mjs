// Where a WebGPU training step's GPU time goes, dispatch by dispatch: records one step's dispatches
// (eager and `compile`d MNIST CNN, batch 64, Adam), then runs each recorded dispatch again on its own,
// REPS times in one submission, and waits, so that its wall time is the device's time for it (on
// lavapipe: the CPU threads running the shader). Prints the time per kernel key summed over the step.
// Bench-only: it reaches the backend's runtime through an internal field. Run after a build:
// `node apps/mnist-demo/bench/webgpu-profile.mjs [--model cnn|mlp] [--reps 5]`.
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
import * as sn from '@scratchnet/core';
import { isAvailable, unavailableReason } from '@scratchnet/backend-webgpu';
import { fmt, row } from '@scratchnet/peer-bench/format';
import { mnistTrainStep } from './train-step.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const KIND = arg('--model', 'cnn');
const REPS = Number(arg('--reps', '5'));
const BATCH = 64;
const FULL_KEYS = process.argv.includes('--full-keys');
if (!(await isAvailable())) {
  console.log(`webgpu profile skipped: ${await unavailableReason()}`);
  process.exit(0);
}
await sn.setBackend('webgpu');
const backend = sn.getBackend();
const rt = backend.rt;

function makeStep(compiled) {
  const { run } = mnistTrainStep(KIND, { compiled, batch: BATCH });
  return async () => {
    const v = run();
    await v.data();
    v.dispose();
  };
}

/** The dispatches of one step, each run alone: ms per kernel key. */
async function profile(step) {
  for (let i = 0; i < 3; i++) await step();
  const recorded = [];
  const dispatch = rt.dispatch;
  rt.dispatch = function (program, buffers, uniforms, groups) {
    recorded.push({ program, buffers: [...buffers], uniforms: uniforms.slice(0), groups });
    return dispatch.call(this, program, buffers, uniforms, groups);
  };
  await step();
  rt.dispatch = dispatch;
  await backend.sync?.();
  const perKey = new Map();
  let total = 0;
  for (const d of recorded) {
    // Warm the pipeline and caches, then time REPS copies in one submission.
    dispatch.call(rt, d.program, d.buffers, d.uniforms, d.groups);
    await rt.sync();
    // Process CPU time (lavapipe's shader threads run in this process): steadier than wall on a busy machine.
    const c0 = process.cpuUsage();
    for (let r = 0; r < REPS; r++) dispatch.call(rt, d.program, d.buffers, d.uniforms, d.groups);
    await rt.sync();
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000 / REPS;
    const key = FULL_KEYS ? `${d.program.key.slice(0, 60)} ${d.groups.join('x')}` : d.program.key.split('|')[0];
    const e = perKey.get(key) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += ms;
    perKey.set(key, e);
    total += ms;
  }
  return { perKey, total, dispatches: recorded.length };
}

// An empty-ish dispatch's cost: the floor every dispatch pays on this device.
const eager = await profile(makeStep(false));
const compiled = await profile(makeStep(true));
console.log(`WebGPU ${KIND} step, batch ${BATCH}, Adam, on ${backend.info().adapter ?? 'webgpu'}: each dispatch of one step run alone (${REPS} per submission), process CPU ms summed per kernel`);
const keys = [...new Set([...eager.perKey.keys(), ...compiled.perKey.keys()])];
const rows = keys.map((k) => ({ k, e: eager.perKey.get(k) ?? { calls: 0, ms: 0 }, c: compiled.perKey.get(k) ?? { calls: 0, ms: 0 } })).sort((a, b) => Math.max(b.e.ms, b.c.ms) - Math.max(a.e.ms, a.c.ms));
const W = [FULL_KEYS ? 72 : 34, 12, 10, 14, 12];
row(['kernel', 'eager calls', 'eager ms', 'compiled calls', 'compiled ms'], W);
for (const r of rows) row([r.k.slice(0, W[0]).padEnd(W[0]), fmt(r.e.calls, 0), fmt(r.e.ms, 2), fmt(r.c.calls, 0), fmt(r.c.ms, 2)], W);
console.log(`\nsum of dispatches run alone: eager ${fmt(eager.total, 1)} ms over ${eager.dispatches}, compiled ${fmt(compiled.total, 1)} ms over ${compiled.dispatches}`);

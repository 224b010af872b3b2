// One training step on ScratchNet's backend-webgpu, eager against `compile`d: the demo's MNIST CNN
// (buildModel('cnn'), batch 64, CrossEntropyLoss, Adam 1e-3) and, with `--gpt`, the default GPT of
// @scratchnet/layers (peer-bench's GPT_SPEC, dropout 0, batch 32 × 64 tokens). Per step it prints what
// the backend's always-on counters (`info()`) saw: kernel dispatches, queue submits, command encoders,
// buffers created, bind groups created (and cache hits), writeBuffer calls (and uniform blocks found
// already on the device), with the host milliseconds spent in those calls; the milliseconds the host
// takes to record the step (the call, before the read waits for the GPU), and the step's wall and
// process CPU milliseconds (lavapipe's threads included). On Mesa's lavapipe only ratios mean anything.
// Run with `pnpm --filter mnist-demo bench:webgpu` after a build; `--quick` takes fewer steps,
// `--warmup=N` sets the warm-up steps.
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
import * as sn from '@scratchnet/core';
import { isAvailable, unavailableReason } from '@scratchnet/backend-webgpu';
import { fmt, row } from '@scratchnet/peer-bench/format';
import { GPT_SPEC as S } from '@scratchnet/peer-bench/gpt-spec';
import { trainParts } from './train-step.mjs';

const quick = process.argv.includes('--quick');
const withGpt = process.argv.includes('--gpt');
const BATCH = 64;
/** `--warmup=N` overrides the warm-up steps of every model (caches and the pool settle over the first steps). */
const warmupArg = process.argv.find((a) => a.startsWith('--warmup='));
const WARMUP = warmupArg ? Number(warmupArg.slice('--warmup='.length)) : undefined;

if (!(await isAvailable())) {
  console.log(`webgpu step bench skipped: ${await unavailableReason()}`);
  process.exit(0);
}
await sn.setBackend('webgpu');
const backend = sn.getBackend();
const info0 = backend.info();
console.log(`Training step on ScratchNet backend-webgpu (${info0.vendor} ${info0.architecture} ${info0.description}), eager vs compile — Node ${process.version}\n`);

const COUNTS = ['dispatches', 'submits', 'encoders', 'bufferCreates', 'bindGroups', 'bindGroupHits', 'writeBuffers', 'uniformHits'];
const TIMES = ['dispatchesMs', 'submitsMs', 'bindGroupsMs', 'writeBuffersMs', 'bufferCreatesMs'];

/** The CNN: its training step (`body(x, y)` queues one step and returns the loss) and one batch. */
function cnnCase() {
  const p = trainParts('cnn', { batch: BATCH });
  return { name: 'MNIST CNN, batch 64', body: p.step, args: [p.x, p.y], free: p.dispose };
}

/** The default GPT with the loss averaged over every position. */
function gptCase() {
  const p = trainParts('gpt');
  return { name: `default GPT, ${S.batch} × ${S.context} tokens`, body: p.step, args: [p.x, p.y], free: p.dispose };
}

/** Counter deltas and times per step of `steps` steps after `warmup`, each step's loss read back. */
async function measure(c, compiled, { warmup, steps }) {
  const fn = compiled ? sn.compile(c.body, { name: c.name }) : c.body;
  let hostMs = 0;
  const one = async () => {
    const t0 = performance.now();
    const v = sn.tidy(() => fn(...c.args));
    hostMs += performance.now() - t0;
    await v.data();
    v.dispose();
  };
  for (let i = 0; i < warmup; i++) await one();
  const before = backend.info();
  hostMs = 0;
  const walls = [];
  const cpus = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await one();
    const cu = process.cpuUsage(c0);
    walls.push(performance.now() - t0);
    cpus.push((cu.user + cu.system) / 1000);
  }
  const after = backend.info();
  const report = compiled ? fn.reports()[0] : undefined;
  if (compiled) fn.dispose();
  const per = {};
  for (const k of [...COUNTS, ...TIMES]) per[k] = ((after[k] ?? 0) - (before[k] ?? 0)) / steps;
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { ...per, report, host: hostMs / steps, wall: median(walls), wallMin: Math.min(...walls), cpu: median(cpus), cpuMin: Math.min(...cpus) };
}

const W = [9, 6, 6, 6, 7, 7, 7, 7, 7, 26, 9, 9, 9, 9, 9];
for (const make of withGpt ? [cnnCase, gptCase] : [cnnCase]) {
  const c = make();
  const settings = make === gptCase ? { warmup: WARMUP ?? 1, steps: quick ? 1 : 2 } : { warmup: WARMUP ?? 2, steps: quick ? 4 : 10 };
  const eager = await measure(c, false, settings);
  const comp = await measure(c, true, settings);
  console.log(`${c.name}: per step, ${settings.steps} steps after ${settings.warmup} warm-up (counts averaged; ms as median, min)`);
  row(['mode', 'disp', 'subm', 'enc', 'bufNew', 'bgNew', 'bgHit', 'write', 'uniHit', 'host ms disp/subm/bg/write', 'record ms', 'wall ms', 'min', 'cpu ms', 'min'], W);
  for (const [mode, r] of [['eager', eager], ['compiled', comp]]) {
    row([mode, fmt(r.dispatches, 0), fmt(r.submits, 1), fmt(r.encoders, 1), fmt(r.bufferCreates, 1), fmt(r.bindGroups, 0), fmt(r.bindGroupHits, 0), fmt(r.writeBuffers, 0), fmt(r.uniformHits, 0),
      [r.dispatchesMs, r.submitsMs, r.bindGroupsMs, r.writeBuffersMs].map((v) => fmt(v, 1)).join('/'), fmt(r.host, 1), fmt(r.wall, 1), fmt(r.wallMin, 1), fmt(r.cpu, 1), fmt(r.cpuMin, 1)], W);
  }
  const r = comp.report;
  if (r) console.log(`compile's report: ${r.kernelsRecorded} kernels recorded, ${r.deadKernels} dead, ${r.kernelsFused} launches after fusion (${r.fusedGroups} fused groups holding ${r.fusedKernels} kernels), ${r.hostNodes} host nodes`);
  console.log(`compiled ÷ eager: dispatches ${fmt(comp.dispatches / eager.dispatches, 2)}×, submits ${fmt(comp.submits / eager.submits, 2)}×; speed-up (eager ÷ compiled) wall ${fmt(eager.wall / comp.wall, 2)}×, min wall ${fmt(eager.wallMin / comp.wallMin, 2)}×, min cpu ${fmt(eager.cpuMin / comp.cpuMin, 2)}×\n`);
  c.free();
}
backend.shutdown?.();
process.exit(0);

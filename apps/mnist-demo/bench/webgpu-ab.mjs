// The MNIST CNN training step on backend-webgpu, eager against `compile`d, steps interleaved (eager,
// compiled, eager, ...) so that whatever else loads the machine hits both alike: wall and process CPU
// ms per step (lavapipe's shader threads run in this process), least and median over ROUNDS rounds,
// and the speed-up eager ÷ compiled at each. Run after a build:
// `node apps/mnist-demo/bench/webgpu-ab.mjs [--rounds 40] [--model cnn|mlp]`.
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
import * as sn from '@scratchnet/core';
import { isAvailable, unavailableReason } from '@scratchnet/backend-webgpu';
import { fmt } from '@scratchnet/peer-bench/format';
import { mnistTrainStep } from './train-step.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg('--rounds', '40'));
const KIND = arg('--model', 'cnn');
if (!(await isAvailable())) {
  console.log(`webgpu A/B skipped: ${await unavailableReason()}`);
  process.exit(0);
}
await sn.setBackend('webgpu');
const sides = { eager: mnistTrainStep(KIND, { compiled: false }), compiled: mnistTrainStep(KIND, { compiled: true }) };
const times = { eager: { wall: [], cpu: [] }, compiled: { wall: [], cpu: [] } };

/** One step of `side`, its loss read back; records wall and CPU ms when `keep`. */
async function step(side, keep) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = sides[side].run();
  await v.data();
  v.dispose();
  if (!keep) return;
  const c = process.cpuUsage(c0);
  times[side].wall.push(performance.now() - t0);
  times[side].cpu.push((c.user + c.system) / 1000);
}

for (let i = 0; i < 5; i++) for (const side of ['eager', 'compiled']) await step(side, false);
for (let r = 0; r < ROUNDS; r++) for (const side of r % 2 ? ['compiled', 'eager'] : ['eager', 'compiled']) await step(side, true);
const least = (xs) => Math.min(...xs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`MNIST ${KIND} step on webgpu (${JSON.stringify(sn.getBackend().info().adapter ?? 'adapter')}), batch 64, Adam: ${ROUNDS} interleaved rounds after 5 warm-up`);
for (const m of ['wall', 'cpu']) {
  const e = times.eager[m];
  const c = times.compiled[m];
  console.log(`${m.padEnd(4)} ms: eager least ${fmt(least(e), 1)} median ${fmt(median(e), 1)}; compiled least ${fmt(least(c), 1)} median ${fmt(median(c), 1)}; speed-up ${fmt(least(e) / least(c), 2)}× by least, ${fmt(median(e) / median(c), 2)}× by median`);
}
for (const side of Object.keys(sides)) sides[side].dispose();

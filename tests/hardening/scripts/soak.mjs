#!/usr/bin/env node
// Long leak soak: `pnpm soak` trains the MNIST CNN 10,000 steps on each backend, then 10,000 steps
// switching backend every 500 steps, and fails if live tensors / bytes change after warm-up or the
// wasm heap / WebGPU allocation high-water mark rises in the second half; then the same two scenarios
// with the step compiled (sn.compile: recorded once per backend, replayed). Flags: --steps N,
// --switch-every K, --warmup W, --batch B (default 64), --backends js,wasm, --compiled-only, --eager-only.
import { parseArgs } from 'node:util';
import { availableBackends } from '../dist/backends.js';
import { soak } from '../dist/train.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '10000' },
    'switch-every': { type: 'string', default: '500' },
    warmup: { type: 'string' },
    batch: { type: 'string', default: '64' },
    backends: { type: 'string' },
    'compiled-only': { type: 'boolean', default: false },
    'eager-only': { type: 'boolean', default: false },
  },
});
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
const backends = values.backends ? values.backends.split(',') : await availableBackends();
const steps = Number(values.steps);
const every = Number(values['switch-every']);
const batch = Number(values.batch);
const fmt = (s) => `tensors ${s.tensors}, bytes ${s.bytes}${s.wasmHeap !== undefined ? `, wasm heap ${s.wasmHeap}` : ''}${s.gpuAllocated !== undefined ? `, webgpu allocated ${s.gpuAllocated} (pooled ${s.gpuPooled})` : ''}`;
let failed = false;
function judge(r) {
  const problems = [];
  if (r.end.tensors !== r.warm.tensors || r.maxAfterWarm.tensors !== r.warm.tensors) problems.push('live tensor count changed');
  if (r.end.bytes !== r.warm.bytes || r.maxAfterWarm.bytes !== r.warm.bytes) problems.push('live bytes changed');
  // As in the short test: the heap extent may drift by allocator fragmentation (2% + 4 KiB); live bytes are exact.
  if (r.warm.wasmHeap !== undefined && r.maxLate.wasmHeap > r.maxEarly.wasmHeap * 1.02 + 4096) problems.push(`wasm heap rose ${r.maxEarly.wasmHeap} → ${r.maxLate.wasmHeap}`);
  if (r.warm.gpuAllocated !== undefined && r.maxLate.gpuAllocated > r.maxEarly.gpuAllocated) problems.push(`webgpu allocation rose ${r.maxEarly.gpuAllocated} → ${r.maxLate.gpuAllocated}`);
  console.log(`${r.scenario}, ${r.steps} steps, batch ${batch}:\n  start  ${fmt(r.start)}\n  warm   ${fmt(r.warm)}\n  end    ${fmt(r.end)}\n  loss   ${r.firstLoss.toFixed(4)} → ${r.lastLoss.toFixed(4)}\n  ${problems.length ? `LEAK: ${problems.join('; ')}` : 'flat'}`);
  if (problems.length) failed = true;
}
const modes = values['compiled-only'] ? [true] : values['eager-only'] ? [false] : [false, true];
for (const compiled of modes) {
  const tag = compiled ? ' (compiled)' : '';
  for (const backend of backends) {
    judge(await soak({ scenario: `${backend}${tag}`, backends: [backend], steps, warmup: Number(values.warmup ?? 100), batch, compiled, onSample: (step, s) => step % 1000 === 0 && console.log(`  ${backend}${tag} step ${step}: ${fmt(s)}`) }));
  }
  const cycle = every * backends.length;
  judge(await soak({ scenario: `switch ${backends.join('/')} every ${every}${tag}`, backends, steps: Math.max(2 * cycle, Math.floor(steps / cycle) * cycle), warmup: cycle, batch, switchEvery: every, compiled }));
}
process.exit(failed ? 1 : 0);

// Broadcast-heavy elementwise kernels on backend-webgpu: the shapes of a CNN's batch norm (per-channel
// [1,C,1,1] operands over [N,C,H,W]) through the fused kernel and the binary kernel, process CPU ms per
// call (lavapipe's shader threads run in this process; steadier than wall on a shared machine).
// Run with `node bench/broadcast.mjs` after a build.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const gpu = create([]);
if (!globalThis.navigator) globalThis.navigator = {};
if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu });
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
const { createWebGpuBackend, isAvailable, unavailableReason } = await import('@scratchnet/backend-webgpu');
if (!(await isAvailable())) {
  console.log(`broadcast bench skipped: ${await unavailableReason()}`);
  process.exit(0);
}
const b = await createWebGpuBackend();
const REPS = 20;
const ref = (shape) => ({ id: b.write(Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, (_, i) => (i % 7) - 3), 'float32'), shape, dtype: 'float32' });

/** Least CPU ms per call over 5 batches of REPS calls. */
async function time(call) {
  for (let i = 0; i < 3; i++) b.dispose(call());
  await b.sync();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const ids = [];
    for (let i = 0; i < REPS; i++) ids.push(call());
    await b.sync();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / REPS);
    for (const id of ids) b.dispose(id);
  }
  return best;
}

for (const [n, c, h, w] of [[64, 8, 14, 14], [64, 16, 7, 7], [64, 8, 28, 28]]) {
  const x = ref([n, c, h, w]);
  const ch = [ref([1, c, 1, 1]), ref([1, c, 1, 1]), ref([1, c, 1, 1]), ref([1, c, 1, 1])];
  // batch norm's normalisation: (x − μ) · rstd · γ + β, as compile fuses it.
  const program = {
    inputs: [x, ...ch].map((t) => ({ shape: t.shape, dtype: 'float32' })),
    outShape: [n, c, h, w],
    instructions: [
      { kind: 'binary', op: 'sub', args: [0, 1], dtype: 'float32' },
      { kind: 'binary', op: 'mul', args: [5, 2], dtype: 'float32' },
      { kind: 'binary', op: 'mul', args: [6, 3], dtype: 'float32' },
      { kind: 'binary', op: 'add', args: [7, 4], dtype: 'float32' },
    ],
    outputs: [8],
  };
  const fusedMs = await time(() => b.fusedElementwise(program, [x, ...ch])[0]);
  const binaryMs = await time(() => b.binary('mul', x, ch[0], [n, c, h, w], 'float32'));
  const wholeMs = await time(() => b.binary('mul', x, x, [n, c, h, w], 'float32'));
  console.log(`[${n},${c},${h},${w}]: fused 4-step with 4 channel operands ${fusedMs.toFixed(3)} ms, binary x·[1,C,1,1] ${binaryMs.toFixed(3)} ms, binary x·x ${wholeMs.toFixed(3)} ms`);
}

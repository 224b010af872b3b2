// The MNIST CNN's two 3×3 convolutions on backend-webgpu, forward and forward + both gradients, as
// least process CPU ms per call (lavapipe's shader threads run in this process; steadier than wall on
// a shared machine), for A/B runs of this backend's conv kernels. Run with `node bench/conv-step.mjs`
// after a build.
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
const sn = await import('@scratchnet/core');
const { isAvailable, unavailableReason } = await import('@scratchnet/backend-webgpu');
if (!(await isAvailable())) {
  console.log(`conv-step bench skipped: ${await unavailableReason()}`);
  process.exit(0);
}
await sn.setBackend('webgpu');
const REPS = 10;

/** Least CPU ms per call over 5 batches of REPS calls, each call's result read back at the batch's end. */
async function time(call) {
  for (let i = 0; i < 3; i++) sn.dispose(call());
  await sn.getBackend().sync();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const outs = [];
    for (let i = 0; i < REPS; i++) outs.push(call());
    await sn.getBackend().sync();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / REPS);
    sn.dispose(outs.flat());
  }
  return best;
}

for (const l of [{ name: '[64,1,28,28] 1→8', c: 1, h: 28, o: 8 }, { name: '[64,8,14,14] 8→16', c: 8, h: 14, o: 16 }]) {
  const x = sn.randomNormal([64, l.c, l.h, l.h], { seed: 3 });
  const w = sn.randomNormal([l.o, l.c, 3, 3], { seed: 4 });
  const grad = sn.grad((xx, ww) => sn.sum(sn.conv2d(xx, ww, { padding: 1 })));
  const fwd = await time(() => sn.conv2d(x, w, { padding: 1 }));
  const both = await time(() => sn.tidy(() => grad(x, w)));
  console.log(`conv ${l.name}: forward ${fwd.toFixed(2)} ms CPU, forward + both gradients ${both.toFixed(2)} ms CPU`);
  sn.dispose([x, w]);
}

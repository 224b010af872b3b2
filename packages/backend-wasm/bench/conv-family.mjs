// Timings of the convolution family's composed ops (issue 12) on backend-js and backend-wasm:
// conv2dTranspose [8,16,28,28] → 32 channels, k3 stride 2 padding 1 outputPadding 1 (→ [8,32,56,56]),
// forward and forward + backward (gradients of x and w); bilinear interpolate 2× of [8,16,64,64]
// (two matmuls with small interpolation matrices), forward and forward + backward. Each figure is the
// median (min–max) of timed repeats after a warm-up, results read back.
// Run after a build: node packages/backend-wasm/bench/conv-family.mjs [--quick]
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';

const repeats = process.argv.includes('--quick') ? 3 : 7;

async function time(fn) {
  const runOnce = async () => {
    const t0 = performance.now();
    const out = sn.tidy(fn);
    const list = Array.isArray(out) ? out : [out];
    for (const t of list) await t.data();
    const ms = performance.now() - t0;
    sn.dispose(list);
    return ms;
  };
  await runOnce();
  const ms = [];
  for (let i = 0; i < repeats; i++) ms.push(await runOnce());
  ms.sort((a, b) => a - b);
  return `${ms[Math.floor(ms.length / 2)].toFixed(1)} ms (${ms[0].toFixed(1)}–${ms[ms.length - 1].toFixed(1)})`;
}

const lossOf = (f) => (...xs) => sn.sum(sn.mul(f(...xs), 1.5));

for (const backend of ['js', 'wasm']) {
  await sn.setBackend(backend);
  const x = sn.randomNormal([8, 16, 28, 28], { seed: 1 });
  const w = sn.randomNormal([16, 32, 3, 3], { seed: 2 });
  const img = sn.randomNormal([8, 16, 64, 64], { seed: 3 });
  const opts = { stride: 2, padding: 1, outputPadding: 1 };
  const convT = (a, b) => sn.conv2dTranspose(a, b, opts);
  const up = (a) => sn.interpolate(a, { scaleFactor: 2, mode: 'bilinear' });
  console.log(`${backend}:`);
  console.log(`  conv2dTranspose [8,16,28,28] → [8,32,56,56] forward:           ${await time(() => convT(x, w))}`);
  console.log(`  conv2dTranspose forward + backward (dx, dw):                 ${await time(() => sn.grad(lossOf(convT))(x, w))}`);
  console.log(`  interpolate bilinear 2× [8,16,64,64] → [8,16,128,128] forward: ${await time(() => up(img))}`);
  console.log(`  interpolate bilinear 2× forward + backward:                  ${await time(() => sn.grad(lossOf(up))(img))}`);
  sn.dispose([x, w, img]);
}

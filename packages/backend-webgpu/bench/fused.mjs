// Fused elementwise micro-benchmark (issue 14) on backend-webgpu: a 6-step chain over 1M float32
// elements as one fused WGSL dispatch vs one dispatch per step (core's runFusedUnfused), waiting for
// the GPU after each call. On lavapipe (Mesa's software Vulkan) only the ratio means anything.
// Run with `node bench/fused.mjs` after a build (`--quick`: fewer repeats).
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const gpu = create([]);
if (!globalThis.navigator) globalThis.navigator = {};
if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu });
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';

const { runFusedUnfused } = await import('@scratchnet/core');
const { createWebGpuBackend, isAvailable, unavailableReason } = await import('@scratchnet/backend-webgpu');
// The shared chain (tests/peer-bench is not a dependency of this package, so by path).
const { timeChain } = await import('../../../tests/peer-bench/fused-chain.mjs');
const { fmt, row } = await import('../../../tests/peer-bench/format.mjs');

if (!(await isAvailable())) {
  console.log(`backend-webgpu fused bench skipped: ${await unavailableReason()}`);
  process.exit(0);
}
const quick = process.argv.includes('--quick');
const N = 1 << 20;
const backend = await createWebGpuBackend();
const t = await timeChain(backend, N, runFusedUnfused, { warmup: 2, repeats: quick ? 3 : 7, settle: () => backend.sync() });
const W = [26, 12, 12, 9];
console.log(`Fused 6-step elementwise chain over ${N} float32 elements on ${backend.info().description || 'webgpu'}: median ms per call\n`);
row(['backend', 'fused', 'unfused', 'speed-up'], W);
row(['webgpu', fmt(t.fused.median, 2), fmt(t.unfused.median, 2), `${fmt(t.unfused.median / t.fused.median, 2)}×`], W);
backend.shutdown();

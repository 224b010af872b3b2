// What each peer reaches standalone on this machine kind (2-core AMD EPYC Zen 5, Node 20; from
// shared/notes/peers.md, each the low end of the median of 7 repeats after warm-up, results read back),
// and the check that flags a peer running at a fraction of that inside a benchmark: a peer below half
// its standalone figure is misconfigured, and the "vs best peer" ratios printed beside it mean nothing.

/** WebAssembly SIMD peak of one idle core, GFLOPS, with f32x4.relaxed_madd (41.5 with mul + add). */
export const IDLE_PEAK_FMA = 56;

/** Standalone matmul GFLOPS by peer, thread count and n. */
export const STANDALONE_MATMUL_GFLOPS = {
  'tfjs-wasm': { 1: { 512: 29.6, 1024: 30.2 }, 2: { 512: 60.3, 1024: 62.4 } },
  'onnxruntime-web': { 1: { 512: 25.8, 1024: 24.7 }, 2: { 512: 24.2, 1024: 45.3 } },
  'jax-js': { 1: { 512: 19.1, 1024: 22.5 }, 2: { 512: 22.9, 1024: 32.1 } },
};

/**
 * Standalone MNIST training throughput, samples/s (8,000 digits, batch 64, Adam 1e-3, median of
 * epochs 2–3): jax-js wasm with `jit(valueAndGrad)` and a hand-written Adam, MLP 784-128-10.
 */
export const STANDALONE_MNIST_SAMPLES_PER_S = {
  'jax-js jit': { mlp: 21_833 },
};

/**
 * Standalone GPT training throughput, tokens/s by thread count (the text bench's GPT, gpt-spec.mjs:
 * 805,120 parameters, batch 32 × 64 tokens, Adam; median of 5 steps after 3 warm-up, tfjs 3 after 1;
 * measured 2026-11-30 on this machine kind under the load of other work, so a floor, not a peak):
 * jax-js wasm with the whole step under `jit`; tfjs-backend-wasm with a one-hot token embedding (it
 * has no kernel for the gather gradient); tfjs-backend-cpu with `tf.gather`.
 */
export const STANDALONE_GPT_TOKENS_PER_S = {
  'jax-js jit': { 1: 1953, 2: 1738 },
  'tfjs-wasm one-hot': { 1: 292, 2: 298 },
  'tfjs-cpu': { 1: 32 },
};

/** Below this fraction of its standalone figure a peer is reported as unhealthy. */
export const HEALTHY_FRACTION = 0.5;

/**
 * Checks a peer's best figures of this run against its standalone one (higher is better for all).
 * A peer passes if either its best wall-clock rate or its rate per CPU-second (times the threads it
 * ran, so it compares with a wall-clock figure) reaches HEALTHY_FRACTION of standalone: a busy shared
 * machine stretches wall time, not CPU time, while a misconfigured peer is slow by both.
 * @param {string} what e.g. "tfjs-wasm 1t matmul 512"
 * @param {{ wall: number, cpu: number }} best the best rates of this run's repeats
 * @param {number | undefined} standalone
 * @param {string} unit
 * @returns {string | null} a WARNING line, or null when healthy or there is no standalone figure
 */
export function healthWarning(what, best, standalone, unit) {
  if (standalone === undefined) return null;
  const floor = HEALTHY_FRACTION * standalone;
  if (best.wall >= floor || best.cpu >= floor) return null;
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  return `WARNING: ${what}: best ${f(best.wall)} ${unit} (${f(best.cpu)} per CPU-second × threads), under ` +
    `${HEALTHY_FRACTION * 100}% of its standalone ${standalone} ${unit}: the peer is misconfigured and the ratios against it are wrong`;
}

/**
 * The best rates of a timing for {@link healthWarning}.
 * @param {import('./timing.mjs').Timing | undefined} t
 * @param {number} work flop count / 1e6 for GFLOPS, batch × 1000 for samples/s
 * @param {number} threads the threads the peer ran
 */
export function bestRates(t, work, threads) {
  return t ? { wall: work / t.min, cpu: (work * threads) / t.cpuMin } : { wall: NaN, cpu: NaN };
}

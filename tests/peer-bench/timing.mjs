// Timing shared by every benchmark and peer harness: warm-up calls, then a fixed number of timed
// repeats, reported as min / median / max milliseconds. A fixed count (not "run for N ms") keeps the
// work the same for every contender, so figures of one run compare like for like.

/**
 * @typedef {{ min: number, median: number, max: number, samples: number[], cpuMin: number }} Timing
 *   milliseconds per call: fastest, median and slowest of the timed repeats (each a repeat's time over
 *   its calls); `cpuMin`, the least CPU time (all of the process's threads) per call of a repeat. On
 *   a shared machine wall time grows with the load while CPU time barely does, so the health check
 *   reads both.
 */

/**
 * Times `fn` (sync or async; it must finish its work, results read back, before it returns): `warmup`
 * calls (and more until `warmupMs` have passed), then `repeats` timed repeats of `calls` back-to-back
 * calls each (as Python's timeit takes
 * `repeat` rounds of `number` loops). A sample is a repeat's time divided by its calls, so a repeat of
 * many calls measures the throughput of a loop of them rather than one call's brush with the
 * scheduler or a collection.
 * @param {() => unknown} fn
 * @param {{ warmup?: number, warmupMs?: number, repeats?: number, calls?: number }} [options] warm-up
 *   calls (default 2) and least warm-up time (default 0), timed repeats (default 5) and calls per
 *   repeat (default 1)
 * @returns {Promise<Timing>}
 */
export async function measure(fn, { warmup = 2, warmupMs = 0, repeats = 5, calls = 1 } = {}) {
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) await fn();
  const samples = [];
  let cpuMin = Infinity;
  for (let i = 0; i < repeats; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) await fn();
    samples.push((performance.now() - t0) / calls);
    const cpu = process.cpuUsage(cpu0);
    cpuMin = Math.min(cpuMin, (cpu.user + cpu.system) / 1000 / calls);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], samples, cpuMin };
}

/**
 * Calls per timed repeat of an n×n matmul in the wasm matmul table, the same for every contender:
 * 2^28 / n^3 (128 at n = 128, 16 at 256), between 4 and 128, so a repeat lasts 10–40 ms at the speeds
 * measured here rather than the 0.1–1 ms of one small call, which a single preemption, page-fault
 * burst or garbage collection of the process could double.
 * @param {number} n
 */
export function matmulCallsPerRepeat(n) {
  return Math.min(128, Math.max(4, Math.round(2 ** 28 / n ** 3)));
}

/**
 * Turns a timing in ms into a rate (GFLOPS for `work` = flop count / 1e6, samples/s for `work` =
 * batch × 1000): the fastest call gives the max rate, the slowest the min.
 * @param {Timing} t
 * @param {number} work
 * @returns {{ min: number, median: number, max: number }}
 */
export function rate(t, work) {
  return { min: work / t.max, median: work / t.median, max: work / t.min };
}

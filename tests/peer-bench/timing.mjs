// Timing shared by every benchmark and peer harness: warm-up calls, then a fixed number of timed
// repeats, reported as min / median / max milliseconds. A fixed count (not "run for N ms") keeps the
// work the same for every contender, so figures of one run compare like for like.

/**
 * @typedef {{ min: number, median: number, max: number, samples: number[], cpuMin: number }} Timing
 *   milliseconds per call: fastest, median and slowest of the timed repeats; `cpuMin`, the least
 *   CPU time (all of the process's threads) one call took. On a shared machine wall time grows with
 *   the load while CPU time barely does, so the health check reads both.
 */

/**
 * Times `fn` (sync or async; it must finish its work, results read back, before it returns).
 * @param {() => unknown} fn
 * @param {{ warmup?: number, repeats?: number }} [options] warm-up calls (default 2) and timed calls (default 5)
 * @returns {Promise<Timing>}
 */
export async function measure(fn, { warmup = 2, repeats = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  let cpuMin = Infinity;
  for (let i = 0; i < repeats; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMin = Math.min(cpuMin, (cpu.user + cpu.system) / 1000);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], samples, cpuMin };
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

#!/usr/bin/env node
// Long differential fuzzing: `pnpm fuzz -- --minutes 30` (or --graphs N, --seed S, --backends js,wasm).
// Runs batches of random graphs with fresh seeds until the time or graph budget is spent; the first
// disagreement stops it and prints the seed, fast-check's path and the shrunk graph.
import { parseArgs } from 'node:util';
import { availableBackends } from '../dist/backends.js';
import { fuzz, FuzzDisagreement } from '../dist/fuzz.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    graphs: { type: 'string' },
    seed: { type: 'string' },
    backends: { type: 'string' },
    batch: { type: 'string', default: '200' },
  },
});
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json';
const backends = values.backends ? values.backends.split(',') : await availableBackends();
const deadline = Date.now() + Number(values.minutes) * 60_000;
const maxGraphs = values.graphs ? Number(values.graphs) : Infinity;
const batch = Number(values.batch);
let seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
let graphs = 0;
let skipped = 0;
console.log(`fuzz: backends ${backends.join(', ')}; until ${values.graphs ? `${maxGraphs} graphs or ` : ''}${values.minutes} min`);
while (Date.now() < deadline && graphs < maxGraphs) {
  const numRuns = Math.min(batch, maxGraphs - graphs);
  try {
    const stats = await fuzz(backends, { numRuns, seed });
    graphs += stats.graphs;
    skipped += stats.skipped;
    console.log(`seed ${seed}: ${stats.graphs} graphs agree (total ${graphs}, ${skipped} skipped as ill-conditioned)`);
  } catch (e) {
    if (e instanceof FuzzDisagreement) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  seed = (seed + 1) % 2 ** 31;
}
console.log(`fuzz: ${graphs} graphs, no disagreement`);

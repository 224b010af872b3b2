// The default GPT training step (apps/text-demo/bench/gpt-step.mjs's model, batch and Adam) on two
// wasm backend builds in one process, steps alternating between them, so machine load hits both alike:
// this build against the one in DIR (DIR/dist/index.js: e.g. an earlier commit's src/ and wasm/
// compiled there). Prints, per thread count, each build's least CPU ms per step (all of the process's
// threads, the figure a loaded machine barely moves), best and median wall ms, and B/A per CPU.
// Run after a build of layers and apps/text-demo: node bench/gpt-step-ab.mjs DIR [--threads 1,2]; STEPS=.
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import { GPT_SPEC as S, scratchnetGptBatch, scratchnetGptOptions } from '@scratchnet/peer-bench/gpt-spec';

const root = new URL('../../../', import.meta.url);
const { Adam, GPT } = await import(new URL('packages/layers/dist/index.js', root).href);
const { NextTokenLoss } = await import(new URL('apps/text-demo/dist/node/shared/sequence-loss.js', root).href);
const dir = process.argv[2];
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
};
const THREADS = arg('--threads', '1,2').split(',').map(Number);
const STEPS = Number(process.env.STEPS ?? 6);
const other = await import(pathToFileURL(`${dir}/dist/index.js`).href);
const sides = [{ label: dir, create: other.createWasmBackend }, { label: 'this build', create: createWasmBackend }];

for (const [i, s] of sides.entries()) {
  s.name = `gpt-ab-${i}`;
  s.backend = await s.create({ name: s.name });
  sn.registerBackend(s.name, () => s.backend, { priority: -1 });
  await sn.setBackend(s.name);
  const model = new GPT(S.vocab, scratchnetGptOptions());
  model.train();
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: S.lr });
  const loss = new NextTokenLoss();
  const { ids, targets } = scratchnetGptBatch(sn);
  s.step = () => {
    const value = sn.tidy(() => {
      const { value: v, grads } = sn.variableGrads(() => loss.forward(model.forward(ids), targets), params);
      optimizer.step(grads);
      return v;
    });
    const l = value.dataSync()[0];
    value.dispose();
    return l;
  };
}
console.log(`GPT step A/B, A = ${dir}, B = this build; ${STEPS} steps each after 3 warm-up; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const threads of THREADS) {
  const wall = sides.map(() => []);
  const cpu = sides.map(() => []);
  for (const s of sides) {
    await s.backend.setThreads(threads);
    await sn.setBackend(s.name);
    for (let i = 0; i < 3; i++) s.step();
  }
  for (let r = 0; r < STEPS; r++) {
    for (const [i, s] of sides.entries()) {
      await sn.setBackend(s.name);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      s.step();
      wall[i].push(performance.now() - t0);
      const u = process.cpuUsage(c0);
      cpu[i].push((u.user + u.system) / 1000);
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const line = (i) => `CPU ${Math.min(...cpu[i]).toFixed(0)} ms, wall best ${Math.min(...wall[i]).toFixed(0)} median ${med(wall[i]).toFixed(0)} ms`;
  console.log(`${threads} thread(s): A ${line(0)} | B ${line(1)} | B÷A CPU time ${(Math.min(...cpu[1]) / Math.min(...cpu[0])).toFixed(3)}, best wall time ${(Math.min(...wall[1]) / Math.min(...wall[0])).toFixed(3)}`);
}
console.log(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const s of sides) s.backend.shutdown();
process.exit(0);

// One training step of the default GPT (`new GPT(28, {})` of @scratchnet/layers: context 64, width 128,
// 4 pre-norm blocks, 4 heads, feed-forward 512, exact GELU, tied output), ScratchNet against jax-js and
// tfjs in the same run. Every side trains the same model (dropout 0 everywhere, so that all do the same
// work; the model's default is 0.1) with Adam 1e-3 on one batch of 32 windows of 64 tokens and the
// cross-entropy averaged over every position (the app's NextTokenLoss): forward, backward and the
// update, the loss read back each step. ScratchNet runs on backend-wasm at 1 and 2 threads, eagerly and
// through `compile` (as `fit` trains by default), and on backend-js; jax-js (wasm device, the whole step under `jit`, 1 and 2 threads) and tfjs 4.22
// (tfjs-backend-wasm, its fastest backend here, which lacks the gather gradient and so embeds tokens
// by a one-hot matmul; `--tfjs-cpu` adds tfjs-backend-cpu with `tf.gather`, ~35× slower) each run in
// a process of their own (tests/peer-bench/peers). The WebGPU row sets ScratchNet's backend-webgpu
// against tfjs-backend-webgpu 4.22 (its own process, on the `webgpu` package's Dawn), both on the adapter
// Dawn finds (Mesa's lavapipe on a machine without a GPU: only the ratio means anything there).
// Prints ms per step and tokens/s as median (min–max), the parameter count of each side, the ratio
// ScratchNet ÷ best peer, and each peer's health against its standalone figure.
// Run with `pnpm bench` after a build; `--quick` takes fewer repeats, `--no-tfjs` skips tfjs (slow),
// `--no-webgpu` the WebGPU row. The tfjs rows take 3 steps after 1 warm-up (seconds each); tfjs-cpu 1
// after 1; the WebGPU rows 2 after 1 (tens of seconds a step on lavapipe).
process.env.VK_ICD_FILENAMES ??= '/usr/share/vulkan/icd.d/lvp_icd.json'; // Mesa's lavapipe, where Dawn finds no GPU
import * as sn from '@scratchnet/core';
import { createJsBackend } from '@scratchnet/backend-js';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import { isAvailable as webgpuAvailable, unavailableReason as webgpuUnavailableReason } from '@scratchnet/backend-webgpu';
import { Adam, GPT } from '@scratchnet/layers';
import { fmt, row, spread } from '@scratchnet/peer-bench/format';
import { GPT_SPEC as S, TOKENS_PER_STEP, gptParameterCount, scratchnetGptBatch, scratchnetGptOptions } from '@scratchnet/peer-bench/gpt-spec';
import { STANDALONE_GPT_TOKENS_PER_S, bestRates, healthWarning } from '@scratchnet/peer-bench/health';
import { runPeer } from '@scratchnet/peer-bench/run-peer';
import { measure, rate } from '@scratchnet/peer-bench/timing';
import { NextTokenLoss } from '../dist/node/shared/sequence-loss.js';

const quick = process.argv.includes('--quick');
const withTfjs = !process.argv.includes('--no-tfjs');
const withTfjsCpu = process.argv.includes('--tfjs-cpu'); // about a minute a step: off unless asked
const withWebgpu = !process.argv.includes('--no-webgpu');
const WEBGPU_SETTINGS = { warmup: 1, repeats: 2 }; // lavapipe: tens of seconds a step
const SETTINGS = { warmup: 3, repeats: quick ? 3 : 5 };
const TFJS_SETTINGS = { warmup: 1, repeats: 3 }; // tfjs takes seconds a step: fewer, still after a warm-up
const started = performance.now();

const wasm = await createWasmBackend({ name: 'wasm-bench' });
sn.registerBackend('wasm-bench', () => wasm, { priority: -1 });
sn.registerBackend('js-bench', () => createJsBackend(), { priority: -1 });
console.log(`GPT training step (vocab ${S.vocab}, context ${S.context}, width ${S.dModel}, ${S.layers} layers × ${S.heads} heads, FF ${S.ff}, dropout 0), ` +
  `batch ${S.batch} × ${S.context} = ${TOKENS_PER_STEP} tokens, Adam ${S.lr} — Node ${process.version}${quick ? ' — quick run' : ''}\n`);

/**
 * Timing of the ScratchNet step on `backend` (wasm at `threads`); `compiled` runs it through
 * `sn.compile` (what `fit` does by default, as jax-js's side runs under `jit`).
 */
async function scratchnetStep(backend, threads, settings = SETTINGS, compiled = false) {
  await sn.setBackend(backend);
  if (backend === 'wasm-bench') await wasm.setThreads(threads);
  const model = new GPT(S.vocab, scratchnetGptOptions());
  model.train();
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: S.lr });
  const loss = new NextTokenLoss();
  const { ids, targets } = scratchnetGptBatch(sn);
  const losses = [];
  // The loss is read back after the update; asynchronously, since WebGPU has no synchronous read.
  const body = (x, y) => {
    const { value: v, grads } = sn.variableGrads(() => loss.forward(model.forward(x), y), params);
    optimizer.step(grads);
    return v;
  };
  const run = compiled ? sn.compile(body, { name: 'gpt-step' }) : body;
  const step = async () => {
    const value = sn.tidy(() => run(ids, targets));
    losses.push((await value.data())[0]);
    value.dispose();
  };
  const t = await measure(step, settings);
  const parameters = params.reduce((n, p) => n + p.size, 0);
  if (compiled) run.dispose();
  optimizer.dispose();
  sn.dispose([...params, ids, targets]);
  return { ...t, parameters, losses };
}

const sides = [];
const add = (name, threads, t, parameters, note = '') => sides.push({ name, threads, t, parameters, note });
for (const threads of [1, 2]) {
  for (const compiled of [false, true]) {
    const t = await scratchnetStep('wasm-bench', threads, SETTINGS, compiled);
    // The thread count the backend really runs, as the peers report theirs.
    add(`ScratchNet wasm${compiled ? ' compiled' : ''} (${wasm.info().isa})`, wasm.threads, t, t.parameters, `loss ${fmt(t.losses[0], 3)} → ${fmt(t.losses.at(-1), 3)}`);
  }
}
{
  const t = await scratchnetStep('js-bench', 1, TFJS_SETTINGS);
  add('ScratchNet js', 1, t, t.parameters, `loss ${fmt(t.losses[0], 3)} → ${fmt(t.losses.at(-1), 3)}`);
}
let webgpuNote = '';
if (withWebgpu) {
  if (await webgpuAvailable()) {
    const t = await scratchnetStep('webgpu', 1, WEBGPU_SETTINGS);
    add('ScratchNet webgpu', 'gpu', t, t.parameters, `loss ${fmt(t.losses[0], 3)} → ${fmt(t.losses.at(-1), 3)}`);
  } else {
    webgpuNote = `ScratchNet webgpu: no adapter: ${await webgpuUnavailableReason()}`;
  }
}
const peerArgs = (s) => ['--warmup', String(s.warmup), '--repeats', String(s.repeats)];
const peers = [];
for (const threads of [1, 2]) peers.push(['jax-js jit', threads, await runPeer('jax-js-gpt', ['--threads', String(threads), ...peerArgs(SETTINGS)]), (r) => r.jit]);
if (withTfjs) {
  for (const threads of [1, 2]) {
    peers.push(['tfjs-wasm one-hot', threads, await runPeer('tfjs-gpt', ['--backend', 'wasm', '--onehot-embedding', '--threads', String(threads), ...peerArgs(TFJS_SETTINGS)], { timeoutMs: 600_000 }), (r) => r.step]);
  }
  // tfjs-backend-wasm cannot differentiate tf.gather; say so from the peer itself, in one short step.
  const gather = await runPeer('tfjs-gpt', ['--backend', 'wasm', '--warmup', '0', '--repeats', '1']);
  console.log(`tfjs-wasm with tf.gather embeddings: ${gather.error ? `cannot train: ${gather.error}` : 'trains'}`);
  if (withWebgpu) {
    peers.push(['tfjs-webgpu', 'gpu', await runPeer('tfjs-gpt', ['--backend', 'webgpu', ...peerArgs(WEBGPU_SETTINGS)], { timeoutMs: 600_000 }), (r) => r.step]);
  }
  if (withTfjsCpu) peers.push(['tfjs-cpu', 1, await runPeer('tfjs-gpt', ['--backend', 'cpu', '--warmup', '1', '--repeats', '1'], { timeoutMs: 600_000 }), (r) => r.step]);
}
const warnings = [];
const health = [];
for (const [name, threads, r, pick] of peers) {
  if (r.error) {
    console.log(`${name} ${threads === 'gpu' ? 'webgpu' : `${threads}t`}: FAILED: ${r.error}`);
    continue;
  }
  const t = pick(r);
  const losses = r.jitLosses ?? r.losses ?? [];
  add(`${name} ${r.version}`, threads === 'gpu' ? 'gpu' : r.threads, t, r.parameters, `loss ${fmt(losses[0], 3)} → ${fmt(losses.at(-1), 3)}`);
  const standalone = STANDALONE_GPT_TOKENS_PER_S[name]?.[threads];
  const best = bestRates(t, TOKENS_PER_STEP * 1000, r.threads);
  if (standalone !== undefined) {
    health.push(`${name} ${threads}t: best ${fmt(best.wall, 0)} tokens/s wall-clock, ${fmt(best.cpu, 0)} per CPU-second × threads; standalone ${standalone} (${fmt((100 * Math.max(best.wall, best.cpu)) / standalone, 0)}%)`);
    const w = healthWarning(`${name} ${threads}t GPT step`, best, standalone, 'tokens/s');
    if (w) warnings.push(w);
  }
}

const tokens = (t) => rate(t, TOKENS_PER_STEP * 1000);
console.log(`\nms per step: median (min–max) of ${SETTINGS.repeats} after ${SETTINGS.warmup} warm-up steps (js and tfjs: ${TFJS_SETTINGS.repeats} after ${TFJS_SETTINGS.warmup}; webgpu: ${WEBGPU_SETTINGS.repeats} after ${WEBGPU_SETTINGS.warmup}); tokens/s from the median; tok/CPU-s from the least CPU time of a step (all of the process's threads: the cost, which a loaded machine barely moves); expected parameters ${gptParameterCount()}`);
const W = [41, 4, 9, 26, 10, 11, 22];
row(['side', 'thr', 'params', 'ms/step', 'tokens/s', 'tok/CPU-s', 'loss (first → last)'], W);
for (const s of sides) {
  row([s.name, s.threads, s.parameters, spread(s.t, 0), fmt(tokens(s.t).median, 0), fmt((TOKENS_PER_STEP * 1000) / s.t.cpuMin, 0), s.note], W);
}
const peerSides = sides.filter((s) => !s.name.startsWith('ScratchNet'));
console.log('\nScratchNet ÷ best peer at the same thread count (median tokens/s; >1: ScratchNet faster)');
for (const threads of [1, 2]) {
  const best = peerSides.filter((s) => s.threads === threads).sort((a, b) => a.t.median - b.t.median)[0];
  for (const s of sides.filter((x) => x.name.startsWith('ScratchNet') && x.threads === threads)) {
    console.log(`  ${s.name} ${threads}t vs ${best ? `${best.name} ${threads}t: ${fmt(best.t.median / s.t.median, 2)}× (per CPU-second: ${fmt(best.t.cpuMin / s.t.cpuMin, 2)}×)` : 'no peer'}`);
  }
}
{
  const gpu = sides.filter((s) => s.threads === 'gpu');
  const ours = gpu.find((s) => s.name.startsWith('ScratchNet'));
  const theirs = gpu.find((s) => !s.name.startsWith('ScratchNet'));
  if (ours && theirs) console.log(`  ScratchNet webgpu vs ${theirs.name} (same adapter): ${fmt(theirs.t.median / ours.t.median, 2)}×`);
  if (webgpuNote) console.log(`  ${webgpuNote}`);
}
console.log('\npeer health (best wall-clock and per-CPU-second figures of this run vs the peer standalone, tests/peer-bench/health.mjs)');
for (const line of health) console.log(line);
if (warnings.length === 0) console.log('every peer with a standalone figure at or above half of it');
for (const w of warnings) console.log(w);
console.log(`\nbench took ${fmt((performance.now() - started) / 1000, 0)} s`);
wasm.shutdown();
process.exit(0);

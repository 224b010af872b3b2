// Where ScratchNet's GPT training step goes, on backend-wasm at 1 thread: each part of the default GPT
// (dropout 0, as in gpt-step.mjs) timed alone on the shapes it sees in the bench step (batch 32 × 64
// tokens, width 128), forward and forward + backward, every call forcing its results with a read back
// (a gradient w.r.t. the part's input and parameters, from a fixed random cotangent). Parts: layer
// norm; attention split into its projections (packed qkv and output Linear), the causal softmax with
// its mask and the two batched matmuls; the feed-forward split into its Linears and the GELU;
// the embeddings; the tied head with the loss; the Adam update. Each is multiplied by its count per
// step and set against the whole step measured the same way; "rest" is what the parts do not explain
// (residual adds, glue, tape bookkeeping). Figures are the least CPU time of the repeats (the machine
// is shared; CPU time barely moves with the load), so the table adds up like for like.
// A second table times every kernel call of whole steps by kernel and op (the backend's methods wrapped
// with a clock): which kernels the step is made of, for the compile/fusion work.
// Run with `node bench/gpt-profile.mjs` after a build (`--quick` for fewer repeats).
import * as sn from '@scratchnet/core';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import { Adam, GPT, scaledDotProductAttention } from '@scratchnet/layers';
import { fmt, row } from '@scratchnet/peer-bench/format';
import { GPT_SPEC as S, TOKENS_PER_STEP, scratchnetGptBatch, scratchnetGptOptions } from '@scratchnet/peer-bench/gpt-spec';
import { measure } from '@scratchnet/peer-bench/timing';
import { NextTokenLoss } from '../dist/node/shared/sequence-loss.js';

const SETTINGS = { warmup: 3, repeats: process.argv.includes('--quick') ? 3 : 5 };
const wasm = await createWasmBackend({ name: 'wasm-profile', threads: 1 });
sn.registerBackend('wasm-profile', () => wasm, { priority: -1 });
await sn.setBackend('wasm-profile');
await wasm.setThreads(1);

const model = new GPT(S.vocab, scratchnetGptOptions());
model.train();
const params = model.parameters();
const block = [...model.blocks][0];
const loss = new NextTokenLoss();
const { ids, targets } = scratchnetGptBatch(sn);
const hd = S.dModel / S.heads;
const input = (shape, seed) => sn.variable(sn.randomNormal(shape, { seed }));

/** Least CPU ms of `fn` run forward only, and of forward + backward w.r.t. `vars`. */
async function part(fn, vars) {
  const cotangent = sn.keep(sn.randomNormal(fn().shape, { seed: 7 }));
  const fwd = await measure(() => sn.tidy(() => { fn().dataSync(); }), SETTINGS);
  const both = await measure(() => sn.tidy(() => {
    const { value, grads } = sn.variableGrads(() => sn.sum(sn.mul(fn(), cotangent)), vars);
    value.dataSync();
    for (const g of grads.values()) g.dataSync();
  }), SETTINGS);
  sn.dispose(cotangent);
  return { fwd: fwd.cpuMin, both: both.cpuMin };
}

const x = input([S.batch, S.context, S.dModel], 1);
const q = input([S.batch, S.heads, S.context, hd], 2);
const k = input([S.batch, S.heads, S.context, hd], 3);
const v = input([S.batch, S.heads, S.context, hd], 4);
const scores = input([S.batch, S.heads, S.context, S.context], 5);
const hidden = input([S.batch, S.context, S.ff], 6);
const mask = sn.keep(sn.lessEqual(sn.reshape(sn.arange(0, S.context, 1, 'int32'), [1, S.context]), sn.reshape(sn.arange(0, S.context, 1, 'int32'), [S.context, 1])));
const mhaParams = block.self_attn.parameters();
const inProj = (t) => sn.add(sn.matmul(t, block.self_attn.in_proj_weight, { transposeB: true }), block.self_attn.in_proj_bias);
const parts = [
  ['layer norm (norm1, norm2, ln_f)', 2 * S.layers + 1, () => block.norm1.forward(x), [x, ...block.norm1.parameters()]],
  ['attention: whole MultiheadAttention', S.layers, () => block.self_attn.forward(x, x, x, { isCausal: true, needWeights: false })[0], [x, ...mhaParams]],
  ['  qkv projection (Linear 128→384)', S.layers, () => inProj(x), [x, block.self_attn.in_proj_weight, block.self_attn.in_proj_bias]],
  ['  output projection (Linear 128→128)', S.layers, () => block.self_attn.out_proj.forward(x), [x, ...block.self_attn.out_proj.parameters()]],
  ['  causal attention core (q·kᵀ, mask, softmax, ·v)', S.layers, () => scaledDotProductAttention(q, k, v, { isCausal: true }), [q, k, v]],
  ['    softmax alone [32,4,64,64]', S.layers, () => sn.softmax(scores, -1), [scores]],
  ['    causal mask alone (where)', S.layers, () => sn.where(mask, scores, -Infinity), [scores]],
  ['feed-forward: linear1, GELU, linear2', S.layers, () => block.linear2.forward(sn.gelu(block.linear1.forward(x))), [x, ...block.linear1.parameters(), ...block.linear2.parameters()]],
  ['  GELU alone [32,64,512]', S.layers, () => sn.gelu(hidden), [hidden]],
  ['embeddings (token + position, gathers)', 1, () => sn.add(model.tok_emb.forward(ids), model.pos_emb.forward(sn.arange(0, S.context, 1, 'int32'))), [model.tok_emb.weight, model.pos_emb.weight]],
  ['tied head (matmul 128→28) + loss', 1, () => loss.forward(sn.matmul(x, model.tok_emb.weight, { transposeB: true }), targets), [x, model.tok_emb.weight]],
];
const blockTime = await part(() => block.forward(x, { isCausal: true }), [x, ...block.parameters()]);
const wholeModel = await part(() => loss.forward(model.forward(ids), targets), params);

const results = [];
for (const [name, count, fn, vars] of parts) results.push({ name, count, ...(await part(fn, vars)) });

// The optimizer: Adam's update of every parameter from fixed gradients.
const optimizer = new Adam(params, { lr: S.lr });
const { value: l0, grads } = sn.variableGrads(() => loss.forward(model.forward(ids), targets), params);
const adam = await measure(() => sn.tidy(() => {
  optimizer.step(grads);
  params[0].dataSync();
}), SETTINGS);
results.push({ name: 'Adam update (all parameters)', count: 1, fwd: NaN, both: adam.cpuMin });

// The whole step, as gpt-step.mjs times it.
const stepOptimizer = new Adam(params, { lr: S.lr });
const step = await measure(() => sn.tidy(() => {
  const { value, grads: g } = sn.variableGrads(() => loss.forward(model.forward(ids), targets), params);
  stepOptimizer.step(g);
  value.dataSync();
}), SETTINGS);

console.log(`ScratchNet GPT step on backend-wasm (${wasm.info().isa}), 1 thread: ${TOKENS_PER_STEP} tokens; least CPU ms of ${SETTINGS.repeats} after ${SETTINGS.warmup} warm-up calls`);
console.log(`whole step ${fmt(step.cpuMin, 1)} ms CPU (${fmt((TOKENS_PER_STEP * 1000) / step.cpuMin, 0)} tokens per CPU-second; wall median ${fmt(step.median, 0)} ms); model forward + loss ${fmt(wholeModel.fwd, 1)} ms, forward + backward ${fmt(wholeModel.both, 1)} ms; one block ${fmt(blockTime.fwd, 1)} / ${fmt(blockTime.both, 1)} ms\n`);
const W = [50, 6, 9, 9, 9, 11, 8];
row(['part (indented rows are inside the row above)', '×/step', 'fwd ms', 'f+b ms', 'bwd ms', 'ms/step', '% parts'], W);
const top = results.filter((r) => !r.name.startsWith(' ')).reduce((n, r) => n + r.count * r.both, 0);
for (const r of results) {
  const perStep = r.count * r.both;
  row([r.name.padEnd(W[0]), r.count, fmt(r.fwd, 2), fmt(r.both, 2), fmt(r.both - r.fwd, 2), fmt(perStep, 1), fmt((100 * perStep) / top, 1)], W);
}
// Timed alone, each part also pays its own read-backs and cotangent product, so the parts can add up
// to more than the step; the shares are of their sum.
console.log(`top-level parts sum to ${fmt(top, 1)} ms against the whole step's ${fmt(step.cpuMin, 1)} ms (each part alone pays its own read-backs; the rest of the step is residual adds and glue)`);
console.log(`\nforward vs backward over the model (+ loss): forward ${fmt(wholeModel.fwd, 1)} ms, backward ${fmt(wholeModel.both - wholeModel.fwd, 1)} ms (${fmt((wholeModel.both - wholeModel.fwd) / wholeModel.fwd, 2)}× forward), Adam ${fmt(adam.cpuMin, 1)} ms`);

// Kernel by kernel over whole steps: wall ms per step inside each backend method, by kernel and op.
const KERNEL_METHODS = ['unary', 'unaryGrad', 'binary', 'where', 'cast', 'reduce', 'matmul', 'copy', 'pad', 'concat', 'gather', 'scatterAdd', 'layerNorm', 'layerNormGrad', 'write', 'dispose'];
const perKernel = new Map();
let counting = false;
const originals = KERNEL_METHODS.map((k) => [k, wasm[k]]);
for (const [k, f] of originals) {
  wasm[k] = (...a) => {
    if (!counting) return f.apply(wasm, a);
    const t0 = performance.now();
    const r = f.apply(wasm, a);
    const key = ['unary', 'unaryGrad', 'binary', 'reduce'].includes(k) ? `${k} ${a[0]}` : k === 'matmul' ? `matmul ${a[0].shape.join('×')} · ${a[1].shape.join('×')}${a[2].transposeA ? ' ᵀ·' : ''}${a[2].transposeB ? ' ·ᵀ' : ''}` : k;
    const e = perKernel.get(key) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += performance.now() - t0;
    perKernel.set(key, e);
    return r;
  };
}
const KERNEL_STEPS = 3;
const kernelStep = () => sn.tidy(() => {
  const { value, grads: g } = sn.variableGrads(() => loss.forward(model.forward(ids), targets), params);
  stepOptimizer.step(g);
  value.dataSync();
});
kernelStep();
counting = true;
const k0 = performance.now();
for (let i = 0; i < KERNEL_STEPS; i++) kernelStep();
const stepWall = (performance.now() - k0) / KERNEL_STEPS;
counting = false;
for (const [k, f] of originals) wasm[k] = f;
const kernelRows = [...perKernel].map(([key, e]) => ({ key, calls: e.calls / KERNEL_STEPS, ms: e.ms / KERNEL_STEPS })).sort((a, b) => b.ms - a.ms);
const inKernels = kernelRows.reduce((n, r) => n + r.ms, 0);
const matmulMs = kernelRows.filter((r) => r.key.startsWith('matmul')).reduce((n, r) => n + r.ms, 0);
console.log(`\nkernels over ${KERNEL_STEPS} whole steps: ${fmt(stepWall, 0)} ms wall per step, ${fmt(inKernels, 0)} ms inside kernels (matmul ${fmt((100 * matmulMs) / inKernels, 0)}%, everything else ${fmt((100 * (inKernels - matmulMs)) / inKernels, 0)}%); the 25 largest:`);
const KW = [44, 8, 9, 7];
row(['kernel (op, operand shapes)', 'calls', 'ms/step', '%'], KW);
for (const r of kernelRows.slice(0, 25)) row([r.key.padEnd(KW[0]), fmt(r.calls, 0), fmt(r.ms, 1), fmt((100 * r.ms) / inKernels, 1)], KW);

sn.dispose([l0, ...grads.values()]);
optimizer.dispose();
stepOptimizer.dispose();
wasm.shutdown();
process.exit(0);

// One training step of the bench GPT (gpt-spec.mjs) in jax-js on its wasm device: token and position
// embeddings (`np.take`), pre-norm blocks of causal attention (matmuls, `np.where` over `np.tri`,
// `nn.softmax`) and an exact-erf GELU feed-forward (`nn.gelu` with
// `approximate: false`), a final LayerNorm, logits through the transposed token embedding, the mean
// log-softmax cross-entropy, and Adam written by hand (jax-js has no optimizers in its core package).
// The whole step (valueAndGrad and the Adam update) runs under `jit`, as jax-js's README trains;
// `--eager` adds the step without it. Each timed step reads the loss back and waits for the
// updated parameters.
//
//   node peers/jax-gpt-step.mjs [--threads 1|2] [--warmup 3] [--repeats 5] [--eager]
import { measure } from '../timing.mjs';
import { GPT_SPEC as S, TOKENS_PER_STEP, gptBatch } from './gpt-spec.mjs';
import { startJax } from './jax-setup.mjs';
import { emit, fail, parseArgs, say } from './protocol.mjs';

const PEER = 'jax-js';
const [BETA1, BETA2, EPS] = [0.9, 0.999, 1e-8];
const args = parseArgs();

try {
  const { jax, info } = await startJax(args.threads);
  const { numpy: np, nn, random } = jax;
  say(`${PEER} ${info.version}: wasm device, relaxed SIMD ${info.relaxedSimd}, ${info.threads} thread(s)`);

  let seed = 0;
  const normal = (shape, std) => random.normal(random.key(++seed), shape).mul(std);
  const init = () => {
    const p = { wte: normal([S.vocab, S.dModel], 0.02), wpe: normal([S.context, S.dModel], 0.02), lnfG: np.ones([S.dModel]), lnfB: np.zeros([S.dModel]) };
    for (let l = 0; l < S.layers; l++) {
      Object.assign(p, {
        [`ln1G${l}`]: np.ones([S.dModel]), [`ln1B${l}`]: np.zeros([S.dModel]),
        [`wqkv${l}`]: normal([S.dModel, 3 * S.dModel], 1 / Math.sqrt(S.dModel)), [`bqkv${l}`]: np.zeros([3 * S.dModel]),
        [`wo${l}`]: normal([S.dModel, S.dModel], 1 / Math.sqrt(S.dModel)), [`bo${l}`]: np.zeros([S.dModel]),
        [`ln2G${l}`]: np.ones([S.dModel]), [`ln2B${l}`]: np.zeros([S.dModel]),
        [`w1${l}`]: normal([S.dModel, S.ff], 1 / Math.sqrt(S.dModel)), [`b1${l}`]: np.zeros([S.ff]),
        [`w2${l}`]: normal([S.ff, S.dModel], 1 / Math.sqrt(S.ff)), [`b2${l}`]: np.zeros([S.dModel]),
      });
    }
    return p;
  };
  const refs = (tree) => Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, v.ref]));

  const layerNorm = (x, g, b) => {
    const centred = x.ref.sub(np.mean(x, -1, { keepdims: true }));
    const variance = np.mean(centred.ref.mul(centred.ref), -1, { keepdims: true });
    return centred.div(np.sqrt(variance.add(S.eps))).mul(g).add(b);
  };
  const headDim = S.dModel / S.heads;
  // nn.dotProductAttention would be the natural call, but its einsum needs iterator helpers (Node 22+);
  // on Node 20 the same attention is written out: scaled scores, the causal mask, softmax, values.
  const causal = np.tri(S.context, S.context, 0, { dtype: np.bool });
  const attention = (h, p, l) => {
    const qkv = np.matmul(h, p[`wqkv${l}`]).add(p[`bqkv${l}`]);
    const [q, k, v] = np.split(qkv, 3, -1).map((t) => np.transpose(t.reshape([S.batch, S.context, S.heads, headDim]), [0, 2, 1, 3]));
    const scores = np.matmul(q, np.matrixTranspose(k)).mul(1 / Math.sqrt(headDim));
    const weights = nn.softmax(np.where(causal.ref, scores, -Infinity), -1);
    const o = np.transpose(np.matmul(weights, v), [0, 2, 1, 3]).reshape([S.batch, S.context, S.dModel]);
    return np.matmul(o, p[`wo${l}`]).add(p[`bo${l}`]);
  };
  const feedForward = (h, p, l) =>
    np.matmul(nn.gelu(np.matmul(h, p[`w1${l}`]).add(p[`b1${l}`]), { approximate: false }), p[`w2${l}`]).add(p[`b2${l}`]);
  const loss = (p, ids, y) => {
    let x = np.take(p.wte.ref, ids, 0).add(p.wpe);
    for (let l = 0; l < S.layers; l++) {
      x = x.ref.add(attention(layerNorm(x, p[`ln1G${l}`], p[`ln1B${l}`]), p, l));
      x = x.ref.add(feedForward(layerNorm(x, p[`ln2G${l}`], p[`ln2B${l}`]), p, l));
    }
    const logits = np.matmul(layerNorm(x, p.lnfG, p.lnfB), np.matrixTranspose(p.wte)).reshape([TOKENS_PER_STEP, S.vocab]);
    return nn.logSoftmax(logits, -1).mul(y).sum().mul(-1 / TOKENS_PER_STEP);
  };
  const lossAndGrad = jax.valueAndGrad(loss);
  // `c1`, `c2` are Adam's bias corrections 1/(1-β^t), arrays so that no step bakes in a new constant.
  const train = (params, m, v, ids, y, c1, c2) => {
    const [value, grads] = lossAndGrad(refs(params), ids, y);
    const next = { params: {}, m: {}, v: {} };
    for (const k of Object.keys(params)) {
      const g = grads[k];
      const mk = m[k].mul(BETA1).add(g.ref.mul(1 - BETA1));
      const vk = v[k].mul(BETA2).add(g.ref.mul(g).mul(1 - BETA2));
      next.params[k] = params[k].sub(mk.ref.mul(c1.ref).mul(S.lr).div(np.sqrt(vk.ref.mul(c2.ref)).add(EPS)));
      next.m[k] = mk;
      next.v[k] = vk;
    }
    c1.dispose();
    c2.dispose();
    return [value, next.params, next.m, next.v];
  };

  const batch = gptBatch();
  const oneHot = new Float32Array(TOKENS_PER_STEP * S.vocab);
  batch.targets.forEach((t, i) => (oneHot[i * S.vocab + t] = 1));
  const modes = args.eager ? [['eager', train], ['jit', jax.jit(train)]] : [['jit', jax.jit(train)]];
  const result = { peer: PEER, ...info, tokensPerStep: TOKENS_PER_STEP };
  for (const [mode, f] of modes) {
    seed = 0;
    let params = init();
    result.parameters = Object.values(params).reduce((n, a) => n + a.size, 0);
    let m = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, np.zerosLike(p.ref)]));
    let v = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, np.zerosLike(p.ref)]));
    const ids = np.array(batch.ids, { dtype: np.int32 }).reshape([S.batch, S.context]);
    const y = np.array(oneHot).reshape([TOKENS_PER_STEP, S.vocab]);
    let t = 0;
    const losses = [];
    const step = async () => {
      t++;
      const c1 = np.array(1 / (1 - BETA1 ** t));
      const c2 = np.array(1 / (1 - BETA2 ** t));
      let value;
      [value, params, m, v] = f(params, m, v, ids.ref, y.ref, c1, c2);
      losses.push((await value.data())[0]);
      await jax.blockUntilReady([params, m, v]);
    };
    result[mode] = await measure(step, args);
    result[`${mode}Losses`] = losses;
    say(`  GPT step ${mode}: median ${result[mode].median.toFixed(1)} ms = ${(TOKENS_PER_STEP * 1000 / result[mode].median).toFixed(0)} tokens/s; loss ${losses[0].toFixed(3)} → ${losses.at(-1).toFixed(3)}`);
    for (const tree of [params, m, v]) for (const a of Object.values(tree)) a.dispose();
    ids.dispose();
    y.dispose();
    f.dispose?.();
  }
  emit(result);
} catch (e) {
  fail(PEER, e);
}

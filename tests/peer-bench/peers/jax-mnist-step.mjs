// One MNIST training step in jax-js on its wasm device — batch 64, softmax cross-entropy, Adam 1e-3
// written by hand (jax-js has no optimizers in its core package) — eagerly and with the whole step
// (valueAndGrad and the Adam update) under `jit`. Models: `mlp` 784-128-10 and `cnn`, the mnist-demo's network: conv 1→8
// 3×3 pad 1, maxpool 2, relu, batch norm (batch statistics); conv 8→16, maxpool, relu, batch norm;
// dense 784→10 (the batch norm keeps no running averages: a few tiny ops less than ScratchNet's).
// Each timed step reads the loss back and waits for the updated parameters.
//
//   node peers/jax-mnist-step.mjs [--threads 1|2] [--steps mlp,cnn] [--warmup 2] [--repeats 5]
import { measure } from '../timing.mjs';
import { startJax } from './jax-setup.mjs';
import { emit, fail, parseArgs, say } from './protocol.mjs';

const PEER = 'jax-js';
const BATCH = 64;
const LR = 1e-3;
const [BETA1, BETA2, EPS] = [0.9, 0.999, 1e-8];
const args = parseArgs();

try {
  const { jax, info } = await startJax(args.threads);
  const { numpy: np, nn, lax, random } = jax;
  say(`${PEER} ${info.version}: wasm device, relaxed SIMD ${info.relaxedSimd}, ${info.threads} thread(s)`);

  let seed = 0;
  const normal = (shape, std) => random.normal(random.key(++seed), shape).mul(std);
  const he = (shape, fanIn) => normal(shape, Math.sqrt(2 / fanIn));
  const refs = (tree) => Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, v.ref]));

  const models = {
    mlp: {
      input: [BATCH, 784],
      init: () => ({ w1: he([784, 128], 784), b1: np.zeros([128]), w2: he([128, 10], 128), b2: np.zeros([10]) }),
      logits: (p, x) => np.matmul(nn.relu(np.matmul(x, p.w1).add(p.b1)), p.w2).add(p.b2),
    },
    cnn: {
      input: [BATCH, 1, 28, 28],
      init: () => ({
        c1: he([8, 1, 3, 3], 9), c1b: np.zeros([8]), g1: np.ones([8]), be1: np.zeros([8]),
        c2: he([16, 8, 3, 3], 72), c2b: np.zeros([16]), g2: np.ones([16]), be2: np.zeros([16]),
        w: he([784, 10], 784), b: np.zeros([10]),
      }),
      logits: (p, x) => {
        const perChannel = (v) => v.reshape([1, -1, 1, 1]);
        const conv = (h, w, b) => lax.conv(h, w, [1, 1], 'SAME').add(perChannel(b));
        const pool = (h) => {
          const [n, c, hh, ww] = h.shape;
          return np.max(h.reshape([n, c, hh / 2, 2, ww / 2, 2]), [3, 5]);
        };
        const norm = (h, g, be) => {
          const centred = h.ref.sub(np.mean(h, [0, 2, 3], { keepdims: true }));
          const variance = np.mean(centred.ref.mul(centred.ref), [0, 2, 3], { keepdims: true });
          return centred.div(np.sqrt(variance.add(1e-5))).mul(perChannel(g)).add(perChannel(be));
        };
        let h = norm(nn.relu(pool(conv(x, p.c1, p.c1b))), p.g1, p.be1);
        h = norm(nn.relu(pool(conv(h, p.c2, p.c2b))), p.g2, p.be2);
        return np.matmul(h.reshape([BATCH, 784]), p.w).add(p.b);
      },
    },
  };

  const labels = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) labels[i * 10 + (i % 10)] = 1;

  const steps = [];
  for (const name of args.steps.length ? args.steps : ['mlp', 'cnn']) {
    const model = models[name];
    if (!model) throw new Error(`unknown model '${name}' (mlp, cnn)`);
    const loss = (p, x, y) => nn.logSoftmax(model.logits(p, x), -1).mul(y).sum().mul(-1 / BATCH);
    const lossAndGrad = jax.valueAndGrad(loss);
    // One whole step: loss and gradients, then Adam. `c1`, `c2` are the bias corrections 1/(1-β^t),
    // passed as arrays so that no step bakes a new constant into a compiled kernel.
    const train = (params, m, v, x, y, c1, c2) => {
      const [value, grads] = lossAndGrad(refs(params), x, y);
      const next = { params: {}, m: {}, v: {} };
      for (const k of Object.keys(params)) {
        const g = grads[k];
        const mk = m[k].mul(BETA1).add(g.ref.mul(1 - BETA1));
        const vk = v[k].mul(BETA2).add(g.ref.mul(g).mul(1 - BETA2));
        const mHat = mk.ref.mul(c1.ref);
        const vHat = vk.ref.mul(c2.ref);
        next.params[k] = params[k].sub(mHat.mul(LR).div(np.sqrt(vHat).add(EPS)));
        next.m[k] = mk;
        next.v[k] = vk;
      }
      c1.dispose();
      c2.dispose();
      return [value, next.params, next.m, next.v];
    };
    const row = { model: name };
    for (const [mode, f] of [['eager', train], ['jit', jax.jit(train)]]) {
      seed = 0;
      let params = model.init();
      let m = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, np.zerosLike(p.ref)]));
      let v = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, np.zerosLike(p.ref)]));
      const x = random.uniform(random.key(99), model.input);
      const y = np.array(labels).reshape([BATCH, 10]);
      let t = 0;
      const step = async () => {
        t++;
        const c1 = np.array(1 / (1 - BETA1 ** t));
        const c2 = np.array(1 / (1 - BETA2 ** t));
        let value;
        [value, params, m, v] = f(params, m, v, x.ref, y.ref, c1, c2);
        await value.data();
        await jax.blockUntilReady([params, m, v]);
      };
      row[mode] = await measure(step, args);
      say(`  ${name} step ${mode}: median ${row[mode].median.toFixed(2)} ms = ${((BATCH * 1000) / row[mode].median).toFixed(0)} samples/s`);
      for (const tree of [params, m, v]) for (const a of Object.values(tree)) a.dispose();
      x.dispose();
      y.dispose();
      f.dispose?.();
    }
    steps.push(row);
  }
  emit({ peer: PEER, ...info, batch: BATCH, steps });
} catch (e) {
  fail(PEER, e);
}

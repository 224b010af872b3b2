// The main job until the MNIST demo exists: trains a small MLP on a generated 2-D data set
// (three interleaved spirals) with core's autodiff and plain SGD, and prints the loss falling.
import {
  RandomGenerator, add, argmax, equal, getBackendName, logSoftmax, matmul, mean, mul, oneHot, ready, relu,
  sub, sum, tensor, tidy, variable, variableGrads, randomNormal, zeros, cast, memory,
} from '@scratchnet/core';
import '@scratchnet/backend-js';

const CLASSES = 3;
const PER_CLASS = 100;

/** Three spirals in the plane, with a little seeded noise. */
function spirals(seed) {
  const noise = new RandomGenerator(seed).normal(CLASSES * PER_CLASS);
  const xs = new Float32Array(CLASSES * PER_CLASS * 2);
  const ys = new Int32Array(CLASSES * PER_CLASS);
  for (let c = 0; c < CLASSES; c++) {
    for (let i = 0; i < PER_CLASS; i++) {
      const k = c * PER_CLASS + i;
      const r = i / PER_CLASS;
      const t = c * 4 + r * 4 + noise[k] * 0.2;
      xs[2 * k] = r * Math.sin(t);
      xs[2 * k + 1] = r * Math.cos(t);
      ys[k] = c;
    }
  }
  return { x: tensor(xs, [CLASSES * PER_CLASS, 2]), y: tensor(ys, [CLASSES * PER_CLASS], 'int32') };
}

function dense(inputs, outputs, gen) {
  const std = Math.sqrt(2 / inputs); // He initialisation for ReLU layers
  return { w: variable(randomNormal([inputs, outputs], { std, seed: gen })), b: variable(zeros([outputs])) };
}

await ready();
const gen = new RandomGenerator(42);
const { x, y } = spirals(7);
const targets = oneHot(y, CLASSES);
const layers = [dense(2, 32, gen), dense(32, 32, gen), dense(32, CLASSES, gen)];

const forward = (input) =>
  layers.reduce((h, { w, b }, i) => {
    const z = add(matmul(h, w), b);
    return i < layers.length - 1 ? relu(z) : z;
  }, input);

const crossEntropy = (logits) => mul(mean(sum(mul(targets, logSoftmax(logits)), 1)), -1);

console.log(`ScratchNet toy example: 3-class spirals, ${CLASSES * PER_CLASS} points, MLP 2-32-32-3, SGD, backend '${getBackendName()}'`);
const lr = 0.5;
const started = performance.now();
const startTensors = memory().numTensors;
for (let epoch = 0; epoch <= 600; epoch++) {
  const loss = tidy(() => {
    const { value, grads } = variableGrads(() => crossEntropy(forward(x)));
    for (const [v, g] of grads) v.assign(sub(v, mul(g, lr)));
    return value;
  });
  if (epoch % 60 === 0) {
    const acc = tidy(() => mean(cast(equal(argmax(forward(x), 1), y), 'float32')).dataSync()[0]);
    console.log(`epoch ${String(epoch).padStart(4)}  loss ${loss.dataSync()[0].toFixed(4)}  accuracy ${(acc * 100).toFixed(1)}%`);
  }
  loss.dispose();
}
console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; live tensors before training ${startTensors}, after ${memory().numTensors}`);

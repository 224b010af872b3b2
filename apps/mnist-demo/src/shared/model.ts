/**
 * The networks the demo trains, the optimizers it offers, and helpers to classify a data set and
 * tabulate the result.
 */
import { argmax, noGrad, softmax, tidy, type Tensor } from '@scratchnet/core';
import {
  Adam, AdamW, BatchNorm2D, Conv2D, Flatten, Linear, MaxPool2D, ReLU, RMSprop, SGD, Sequential,
  type Module, type Optimizer, type TensorDataset,
} from '@scratchnet/layers';
import { CLASSES } from './data.js';

/** Architectures the demo knows. */
export const MODEL_KINDS = ['cnn', 'wide', 'mlp'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Optimizers the demo knows. */
export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A good default learning rate per optimizer. */
export const DEFAULT_LR: Record<OptimizerName, number> = { adam: 0.003, adamw: 0.003, sgd: 0.05, rmsprop: 0.001 };

/**
 * Builds a network for `channels × side × side` images and `classes` classes, seeded.
 *
 * `cnn` is the seed's network: Conv 1→8 3×3 pad 1, MaxPool 2, ReLU, BatchNorm; Conv 8→16, MaxPool,
 * ReLU, BatchNorm; Flatten; Linear (16·(side/4)² → classes; 784 → 10 for MNIST).
 * `wide` is a wider CNN for full MNIST: Conv 1→32 3×3 pad 1, BatchNorm, ReLU, MaxPool 2; Conv 32→64,
 * BatchNorm, ReLU, MaxPool 2; Flatten; Linear (64·(side/4)² → 128; 3136 for MNIST), ReLU, Linear → classes.
 * `mlp` is Flatten, Linear → 128, ReLU, Linear → classes.
 */
export function buildModel(kind: ModelKind, seed: number, side = 28, channels = 1, classes = CLASSES): Sequential {
  if (kind === 'mlp') {
    return new Sequential([
      new Flatten(),
      new Linear(channels * side * side, 128, { seed: seed + 1 }),
      new ReLU(),
      new Linear(128, classes, { seed: seed + 2 }),
    ]);
  }
  const quarter = Math.floor(Math.floor(side / 2) / 2);
  if (kind === 'wide') {
    return new Sequential([
      new Conv2D(channels, 32, 3, { padding: 1, seed: seed + 1 }),
      new BatchNorm2D(32),
      new ReLU(),
      new MaxPool2D(2),
      new Conv2D(32, 64, 3, { padding: 1, seed: seed + 2 }),
      new BatchNorm2D(64),
      new ReLU(),
      new MaxPool2D(2),
      new Flatten(),
      new Linear(64 * quarter * quarter, 128, { seed: seed + 3 }),
      new ReLU(),
      new Linear(128, classes, { seed: seed + 4 }),
    ]);
  }
  return new Sequential([
    new Conv2D(channels, 8, 3, { padding: 1, seed: seed + 1 }),
    new MaxPool2D(2),
    new ReLU(),
    new BatchNorm2D(8),
    new Conv2D(8, 16, 3, { padding: 1, seed: seed + 2 }),
    new MaxPool2D(2),
    new ReLU(),
    new BatchNorm2D(16),
    new Flatten(),
    new Linear(16 * quarter * quarter, classes, { seed: seed + 3 }),
  ]);
}

/** Makes the named optimizer over `model`'s parameters. */
export function makeOptimizer(name: OptimizerName, model: Module, lr: number): Optimizer {
  const params = model.parameters();
  switch (name) {
    case 'sgd':
      return new SGD(params, { lr, momentum: 0.9 });
    case 'rmsprop':
      return new RMSprop(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
    default:
      return new Adam(params, { lr });
  }
}

/** What {@link classify} returns. */
export interface Classified {
  /** Predicted class per sample. */
  readonly predicted: Int32Array;
  /** True class per sample. */
  readonly actual: Int32Array;
  /** Softmax probability of the predicted class, per sample. */
  readonly confidence: Float32Array;
  /** Fraction of samples classified correctly. */
  readonly accuracy: number;
}

/**
 * Runs `model` in evaluation mode over every sample of `data` in batches and returns the
 * predicted and true class of each. Reads results asynchronously, so it works on every backend.
 */
export async function classify(model: Module, data: TensorDataset, batchSize = 250): Promise<Classified> {
  const predicted = new Int32Array(data.size);
  const actual = new Int32Array(data.size);
  const confidence = new Float32Array(data.size);
  const wasTraining = model.training;
  let at = 0;
  let right = 0;
  for (const b of data.batches(batchSize)) {
    // Evaluation mode only while the forward pass runs: another task (a training loop) may run
    // during the awaits below and must find the model as it left it.
    model.eval();
    let p: Tensor;
    let c: Tensor;
    try {
      [p, c] = noGrad(() =>
        tidy(() => {
          const probs = softmax(model.forward(b.x), 1);
          return [argmax(probs, 1), probs.max(1)] as [Tensor, Tensor];
        }),
      );
    } finally {
      model.train(wasTraining);
    }
    const [pv, cv, yv] = await Promise.all([p.data(), c.data(), b.y.data()]);
    for (let i = 0; i < b.size; i++) {
      predicted[at + i] = pv[i]!;
      actual[at + i] = yv[i]!;
      confidence[at + i] = cv[i]!;
      if (pv[i] === yv[i]) right++;
    }
    at += b.size;
    [p, c, b.x, b.y].forEach((t) => t.dispose());
  }
  return { predicted, actual, confidence, accuracy: data.size ? right / data.size : 0 };
}

/** `matrix[actual][predicted]` counts over `classes` classes. */
export function confusionMatrix(result: Pick<Classified, 'predicted' | 'actual'>, classes = CLASSES): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  result.actual.forEach((a, i) => (m[a]![result.predicted[i]!]! += 1));
  return m;
}

/** The ten class probabilities for one input `[1, C, H, W]`, in evaluation mode. */
export async function probabilities(model: Module, input: Tensor): Promise<Float32Array> {
  const wasTraining = model.training;
  model.eval();
  let p: Tensor;
  try {
    p = noGrad(() => tidy(() => softmax(model.forward(input), 1)));
  } finally {
    model.train(wasTraining);
  }
  const values = await p.data();
  p.dispose();
  return Float32Array.from(values);
}

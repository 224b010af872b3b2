import { reference } from '@scratchnet/core/testing';
import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '../src/layers/activations.js';
import { BatchNorm1D, BatchNorm2D } from '../src/layers/batchnorm.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { Linear } from '../src/layers/linear.js';
import { AvgPool2D, MaxPool2D } from '../src/layers/pooling.js';
import { Dropout, Flatten } from '../src/layers/shape-layers.js';
import type { Module } from '../src/module.js';
import { Sequential } from '../src/sequential.js';
import type { NDArray } from './ref-types.js';

const r = reference;

/** One layer to check: how to build it, its input shape, and its float64 reference forward. */
export interface LayerCase {
  name: string;
  make: () => Module;
  input: number[];
  /** Reference forward: the input then the parameters in namedParameters() order. */
  ref: (x: NDArray, ...params: NDArray[]) => NDArray;
  /** Evaluate in training mode (default false = eval). */
  training?: boolean;
}

function addBias(y: NDArray, b: NDArray, axis: number): NDArray {
  const shape = y.shape.map((d, i) => (i === axis ? d : 1));
  return r.refBinary('add', y, r.refReshape(b, shape));
}

/** (x − mean) / √(var + eps) · w + b over every axis but 1, with the biased batch variance. */
function refBatchNorm(x: NDArray, w: NDArray, b: NDArray, eps: number): NDArray {
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const mean = r.refReduce('sum', x, axes, true);
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const m = r.refBinary('div', mean, n);
  const centered = r.refBinary('sub', x, m);
  const v = r.refBinary('div', r.refReduce('sum', r.refBinary('mul', centered, centered), axes, true), n);
  const normed = r.refBinary('div', centered, r.refUnary('sqrt', r.refBinary('add', v, eps)));
  const cs = x.shape.map((d, i) => (i === 1 ? d : 1));
  return r.refBinary('add', r.refBinary('mul', normed, r.refReshape(w, cs)), r.refReshape(b, cs));
}

export const layerCases: LayerCase[] = [
  { name: 'Linear 7→5 on [3,7]', make: () => new Linear(7, 5, { seed: 1 }), input: [3, 7], ref: (x, w, b) => addBias(r.refMatmul(x, w, false, true), b, 1) },
  { name: 'Linear 4→3 on [2,5,4] (batched)', make: () => new Linear(4, 3, { seed: 2, biasInit: { constant: 0.3 } }), input: [2, 5, 4], ref: (x, w, b) => addBias(r.refMatmul(x, w, false, true), b, 2) },
  { name: 'Linear without bias', make: () => new Linear(6, 2, { seed: 3, bias: false, weightInit: 'xavierNormal' }), input: [4, 6], ref: (x, w) => r.refMatmul(x, w, false, true) },
  {
    name: 'Conv2D 3→4 k3 pad 1', make: () => new Conv2D(3, 4, 3, { padding: 1, seed: 4 }), input: [2, 3, 7, 6],
    ref: (x, w, b) => addBias(r.refConv2d(x, w, { padding: 1 }), b, 1),
  },
  {
    name: "Conv2D 2→4 k[3,2] stride 2 'same' dilation 1", make: () => new Conv2D(2, 4, [3, 2], { stride: 2, padding: 'same', seed: 5 }), input: [1, 2, 9, 8],
    ref: (x, w, b) => addBias(r.refConv2d(x, w, { stride: 2, padding: 'same' }), b, 1),
  },
  {
    name: 'Conv2D 4→4 groups 2 dilation 2, no bias', make: () => new Conv2D(4, 4, 3, { groups: 2, dilation: 2, bias: false, seed: 6 }), input: [2, 4, 9, 9],
    ref: (x, w) => r.refConv2d(x, w, { groups: 2, dilation: 2 }),
  },
  { name: 'MaxPool2D 2', make: () => new MaxPool2D(2), input: [2, 3, 6, 7], ref: (x) => r.refPool2d('max', x, 2) },
  { name: 'MaxPool2D 3 stride 2 pad 1', make: () => new MaxPool2D(3, { stride: 2, padding: 1 }), input: [1, 2, 7, 7], ref: (x) => r.refPool2d('max', x, 3, { stride: 2, padding: 1 }) },
  { name: 'AvgPool2D 2', make: () => new AvgPool2D(2), input: [2, 2, 6, 5], ref: (x) => r.refPool2d('avg', x, 2) },
  { name: "AvgPool2D 3 'same'", make: () => new AvgPool2D(3, { stride: 1, padding: 'same' }), input: [1, 2, 5, 5], ref: (x) => r.refPool2d('avg', x, 3, { stride: 1, padding: 'same' }) },
  { name: 'BatchNorm1D on [6,4] (training)', make: () => new BatchNorm1D(4), input: [6, 4], training: true, ref: (x, w, b) => refBatchNorm(x, w, b, 1e-5) },
  { name: 'BatchNorm1D on [5,3,4] (training)', make: () => new BatchNorm1D(3), input: [5, 3, 4], training: true, ref: (x, w, b) => refBatchNorm(x, w, b, 1e-5) },
  { name: 'BatchNorm2D on [3,4,5,5] (training)', make: () => new BatchNorm2D(4, { eps: 1e-3 }), input: [3, 4, 5, 5], training: true, ref: (x, w, b) => refBatchNorm(x, w, b, 1e-3) },
  {
    name: 'BatchNorm2D eval uses running statistics', make: () => new BatchNorm2D(2), input: [2, 2, 3, 3],
    ref: (x, w, b) => {
      const cs = [1, 2, 1, 1];
      const normed = r.refBinary('div', x, Math.sqrt(1 + 1e-5));
      return r.refBinary('add', r.refBinary('mul', normed, r.refReshape(w, cs)), r.refReshape(b, cs));
    },
  },
  { name: 'Flatten', make: () => new Flatten(), input: [2, 3, 4, 5], ref: (x) => r.refFlatten(x, 1) },
  { name: 'Dropout in eval is the identity', make: () => new Dropout(0.5, { seed: 1 }), input: [4, 6], ref: (x) => x },
  { name: 'ReLU', make: () => new ReLU(), input: [4, 7], ref: (x) => r.refUnary('relu', x) },
  { name: 'LeakyReLU 0.2', make: () => new LeakyReLU(0.2), input: [4, 7], ref: (x) => r.refUnary('leakyRelu', x, 0.2) },
  { name: 'Sigmoid', make: () => new Sigmoid(), input: [3, 5], ref: (x) => r.refUnary('sigmoid', x) },
  { name: 'Tanh', make: () => new Tanh(), input: [3, 5], ref: (x) => r.refUnary('tanh', x) },
  { name: 'Softmax', make: () => new Softmax(), input: [3, 6], ref: (x) => r.refSoftmax(x, -1) },
  { name: 'Softmax dim 1 of 3-D', make: () => new Softmax(1), input: [2, 4, 3], ref: (x) => r.refSoftmax(x, 1) },
  { name: 'GELU', make: () => new GELU(), input: [3, 5], ref: (x) => r.refUnary('gelu', x) },
  {
    name: 'Sequential Linear–Tanh–Linear', make: () => new Sequential([new Linear(3, 4, { seed: 7 }), new Tanh(), new Linear(4, 2, { seed: 8 })]), input: [5, 3],
    ref: (x, w0, b0, w1, b1) => addBias(r.refMatmul(r.refUnary('tanh', addBias(r.refMatmul(x, w0, false, true), b0, 1)), w1, false, true), b1, 1),
  },
];

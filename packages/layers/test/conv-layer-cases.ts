import { reference } from '@scratchnet/core/testing';
import { Conv1D } from '../src/layers/conv1d.js';
import { ConvTranspose2D } from '../src/layers/conv-transpose2d.js';
import { Upsample } from '../src/layers/upsample.js';
import type { LayerCase } from './layer-cases.js';
import type { NDArray } from './ref-types.js';

const r = reference;

function addBias(y: NDArray, b: NDArray): NDArray {
  return r.refBinary('add', y, r.refReshape(b, y.shape.map((d, i) => (i === 1 ? d : 1))));
}

/** The convolution-family layers of issue 13 (Conv1D, ConvTranspose2D, Upsample), checked like every layer case. */
export const convLayerCases: LayerCase[] = [
  {
    name: 'Conv1D 3→4 k3 pad 1', make: () => new Conv1D(3, 4, 3, { padding: 1, seed: 11 }), input: [2, 3, 9],
    ref: (x, w, b) => addBias(r.refConv1d(x, w, { padding: 1 }), b),
  },
  {
    name: "Conv1D 4→6 k4 stride 2 'same' groups 2, no bias", make: () => new Conv1D(4, 6, 4, { stride: 2, padding: 'same', groups: 2, bias: false, seed: 12 }), input: [1, 4, 11],
    ref: (x, w) => r.refConv1d(x, w, { stride: 2, padding: 'same', groups: 2 }),
  },
  {
    name: 'ConvTranspose2D 3→2 k3 stride 2 pad 1 outputPadding 1', make: () => new ConvTranspose2D(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1, seed: 13 }), input: [2, 3, 4, 5],
    ref: (x, w, b) => addBias(r.refConvTranspose(x, w, { stride: 2, padding: 1, outputPadding: 1 }), b),
  },
  {
    name: 'ConvTranspose2D 4→6 k[2,3] groups 2 dilation 2, no bias', make: () => new ConvTranspose2D(4, 6, [2, 3], { groups: 2, dilation: 2, bias: false, seed: 14 }), input: [1, 4, 3, 4],
    ref: (x, w) => r.refConvTranspose(x, w, { groups: 2, dilation: 2 }),
  },
  { name: 'Upsample nearest 2×', make: () => new Upsample({ scaleFactor: 2 }), input: [1, 2, 3, 4], ref: (x) => r.refInterpolate(x, { scaleFactor: 2 }) },
  {
    name: 'Upsample bilinear size [7,5] alignCorners', make: () => new Upsample({ size: [7, 5], mode: 'bilinear', alignCorners: true }), input: [2, 2, 4, 3],
    ref: (x) => r.refInterpolate(x, { size: [7, 5], mode: 'bilinear', alignCorners: true }),
  },
  { name: 'Upsample linear 1.5× (3-D)', make: () => new Upsample({ scaleFactor: 1.5, mode: 'linear' }), input: [2, 3, 6], ref: (x) => r.refInterpolate(x, { scaleFactor: 1.5, mode: 'linear' }) },
];

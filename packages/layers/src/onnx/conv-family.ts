/**
 * ONNX mappings of the convolution-family layers (issue 13): Conv1D → Conv over one spatial axis,
 * ConvTranspose2D → ConvTranspose (ONNX keeps PyTorch's [in, out / groups, kh, kw] weight layout),
 * Upsample with a scale factor → Resize (opset 13 attributes that reproduce interpolate's coordinates).
 */
import { ArgumentError, type Tensor } from '@scratchnet/core';
import type { Module } from '../module.js';
import { Conv1D } from '../layers/conv1d.js';
import { ConvTranspose2D } from '../layers/conv-transpose2d.js';
import { Upsample } from '../layers/upsample.js';
import type { OnnxAttribute } from './onnx-proto.js';

/** The part of the exporter's graph builder these mappings use. */
export interface ConvFamilyGraph {
  op(opType: string, path: string, inputs: readonly string[], attributes?: readonly OnnxAttribute[]): string;
  weight(path: string, source: Tensor): string;
  values(path: string, dims: readonly number[], values: Float32Array): string;
}

/** The module classes mapped here. */
export const CONV_FAMILY_ONNX_MODULES: readonly string[] = ['Conv1D', 'ConvTranspose2D', 'Upsample'];

const pairOf = (p: number | readonly [number, number]): [number, number] => (typeof p === 'number' ? [p, p] : [p[0], p[1]]);

function convInputs(b: ConvFamilyGraph, m: Conv1D | ConvTranspose2D, x: string, at: string): string[] {
  const inputs = [x, b.weight(`${at}.weight`, m.weight)];
  if (m.bias) inputs.push(b.weight(`${at}.bias`, m.bias));
  return inputs;
}

function emitConv1d(b: ConvFamilyGraph, m: Conv1D, x: string, at: string): string {
  const o = m.options;
  const padding = o.padding ?? 0;
  const attrs: OnnxAttribute[] = [
    { name: 'kernel_shape', kind: 'ints', value: [m.kernelSize] },
    { name: 'strides', kind: 'ints', value: [o.stride ?? 1] },
    { name: 'dilations', kind: 'ints', value: [o.dilation ?? 1] },
    { name: 'group', kind: 'int', value: o.groups ?? 1 },
  ];
  // 'same' puts its odd cell at the end, as ONNX's SAME_UPPER.
  if (padding === 'same') attrs.push({ name: 'auto_pad', kind: 'string', value: 'SAME_UPPER' });
  else attrs.push({ name: 'pads', kind: 'ints', value: padding === 'valid' ? [0, 0] : [padding, padding] });
  return b.op('Conv', at, convInputs(b, m, x, at), attrs);
}

function emitConvTranspose2d(b: ConvFamilyGraph, m: ConvTranspose2D, x: string, at: string): string {
  const o = m.options;
  const [ph, pw] = pairOf(o.padding ?? 0);
  return b.op('ConvTranspose', at, convInputs(b, m, x, at), [
    { name: 'kernel_shape', kind: 'ints', value: m.kernelSize },
    { name: 'strides', kind: 'ints', value: pairOf(o.stride ?? 1) },
    { name: 'dilations', kind: 'ints', value: pairOf(o.dilation ?? 1) },
    { name: 'pads', kind: 'ints', value: [ph, pw, ph, pw] },
    { name: 'output_padding', kind: 'ints', value: pairOf(o.outputPadding ?? 0) },
    { name: 'group', kind: 'int', value: o.groups ?? 1 },
  ]);
}

function emitUpsample(b: ConvFamilyGraph, m: Upsample, x: string, at: string): string {
  const { scaleFactor, mode = 'nearest', alignCorners = false, recomputeScaleFactor = false } = m.options;
  if (scaleFactor === undefined || recomputeScaleFactor) {
    throw new ArgumentError(
      `exportOnnx: Upsample at '${at}' ${scaleFactor === undefined ? 'gives an output size' : 'recomputes its scale factor'}; only Upsample with a scaleFactor can be exported (Resize with scales; an output size would need the input's batch and channel sizes)`,
    );
  }
  if (mode === 'nearest' && typeof scaleFactor === 'number') {
    throw new ArgumentError(
      `exportOnnx: Upsample at '${at}' has mode 'nearest' and one scaleFactor, which does not say how many spatial axes its input has; give one factor per axis (e.g. [${scaleFactor}, ${scaleFactor}])`,
    );
  }
  const spatial = mode === 'linear' ? 1 : mode === 'bilinear' ? 2 : (scaleFactor as readonly number[]).length;
  const factors = typeof scaleFactor === 'number' ? new Array<number>(spatial).fill(scaleFactor) : [...scaleFactor];
  const scales = b.values(`${at}.scales`, [factors.length + 2], Float32Array.from([1, 1, ...factors]));
  const attrs: OnnxAttribute[] = mode === 'nearest'
    ? [
      // interpolate's 'nearest': floor(dst / scaleFactor).
      { name: 'mode', kind: 'string', value: 'nearest' },
      { name: 'coordinate_transformation_mode', kind: 'string', value: 'asymmetric' },
      { name: 'nearest_mode', kind: 'string', value: 'floor' },
    ]
    : [
      { name: 'mode', kind: 'string', value: 'linear' },
      { name: 'coordinate_transformation_mode', kind: 'string', value: alignCorners ? 'align_corners' : 'half_pixel' },
    ];
  // Resize's inputs: X, roi (unused: empty name), scales.
  return b.op('Resize', at, [x, '', scales], attrs);
}

/** Emits `m` when it is a convolution-family layer and returns its output's name; null for any other module. */
export function emitConvFamily(b: ConvFamilyGraph, m: Module, x: string, at: string): string | null {
  if (m instanceof Conv1D) return emitConv1d(b, m, x, at);
  if (m instanceof ConvTranspose2D) return emitConvTranspose2d(b, m, x, at);
  if (m instanceof Upsample) return emitUpsample(b, m, x, at);
  return null;
}

/** The default graph input shape when `m` is the first layer; null when it is not one of these layers. */
export function convFamilyInputShape(m: Module): (number | string)[] | null {
  if (m instanceof Conv1D) return ['N', m.inChannels, 'L'];
  if (m instanceof ConvTranspose2D) return ['N', m.inChannels, 'H', 'W'];
  return null;
}

/**
 * ONNX export: walks a model's modules and writes the equivalent ONNX graph (opset 13 by default), so a
 * model trained here can be served by an established engine (onnxruntime, TensorRT, OpenVINO...).
 * The graph is the model in inference mode: Dropout is the identity and BatchNorm uses its running
 * statistics, whatever `model.training` says.
 */
import { ArgumentError, Tensor, type Pair, type Padding2d, type TypedArray } from '@scratchnet/core';
import { Module, type AnyModule } from '../module.js';
import { Sequential } from '../sequential.js';
import { Linear } from '../layers/linear.js';
import { Conv2D } from '../layers/conv2d.js';
import { AvgPool2D, MaxPool2D } from '../layers/pooling.js';
import { BatchNorm1D, BatchNorm2D } from '../layers/batchnorm.js';
import { Dropout, Flatten } from '../layers/shape-layers.js';
import { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '../layers/activations.js';
import { GRU, LSTM, RNN } from '../layers/recurrent.js';
import { RECURRENT_ONNX_MODULES, emitRecurrent, recurrentInputShape } from './recurrent.js';
import { encodeModel, type OnnxAttribute, type OnnxInitializer, type OnnxNode } from './onnx-proto.js';
import { CONV_FAMILY_ONNX_MODULES, convFamilyInputShape, emitConvFamily } from './conv-family.js';
import { SEQUENCE_ONNX_MODULES, emitSequenceModule } from './sequence-export.js';
import { LANGUAGE_MODEL_ONNX_MODULES, emitLanguageModel, readsTokenIds } from './language-models.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * The input's shape: sizes, or names for symbolic axes (e.g. ['N', 1, 28, 28]). By default it is
   * taken from the first layer (['N', inChannels, 'H', 'W'] for Conv2D, ['N', inFeatures] for Linear,
   * ['N', 'T'] for token ids), or left unspecified.
   */
  inputShape?: readonly (number | string)[];
  /**
   * Element type of the graph input of a model that reads token ids (GPT, LSTMLanguageModel, or a
   * model whose first layer is an Embedding): 'int64' (default, as PyTorch exports ids) or 'int32'
   * (ScratchNet's id dtype; ONNX Gather takes either).
   */
  idsDtype?: 'int64' | 'int32';
  /** Name of the graph input (default 'input'). */
  inputName?: string;
  /** Name of the graph output (default 'output'). */
  outputName?: string;
  /** ONNX opset of the default domain, 13 or later (default 13). */
  opsetVersion?: number;
  /** Name of the graph (default the model's class name). */
  graphName?: string;
}

/** The module classes {@link exportOnnx} maps to ONNX operators. */
export const ONNX_SUPPORTED_MODULES: readonly string[] = [
  ...RECURRENT_ONNX_MODULES,
  'Sequential', 'Linear', 'Conv2D', 'MaxPool2D', 'AvgPool2D', 'BatchNorm1D', 'BatchNorm2D', 'Flatten', 'Dropout',
  'ReLU', 'LeakyReLU', 'Sigmoid', 'Tanh', 'Softmax', 'GELU',
  ...CONV_FAMILY_ONNX_MODULES,
  ...SEQUENCE_ONNX_MODULES,
  ...LANGUAGE_MODEL_ONNX_MODULES,
];

/** A weight read from a tensor when the model is encoded (optionally rearranged on the host). */
interface PendingWeight {
  name: string;
  dims: readonly number[];
  source: Tensor | Float32Array | BigInt64Array;
  transform?: (values: Float32Array) => Float32Array;
}

const pairOf = (p: Pair): [number, number] => (typeof p === 'number' ? [p, p] : [p[0], p[1]]);

/** Collects nodes and weights while the module tree is walked. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly weights: PendingWeight[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<number, string>();
  /** Tensors that hold integer token ids (the graph input of a model that reads ids). */
  readonly idNames = new Set<string>();

  constructor(readonly opsetVersion: number) {}

  /** A tensor name not used before, derived from `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  op(opType: string, path: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = []): string {
    const name = this.fresh(`${path}/${opType}`);
    this.nodes.push({ name, opType, inputs, outputs: [name], attributes });
    return name;
  }

  /** Adds a float32 initializer from a parameter or buffer. */
  weight(path: string, source: Tensor, transform?: PendingWeight['transform'], dims: readonly number[] = source.shape): string {
    if (source.dtype !== 'float32') {
      throw new ArgumentError(`exportOnnx: '${path}' is ${source.dtype}; only float32 weights can be exported`);
    }
    const name = this.fresh(path);
    this.weights.push({ name, dims, source, ...(transform ? { transform } : {}) });
    return name;
  }

  /** A float32 initializer of fixed values. */
  values(path: string, dims: readonly number[], values: Float32Array): string {
    const name = this.fresh(path);
    this.weights.push({ name, dims, source: values });
    return name;
  }

  /** An int64 initializer (shapes and axes that operators such as Reshape take as inputs; dims [] for a scalar). */
  int64(path: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh(path);
    this.weights.push({ name, dims, source: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  /** Whether the tensor `name` holds integer token ids. */
  readsIds(name: string): boolean {
    return this.idNames.has(name);
  }

  /** A shared float32 scalar constant. */
  scalar(value: number): string {
    let name = this.constants.get(value);
    if (name === undefined) {
      name = this.values(`const_${String(value).replace(/[^0-9a-zA-Z]/g, '_')}`, [], Float32Array.of(value));
      this.constants.set(value, name);
    }
    return name;
  }
}

function windowAttributes(kernel: Pair, stride: Pair, padding: Padding2d, dilation?: Pair): OnnxAttribute[] {
  const attrs: OnnxAttribute[] = [
    { name: 'kernel_shape', kind: 'ints', value: pairOf(kernel) },
    { name: 'strides', kind: 'ints', value: pairOf(stride) },
  ];
  if (dilation !== undefined) attrs.push({ name: 'dilations', kind: 'ints', value: pairOf(dilation) });
  if (padding === 'same') {
    // ScratchNet puts the odd cell of 'same' padding at the bottom / right, as ONNX's SAME_UPPER.
    attrs.push({ name: 'auto_pad', kind: 'string', value: 'SAME_UPPER' });
  } else {
    const [ph, pw] = padding === 'valid' ? [0, 0] : pairOf(padding);
    attrs.push({ name: 'pads', kind: 'ints', value: [ph, pw, ph, pw] });
  }
  return attrs;
}

function transpose2d(rows: number, cols: number): (v: Float32Array) => Float32Array {
  return (v) => {
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c]!;
    return out;
  };
}

/** Emits the nodes of `m` reading `x`; returns the name of its output. */
function emit(b: GraphBuilder, m: Module, x: string, path: string): string {
  const at = path === '' ? m.className : path;
  if (m instanceof Sequential) {
    return m.layers.reduce((h, layer, i) => emit(b, layer, h, path === '' ? String(i) : `${path}.${i}`), x);
  }
  if (m instanceof LSTM || m instanceof GRU || m instanceof RNN) return emitRecurrent(b, m, x, at);
  if (m instanceof Linear) {
    // y = x·Wᵀ + b: MatMul with the transposed weight ([in, out]) works for inputs of any rank.
    const w = b.weight(`${at}.weight`, m.weight, transpose2d(m.outFeatures, m.inFeatures), [m.inFeatures, m.outFeatures]);
    const y = b.op('MatMul', at, [x, w]);
    return m.bias ? b.op('Add', at, [y, b.weight(`${at}.bias`, m.bias)]) : y;
  }
  if (m instanceof Conv2D) {
    const o = m.options;
    const inputs = [x, b.weight(`${at}.weight`, m.weight)];
    if (m.bias) inputs.push(b.weight(`${at}.bias`, m.bias));
    return b.op('Conv', at, inputs, [
      ...windowAttributes(m.kernelSize, o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1),
      { name: 'group', kind: 'int', value: o.groups ?? 1 },
    ]);
  }
  if (m instanceof MaxPool2D || m instanceof AvgPool2D) {
    const attrs = windowAttributes(m.kernelSize, m.options.stride ?? m.kernelSize, m.options.padding ?? 0);
    if (m instanceof MaxPool2D) return b.op('MaxPool', at, [x], attrs);
    // ScratchNet averages only the cells inside the input.
    return b.op('AveragePool', at, [x], [...attrs, { name: 'count_include_pad', kind: 'int', value: 0 }]);
  }
  if (m instanceof BatchNorm1D || m instanceof BatchNorm2D) {
    const c = m.numFeatures;
    const scale = m.weight ? b.weight(`${at}.weight`, m.weight) : b.values(`${at}.weight`, [c], new Float32Array(c).fill(1));
    const shift = m.bias ? b.weight(`${at}.bias`, m.bias) : b.values(`${at}.bias`, [c], new Float32Array(c));
    const inputs = [x, scale, shift, b.weight(`${at}.runningMean`, m.runningMean), b.weight(`${at}.runningVar`, m.runningVar)];
    return b.op('BatchNormalization', at, inputs, [{ name: 'epsilon', kind: 'float', value: m.eps }]);
  }
  if (m instanceof Flatten) {
    if (m.startDim !== 1 || m.endDim !== -1) {
      throw new ArgumentError(`exportOnnx: Flatten at '${at}' merges axes ${m.startDim}..${m.endDim}; only Flatten(1, -1) (ONNX Flatten, axis 1) is supported`);
    }
    return b.op('Flatten', at, [x], [{ name: 'axis', kind: 'int', value: 1 }]);
  }
  const convFamily = emitConvFamily(b, m, x, at);
  if (convFamily !== null) return convFamily;
  if (m instanceof Dropout) return b.op('Identity', at, [x]);
  if (m instanceof ReLU) return b.op('Relu', at, [x]);
  if (m instanceof LeakyReLU) return b.op('LeakyRelu', at, [x], [{ name: 'alpha', kind: 'float', value: m.negativeSlope }]);
  if (m instanceof Sigmoid) return b.op('Sigmoid', at, [x]);
  if (m instanceof Tanh) return b.op('Tanh', at, [x]);
  if (m instanceof Softmax) return b.op('Softmax', at, [x], [{ name: 'axis', kind: 'int', value: m.dim }]);
  if (m instanceof GELU) {
    // Exact GELU: x · ½ · (1 + erf(x / √2)).
    const e = b.op('Erf', at, [b.op('Div', at, [x, b.scalar(Math.SQRT2)])]);
    return b.op('Mul', at, [b.op('Mul', at, [x, b.op('Add', at, [e, b.scalar(1)])]), b.scalar(0.5)]);
  }
  const language = emitLanguageModel(b, m, x, at, (child, input, p) => emit(b, child as Module, input, p));
  if (language !== null) return language;
  const sequence = emitSequenceModule(b, m, x, at, (child, input, p) => emit(b, child as Module, input, p));
  if (sequence !== null) return sequence;
  throw new ArgumentError(
    `exportOnnx: ${m.className} at '${at}' has no ONNX mapping; supported modules: ${ONNX_SUPPORTED_MODULES.join(', ')}`,
  );
}

function firstLeaf(m: Module): Module | undefined {
  if (m instanceof Sequential) return m.layers[0] === undefined ? undefined : firstLeaf(m.layers[0]);
  return m;
}

function defaultInputShape(model: Module): (number | string)[] | null {
  const first = firstLeaf(model);
  if (readsTokenIds(first)) return ['N', 'T'];
  if (first instanceof LSTM || first instanceof GRU || first instanceof RNN) return recurrentInputShape(first);
  if (first instanceof Conv2D) return ['N', first.inChannels, 'H', 'W'];
  if (first instanceof BatchNorm2D) return ['N', first.numFeatures, 'H', 'W'];
  if (first instanceof Linear) return ['N', first.inFeatures];
  return first ? convFamilyInputShape(first) : null;
}

interface Prepared {
  weights: PendingWeight[];
  finish: (initializers: OnnxInitializer[]) => Uint8Array;
}

function prepare(model: Module, options: ExportOnnxOptions): Prepared {
  if (!(model instanceof Module)) throw new ArgumentError('exportOnnx: expected a Module');
  const opsetVersion = options.opsetVersion ?? 13;
  if (!Number.isInteger(opsetVersion) || opsetVersion < 13) {
    throw new ArgumentError(`exportOnnx: opsetVersion must be an integer ≥ 13, got ${String(opsetVersion)}`);
  }
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === outputName) throw new ArgumentError(`exportOnnx: inputName and outputName are both '${inputName}'`);
  const readsIds = readsTokenIds(firstLeaf(model));
  const idsDtype = options.idsDtype ?? 'int64';
  if (options.idsDtype !== undefined && (!readsIds || (idsDtype !== 'int64' && idsDtype !== 'int32'))) {
    throw new ArgumentError(readsIds
      ? `exportOnnx: idsDtype must be 'int64' or 'int32', got ${String(options.idsDtype)}`
      : `exportOnnx: idsDtype is for models that read token ids (first layer an Embedding, a GPT or an LSTMLanguageModel); ${model.className}'s input is float32`);
  }
  const b = new GraphBuilder(opsetVersion);
  b.fresh(inputName);
  b.fresh(outputName);
  if (readsIds) b.idNames.add(inputName);
  let out = emit(b, model, inputName, '');
  if (out === inputName) out = b.op('Identity', model.className, [inputName]);
  // The last node writes the graph output directly.
  const last = b.nodes.find((n) => n.outputs[0] === out)!;
  b.nodes[b.nodes.indexOf(last)] = { ...last, outputs: [outputName] };
  return {
    weights: b.weights,
    finish: (initializers) => encodeModel({
      irVersion: 8,
      opsetVersion,
      producerName: 'ScratchNet',
      producerVersion: '0.1',
      graph: {
        name: options.graphName ?? model.className,
        nodes: b.nodes,
        initializers,
        inputs: [{ name: inputName, shape: options.inputShape ?? defaultInputShape(model), elemType: readsIds ? idsDtype : 'float32' }],
        outputs: [{ name: outputName, shape: null }],
      },
    }),
  };
}

function toInitializer(w: PendingWeight, values: TypedArray | Float32Array | BigInt64Array): OnnxInitializer {
  if (values instanceof BigInt64Array) return { name: w.name, dims: w.dims, data: values };
  const f32 = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  return { name: w.name, dims: w.dims, data: w.transform ? w.transform(f32) : f32 };
}

/**
 * Writes `model` as an ONNX model (a serialised ModelProto, opset 13 by default) in inference mode.
 * Reads the weights synchronously: on an async-only backend (WebGPU) use {@link exportOnnxAsync}.
 * Throws an ArgumentError naming the module when a layer has no ONNX mapping.
 */
export function exportOnnx(model: AnyModule, options: ExportOnnxOptions = {}): Uint8Array {
  const p = prepare(model as Module, options);
  return p.finish(p.weights.map((w) => toInitializer(w, w.source instanceof Tensor ? w.source.dataSync() : w.source)));
}

/** {@link exportOnnx} reading the weights asynchronously, so it works on every backend. */
export async function exportOnnxAsync(model: AnyModule, options: ExportOnnxOptions = {}): Promise<Uint8Array> {
  const p = prepare(model as Module, options);
  const initializers: OnnxInitializer[] = [];
  for (const w of p.weights) initializers.push(toInitializer(w, w.source instanceof Tensor ? await w.source.data() : w.source));
  return p.finish(initializers);
}

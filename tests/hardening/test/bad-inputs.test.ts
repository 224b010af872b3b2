/**
 * The catalogue of misuses: each row calls core, layers or the demo CLI wrongly and names the exact error class and a
 * message pattern (the op or argument, and what was expected). After every row a correct call must
 * still succeed, so a misuse leaves no state behind that later calls depend on. Runs on the js backend
 * (the checks are in core and layers, before any kernel); the WebGPU-without-adapter row runs a child
 * process whose Vulkan loader finds no driver; the CLI rows spawn the built `mnist-demo`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '@scratchnet/core';
import '@scratchnet/backend-js';
import { createJsBackend } from '@scratchnet/backend-js';
import {
  Adam, Conv2D, CrossEntropyLoss, FileFormatError, Flatten, Linear, MSELoss, MaxPool2D, ReLU, SGD, Sequential, TensorDataset,
  deserializeModel, deserializeWeightsInto, evaluate, loadModel, predict, serializeModel,
} from '@scratchnet/layers';

const run = promisify(execFile);

type ErrorClass = abstract new (...args: never[]) => Error;

interface Misuse {
  /** What is misused, as the row's title. */
  what: string;
  /** The misuse (may be async). */
  call: () => unknown;
  error: ErrorClass;
  /** A pattern the message must match: the op/argument and what was expected. */
  message: RegExp;
  /** FileFormatError code, for file rows. */
  code?: string;
}

const t = (values: number[], shape?: number[]): sn.Tensor => sn.tensor(values, shape);
const m23 = (): sn.Tensor => sn.tensor([1, 2, 3, 4, 5, 6], [2, 3]);

function disposed(shape = [2, 3]): sn.Tensor {
  const x = sn.zeros(shape);
  x.dispose();
  return x;
}

/** A tiny model, its file bytes, and the byte offsets where the file's sections end. */
let tiny: Sequential;
let fileBytes: Uint8Array;
let boundaries: { at: number; label: string }[] = [];

function tinyModel(seed = 3): Sequential {
  return new Sequential([new Linear(4, 3, { seed }), new ReLU(), new Linear(3, 2, { seed: seed + 1 })]);
}

beforeAll(async () => {
  await sn.setBackend('js');
  tiny = tinyModel();
  fileBytes = await serializeModel(tiny);
  const headerLen = Number(new DataView(fileBytes.buffer, fileBytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(fileBytes.subarray(8, 8 + headerLen))) as Record<string, { data_offsets?: [number, number] }>;
  boundaries = [
    { at: 0, label: 'empty' },
    { at: 4, label: 'inside the length prefix' },
    { at: 8, label: 'after the length prefix' },
    { at: 8 + Math.floor(headerLen / 2), label: 'inside the header' },
    { at: 8 + headerLen, label: 'after the header' },
  ];
  const ends = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([k, v]) => ({ k, end: v.data_offsets![1] }))
    .sort((a, b) => a.end - b.end);
  for (const { k, end } of ends.slice(0, -1)) boundaries.push({ at: 8 + headerLen + end, label: `after tensor '${k}'` });
  boundaries.push({ at: fileBytes.length - 1, label: 'one byte short' });
});

/** Misuses of core ops. */
const coreRows: Misuse[] = [
  { what: 'add: shapes that do not broadcast', call: () => sn.add(m23(), t([1, 2])), error: sn.ShapeError, message: /add.*\[2,3\].*\[2\]/ },
  { what: 'matmul: inner dimensions differ', call: () => sn.matmul(m23(), m23()), error: sn.ShapeError, message: /matmul: inner dimensions of a \[2,3\] and b \[2,3\] do not match \(3 vs 2\)/ },
  { what: 'matmul: scalar operand', call: () => sn.matmul(sn.scalar(2), m23()), error: sn.ShapeError, message: /matmul: operands must have rank ≥ 1/ },
  { what: 'matmul: batch dims that do not broadcast', call: () => sn.matmul(sn.zeros([2, 2, 3]), sn.zeros([3, 3, 4])), error: sn.ShapeError, message: /matmul: batch dimensions .* cannot be broadcast/ },
  { what: 'reshape: wrong element count', call: () => sn.reshape(m23(), [4, 2]), error: sn.ShapeError, message: /reshape.*\[2,3\].*\[4,2\]/ },
  { what: 'reshape: two -1 dimensions', call: () => sn.reshape(m23(), [-1, -1]), error: sn.ShapeError, message: /reshape.*-1/ },
  { what: 'tensor: values do not fill the shape', call: () => sn.tensor([1, 2, 3], [2, 2]), error: sn.ShapeError, message: /tensor.*3.*\[2,2\]/ },
  { what: 'zeros: negative size', call: () => sn.zeros([2, -1]), error: sn.ShapeError, message: /zeros: shape \[2,-1\] has an invalid dim/ },
  { what: 'zeros: fractional size', call: () => sn.zeros([2.5]), error: sn.ShapeError, message: /zeros: shape \[2\.5\] has an invalid dim/ },
  { what: 'tensor: unknown dtype', call: () => sn.tensor([1], [1], 'float64' as sn.DType), error: sn.DTypeError, message: /tensor: dtype must be one of 'bool', 'int32', 'float16', 'float32', got float64/ },
  { what: 'sum: axis out of range', call: () => sn.sum(m23(), 2), error: sn.ArgumentError, message: /sum: axes 2 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/ },
  { what: 'sum: negative axis out of range', call: () => sn.sum(m23(), -3), error: sn.ArgumentError, message: /sum: axes -3 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/ },
  { what: 'softmax: axis out of range', call: () => sn.softmax(m23(), 5), error: sn.ArgumentError, message: /softmax.*axis 5/ },
  { what: 'transpose: not a permutation', call: () => sn.transpose(m23(), [0, 0]), error: sn.ArgumentError, message: /transpose.*perm/ },
  { what: 'transpose: perm of the wrong length', call: () => sn.transpose(m23(), [1, 0, 2]), error: sn.ArgumentError, message: /transpose.*perm/ },
  { what: 'squeeze: axis whose size is not 1', call: () => sn.squeeze(m23(), 0), error: sn.ShapeError, message: /squeeze.*axis 0.*size 2/ },
  { what: 'expandDims: axis out of range', call: () => sn.expandDims(m23(), 4), error: sn.ArgumentError, message: /expandDims.*axis 4/ },
  { what: 'slice: begin past the end', call: () => sn.slice(m23(), [3, 0]), error: sn.ArgumentError, message: /slice/ },
  { what: 'slice: size past the end', call: () => sn.slice(m23(), [0, 1], [2, 3]), error: sn.ArgumentError, message: /slice/ },
  { what: 'concat: ranks differ', call: () => sn.concat([m23(), t([1, 2, 3])]), error: sn.ShapeError, message: /concat/ },
  { what: 'concat: other dims differ', call: () => sn.concat([m23(), sn.zeros([2, 2])], 0), error: sn.ShapeError, message: /concat/ },
  { what: 'concat: empty list', call: () => sn.concat([]), error: sn.ArgumentError, message: /concat/ },
  { what: 'split: sizes do not add up', call: () => sn.split(m23(), [1, 1], 1), error: sn.ArgumentError, message: /split/ },
  { what: 'gather: index out of range', call: () => sn.gather(m23(), [0, 5], 1), error: sn.ArgumentError, message: /gather.*5/ },
  { what: 'gather: negative index', call: () => sn.gather(m23(), [-1], 0), error: sn.ArgumentError, message: /gather.*-1/ },
  { what: 'gather: float indices', call: () => sn.gather(m23(), t([0.5]), 0), error: sn.DTypeError, message: /gather.*indices/ },
  { what: 'oneHot: index ≥ depth', call: () => sn.oneHot(sn.tensor([0, 3], [2], 'int32'), 3), error: sn.ArgumentError, message: /oneHot.*3/ },
  { what: 'oneHot: depth 0', call: () => sn.oneHot(sn.tensor([0], [1], 'int32'), 0), error: sn.ArgumentError, message: /oneHot.*depth/ },
  { what: 'pad: negative padding', call: () => sn.pad(m23(), [[0, -1], [0, 0]]), error: sn.ArgumentError, message: /pad/ },
  { what: 'broadcastTo: incompatible shape', call: () => sn.broadcastTo(m23(), [2, 4]), error: sn.ShapeError, message: /broadcastTo.*\[2,3\].*\[2,4\]/ },
  { what: 'conv2d: channels differ', call: () => sn.conv2d(sn.zeros([1, 3, 5, 5]), sn.zeros([2, 2, 3, 3])), error: sn.ShapeError, message: /conv2d.*channel/ },
  {
    what: 'conv2d: channels-last (NHWC) input',
    call: () => sn.conv2d(sn.zeros([1, 5, 5, 3]), sn.zeros([2, 3, 3, 3])),
    error: sn.ShapeError,
    message: /^conv2d: x \[1,5,5,3\] has 5 channels but w \[2,3,3,3\] expects 3 .*; x looks channels-last \(NHWC\): conv2d takes NCHW, reorder it with permute\(x, \[0, 3, 1, 2\]\)$/,
  },
  { what: 'conv2d: input of rank 3', call: () => sn.conv2d(sn.zeros([3, 5, 5]), sn.zeros([2, 3, 3, 3])), error: sn.ShapeError, message: /conv2d.*rank 4|conv2d.*\[3,5,5\]/ },
  { what: 'conv2d: kernel larger than the input', call: () => sn.conv2d(sn.zeros([1, 1, 2, 2]), sn.zeros([1, 1, 3, 3])), error: sn.ShapeError, message: /conv2d/ },
  { what: 'conv2d: stride 0', call: () => sn.conv2d(sn.zeros([1, 1, 4, 4]), sn.zeros([1, 1, 3, 3]), { stride: 0 }), error: sn.ArgumentError, message: /conv2d.*stride/ },
  { what: 'maxPool2d: kernel 0', call: () => sn.maxPool2d(sn.zeros([1, 1, 4, 4]), 0), error: sn.ArgumentError, message: /maxPool2d.*kernel/ },
  { what: 'dropout: rate 1', call: () => sn.dropout(m23(), 1.5), error: sn.ArgumentError, message: /dropout.*rate/ },
  { what: 'arange: step 0', call: () => sn.arange(0, 5, 0), error: sn.ArgumentError, message: /arange.*step/ },
  { what: 'disposed tensor used in add', call: () => sn.add(disposed(), 1), error: sn.DisposedError, message: /^add: a \(tensor #\d+, shape \[2,3\]\) was disposed and cannot be used/ },
  { what: 'disposed tensor read', call: () => disposed().dataSync(), error: sn.DisposedError, message: /was disposed/ },
  { what: 'disposed tensor in matmul b', call: () => sn.matmul(m23(), disposed([3, 2])), error: sn.DisposedError, message: /^matmul: b \(tensor #\d+, shape \[3,2\]\) was disposed/ },
  { what: 'unknown backend', call: () => sn.setBackend('tpu'), error: sn.BackendError, message: /tpu/ },
  { what: 'tidy: not a function', call: () => sn.tidy(42 as unknown as () => void), error: sn.ArgumentError, message: /^tidy: fn must be a function, got number$/ },
  { what: 'add: a string operand', call: () => sn.add('x' as unknown as sn.Tensor, 1), error: sn.ArgumentError, message: /^add: a must be a Tensor or a number, got string/ },
  { what: 'matmul: null operand', call: () => sn.matmul(null as unknown as sn.Tensor, m23()), error: sn.ArgumentError, message: /^matmul: a must be a Tensor, got null/ },
  { what: 'full: a string value', call: () => sn.full([2], 'a' as unknown as number), error: sn.ArgumentError, message: /^full: value must be a number or a boolean, got string/ },
  { what: 'linspace: a string start', call: () => sn.linspace('a' as unknown as number, 1, 3), error: sn.ArgumentError, message: /^linspace: start must be a finite number, got a/ },
  {
    what: 'toArray on a backend that reads only asynchronously (as webgpu)',
    call: () => onAsyncOnlyBackend((x) => x.toArray()),
    error: sn.BackendError,
    message: /^dataSync\/toArray: backend 'async-only' can only be read asynchronously; use `await t\.data\(\)` \(flat values\) or `await t\.array\(\)` \(nested arrays\) instead$/,
  },
  { what: 'dataSync on a backend that reads only asynchronously', call: () => onAsyncOnlyBackend((x) => x.dataSync()), error: sn.BackendError, message: /or `await t\.array\(\)` \(nested arrays\)/ },
];

let asyncOnlyRegistered = false;
/** Runs `read` on a tensor of a js backend stripped of readSync (it reads only asynchronously, like webgpu); js is active again after. */
async function onAsyncOnlyBackend(read: (x: sn.Tensor) => unknown): Promise<unknown> {
  if (!asyncOnlyRegistered) {
    sn.registerBackend('async-only', () => Object.assign(Object.create(createJsBackend()) as sn.Backend, { readSync: undefined }), { priority: -5 });
    asyncOnlyRegistered = true;
  }
  await sn.setBackend('async-only');
  try {
    return read(m23());
  } finally {
    await sn.setBackend('js');
  }
}

/** Misuses of layers. */
const layerRows: Misuse[] = [
  { what: 'Linear: input features differ', call: () => new Linear(4, 2, { seed: 1 }).forward(sn.zeros([3, 5])), error: sn.ShapeError, message: /Linear.*4.*5|5.*4/ },
  {
    what: 'Linear: rank-4 image input',
    call: () => new Linear(784, 10, { seed: 1 }).forward(sn.zeros([2, 1, 28, 28])),
    error: sn.ShapeError,
    message: /^Linear: input \[2,1,28,28\] has 28 features in its last dimension, expected inFeatures 784; .*put new Flatten\(\) before it, which gives \[2,784\] here$/,
  },
  {
    what: 'Conv2D: channels-last (NHWC) input',
    call: () => new Conv2D(3, 4, 3, { seed: 1 }).forward(sn.zeros([2, 8, 8, 3])),
    error: sn.ShapeError,
    message: /^Conv2D: input \[2,8,8,3\] has 8 channels, expected inChannels 3; the input looks channels-last \(NHWC\): Conv2D expects NCHW.*permute\(x, \[0, 3, 1, 2\]\)$/,
  },
  {
    what: 'predict: a plain array instead of a tensor',
    call: () => predict(tinyModel(), [[1, 2, 3, 4]] as unknown as sn.Tensor),
    error: sn.ArgumentError,
    message: /^predict: x must be a Tensor or a TensorDataset, got an array; wrap it with tensor\(\.\.\.\) first$/,
  },
  { what: 'evaluate: a plain array instead of a data set', call: () => evaluate(tinyModel(), [] as unknown as TensorDataset, { loss: new MSELoss() }), error: sn.ArgumentError, message: /^evaluate: data must be a TensorDataset/ },
  { what: 'Linear: zero in features', call: () => new Linear(0, 2), error: sn.ArgumentError, message: /Linear.*inFeatures/ },
  { what: 'Conv2D: input channels differ', call: () => new Conv2D(3, 4, 3, { seed: 1 }).forward(sn.zeros([1, 1, 8, 8])), error: sn.ShapeError, message: /Conv2D|conv2d/ },
  { what: 'Conv2D: rank-3 input', call: () => new Conv2D(1, 4, 3, { seed: 1 }).forward(sn.zeros([1, 8, 8])), error: sn.ShapeError, message: /Conv2D|conv2d/ },
  { what: 'MaxPool2D: rank-2 input', call: () => new MaxPool2D(2).forward(sn.zeros([8, 8])), error: sn.ShapeError, message: /MaxPool2D|maxPool2d/ },
  { what: 'Sequential: a non-module', call: () => new Sequential([new Flatten(), 3 as unknown as ReLU]), error: sn.ArgumentError, message: /Sequential/ },
  { what: 'CrossEntropyLoss: target class out of range', call: () => new CrossEntropyLoss().forward(sn.zeros([2, 3]), sn.tensor([0, 3], [2], 'int32')), error: sn.ArgumentError, message: /CrossEntropyLoss.*3/ },
  { what: 'CrossEntropyLoss: batch sizes differ', call: () => new CrossEntropyLoss().forward(sn.zeros([2, 3]), sn.tensor([0, 1, 2], [3], 'int32')), error: sn.ShapeError, message: /CrossEntropyLoss/ },
  { what: 'CrossEntropyLoss: float targets of the wrong shape', call: () => new CrossEntropyLoss().forward(sn.zeros([2, 3]), t([0.5, 1])), error: sn.ShapeError, message: /CrossEntropyLoss: target shape/ },
  { what: 'MSELoss: shapes differ', call: () => new MSELoss().forward(sn.zeros([2, 3]), sn.zeros([3, 2])), error: sn.ShapeError, message: /MSELoss: target shape \[3,2\] does not/ },
  { what: 'loss: unknown reduction', call: () => new MSELoss({ reduction: 'avg' as 'mean' }), error: sn.ArgumentError, message: /reduction/ },
  { what: 'SGD: NaN learning rate', call: () => new SGD(tinyModel().parameters(), { lr: NaN }), error: sn.ArgumentError, message: /SGD.*lr/ },
  { what: 'Adam: Infinity learning rate', call: () => new Adam(tinyModel().parameters(), { lr: Infinity }), error: sn.ArgumentError, message: /Adam.*lr/ },
  { what: 'SGD: negative momentum', call: () => new SGD(tinyModel().parameters(), { lr: 0.1, momentum: -1 }), error: sn.ArgumentError, message: /SGD.*momentum/ },
  {
    what: "optimizer given another model's gradients",
    call: () => {
      const a = tinyModel(1);
      const b = tinyModel(2);
      const opt = new SGD(a.parameters(), { lr: 0.1 });
      const { grads } = sn.variableGrads(() => sn.sum(b.forward(sn.ones([1, 4]))), b.parameters());
      opt.step(grads);
    },
    error: sn.ArgumentError,
    message: /SGD.*(param|gradient)/,
  },
  { what: 'TensorDataset: sample counts differ', call: () => new TensorDataset({ data: new Float32Array(6), shape: [3, 2] }, { data: new Int32Array(2), shape: [2], dtype: 'int32' }), error: sn.ShapeError, message: /TensorDataset/ },
  { what: 'TensorDataset: data do not fill the shape', call: () => new TensorDataset({ data: new Float32Array(5), shape: [3, 2] }, { data: new Int32Array(3), shape: [3], dtype: 'int32' }), error: sn.ShapeError, message: /TensorDataset/ },
  { what: 'loadStateDict: missing key', call: () => tinyModel().loadStateDict(new Map()), error: sn.ArgumentError, message: /loadStateDict/ },
  { what: 'loadModel: unknown path', call: () => loadModel('/nonexistent/dir/model.safetensors'), error: FileFormatError, message: /nonexistent.*(not exist|no such)/i, code: 'not-found' },
];

const rows = [...coreRows, ...layerRows];

/** The built demo CLI (`pnpm build` builds it; the hardening package depends on mnist-demo for the order). */
const CLI = fileURLToPath(new URL('../../../apps/mnist-demo/dist/node/cli/main.js', import.meta.url));
/** Scratch files for the CLI rows: a malformed data directory, a corrupt model file. */
const cliDir = mkdtempSync(join(tmpdir(), 'hardening-cli-'));
const malformedData = join(cliDir, 'malformed');
mkdirSync(malformedData);
for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
  writeFileSync(join(malformedData, f), 'not an IDX file at all');
}
const corruptModel = join(cliDir, 'corrupt.safetensors');
writeFileSync(corruptModel, 'garbage, not a model file');

/** A misuse of the demo CLI: its arguments, and a pattern for its one stderr line (the flag and what was expected). */
interface CliMisuse {
  what: string;
  args: string[];
  message: RegExp;
}

const cliRows: CliMisuse[] = [
  { what: 'unknown backend', args: ['--backend', 'cuda'], message: /--backend: unknown backend 'cuda'; registered here: .*js/ },
  { what: '--epochs 0 without --load', args: ['--epochs', '0'], message: /--epochs must be an integer ≥ 1 \(0 only with --load.*got '0'/ },
  { what: '--lr not a number', args: ['--lr', 'abc'], message: /--lr must be a positive number, got 'abc'/ },
  { what: '--lr negative', args: ['--lr', '-0.1'], message: /--lr must be a positive number, got '-0\.1'/ },
  { what: '--batch-size negative', args: ['--batch-size', '-3'], message: /--batch-size must be an integer ≥ 1, got '-3'/ },
  { what: '--limit fractional', args: ['--limit', '2.5'], message: /--limit must be an integer ≥ 1, got '2\.5'/ },
  { what: 'unknown flag', args: ['--frobnicate'], message: /Unknown option '--frobnicate'/ },
  { what: 'flag without its value', args: ['--backend'], message: /--backend <value>' argument missing/ },
  { what: 'missing data directory', args: ['--data', join(cliDir, 'nowhere')], message: /--data .*nowhere: no such directory/ },
  { what: 'malformed data directory', args: ['--data', malformedData], message: /malformed[/\\]train-images-idx3-ubyte: bad magic number/ },
  { what: '--load of a missing file', args: ['--load', join(cliDir, 'missing.safetensors')], message: /--load: .*missing\.safetensors: no such file/ },
  { what: '--load of a corrupt file', args: ['--load', corruptModel], message: /--load: .*corrupt\.safetensors: not a safetensors file: .*it looks like text/ },
  { what: '--switch-backend without an epoch', args: ['--switch-backend', 'js'], message: /--switch-backend must be EPOCH:NAME \(e\.g\. 2:wasm\), got 'js'/ },
  { what: '--switch-backend to an unknown backend', args: ['--switch-backend', '2:cuda'], message: /--switch-backend: unknown backend 'cuda'; registered here: / },
  { what: '--switch-backend past the last epoch', args: ['--switch-backend', '5:js', '--epochs', '2'], message: /--switch-backend 5:js: there are only 2 epochs/ },
  { what: 'unknown model', args: ['--model', 'nope'], message: /--model must be one of cnn, wide, mlp, got 'nope'/ },
];

/** Spawns the built CLI; resolves with its exit code and output whatever the code. */
async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, MNIST_DEMO_DEBUG: '' }, timeout: 120_000 }, (e, stdout, stderr) => {
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr });
    });
  });
}

async function expectMisuse(row: Misuse): Promise<void> {
  let thrown: unknown;
  try {
    await row.call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `${row.what}: no error`).toBeInstanceOf(row.error);
  const e = thrown as Error;
  expect(e.constructor, `${row.what}: exact class (got ${e.name}: ${e.message})`).toBe(row.error);
  expect(e.message).toMatch(row.message);
  if (row.code) expect((e as FileFormatError).code).toBe(row.code);
}

/** A correct call that must still work after each misuse: a training step of the tiny model, and a read. */
async function correctCallWorks(): Promise<void> {
  expect(sn.getBackendName()).toBe('js');
  const before = sn.memory().numTensors;
  const model = tinyModel(9);
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  const loss = sn.tidy(() => {
    const { value, grads } = sn.variableGrads(() => sn.mean(sn.square(model.forward(sn.ones([2, 4])))), model.parameters());
    opt.step(grads);
    return value;
  });
  expect(Number.isFinite((await loss.data())[0])).toBe(true);
  loss.dispose();
  sn.dispose(model.parameters());
  const sum = sn.tidy(() => sn.add(t([1, 2]), 1));
  expect(Array.from(await sum.data())).toEqual([2, 3]);
  sum.dispose();
  expect(sn.memory().numTensors).toBe(before);
}

describe('catalogue of misuses', () => {
  beforeAll(async () => {
    await sn.setBackend('js');
  });

  it.each(rows.map((r) => [r.what, r] as const))('%s', async (_what, row) => {
    await sn.tidy(async () => expectMisuse(row));
    await correctCallWorks();
  });

  it('a model file truncated at every section boundary is rejected as truncated (or empty)', async () => {
    expect(boundaries.length).toBeGreaterThanOrEqual(7);
    for (const { at, label } of boundaries) {
      const bytes = fileBytes.slice(0, at);
      const err = await deserializeModel(bytes, { source: `cut ${label}` }).catch((e: unknown) => e);
      expect(err, label).toBeInstanceOf(FileFormatError);
      const f = err as FileFormatError;
      expect(f.code, `${label}: ${f.message}`).toBe(at === 0 ? 'empty' : 'truncated');
      expect(f.message).toMatch(new RegExp(`^cut ${label}: .*(empty|truncated)`));
      await correctCallWorks();
    }
  });

  it('a file with a flipped weight byte fails its checksum', async () => {
    const bytes = fileBytes.slice();
    bytes[bytes.length - 2]! ^= 0x40;
    const err = await deserializeModel(bytes, { source: 'flipped.safetensors' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as FileFormatError).code).toBe('checksum-mismatch');
    expect((err as FileFormatError).message).toMatch(/^flipped\.safetensors: .*checksum/);
    await correctCallWorks();
  });

  it('weights for a different architecture are rejected and leave the model as it was', async () => {
    const other = new Sequential([new Linear(4, 5, { seed: 1 }), new ReLU(), new Linear(5, 2, { seed: 2 })]);
    const before = await Promise.all(other.parameters().map(async (p) => Array.from(await p.data())));
    const err = await deserializeWeightsInto(other, fileBytes, { source: 'tiny.safetensors' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileFormatError);
    expect((err as FileFormatError).code).toBe('architecture-mismatch');
    expect((err as FileFormatError).message).toMatch(/^tiny\.safetensors: .*\[3,4\].*\[5,4\]|^tiny\.safetensors: .*\[5,4\].*\[3,4\]/);
    const after = await Promise.all(other.parameters().map(async (p) => Array.from(await p.data())));
    expect(after).toEqual(before);
    await correctCallWorks();
  });

  describe('a tensor whose backend was removed', () => {
    afterAll(async () => {
      await sn.setBackend('js');
    });
    // removeBackend moves the data of tensors living there to the active backend, so they stay usable.
    it('stays usable after its backend is removed (its data moved), and removing the active backend is refused', async () => {
      sn.registerBackend('doomed', () => createJsBackend(), { priority: -1 });
      await sn.setBackend('doomed');
      const x = m23();
      await sn.setBackend('js');
      await sn.removeBackend('doomed');
      const y = sn.add(x, 1);
      expect(Array.from(await y.data())).toEqual([2, 3, 4, 5, 6, 7]);
      sn.dispose([x, y]);
      await expect(sn.setBackend('doomed')).rejects.toThrow(sn.BackendError);
      await correctCallWorks();
    });
  });

  it('WebGPU without an adapter: setBackend rejects with the reason, and the process keeps working on js', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/no-adapter.mjs', import.meta.url));
    const { stdout } = await run(process.execPath, [fixture], { env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/no-driver.json' } });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as { name: string; message: string; after: number[] };
    expect(r.name).toBe('BackendError');
    expect(r.message).toMatch(/backend 'webgpu' is not available here: webgpu: .*no adapter/);
    expect(r.after).toEqual([2, 3]);
  });

  describe('the demo CLI', () => {
    beforeAll(() => {
      if (!existsSync(CLI)) throw new Error(`hardening: the demo CLI is not built (${CLI}); run pnpm build`);
    });
    afterAll(() => rmSync(cliDir, { recursive: true, force: true }));

    // Every row fails in the argument and file checks, before any backend starts: about 0.3 s each.
    it.each(cliRows.map((r) => [r.what, r] as const))('mnist-demo: %s', async (_what, row) => {
      const r = await cli(row.args);
      expect(r.code, `${row.what}: exit code (stderr: ${r.stderr})`).not.toBe(0);
      expect(r.code, `${row.what}: killed (stderr: ${r.stderr})`).not.toBeNull();
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^mnist-demo: /);
      expect(lines[0]).toMatch(row.message);
      expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
    });

    it('after the misuses, a correct short run trains and tests', async () => {
      const r = await cli(['--backend', 'js', '--model', 'mlp', '--epochs', '1', '--max-batches', '2', '--limit', '64', '--batch-size', '16']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/epoch 1\/1 \[js\] {2}loss \d\.\d{4}/);
      expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d%/);
      expect(r.stderr, 'nothing on stderr (Dawn is not loaded for --backend js)').toBe('');
    });

    it('a run that picks its backend itself prints nothing on stderr either (WebGPU is probed in a child process)', async () => {
      const r = await cli(['--model', 'mlp', '--epochs', '1', '--max-batches', '1', '--limit', '32', '--batch-size', '16']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/registered: .*webgpu/);
      expect(r.stderr).toBe('');
    });

    it('--load and --predict, and the toy command, keep stderr empty too (nothing starts the GPU driver in-process)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sn-quiet-'));
      try {
        const model = join(dir, 'mlp.safetensors');
        const trained = await cli(['--backend', 'js', '--model', 'mlp', '--epochs', '1', '--max-batches', '1', '--limit', '32', '--save', model]);
        expect(trained.code, trained.stderr).toBe(0);
        const loaded = await cli(['--load', model, '--limit', '32']);
        expect(loaded.code, loaded.stderr).toBe(0);
        expect(loaded.stdout).toMatch(/test accuracy: \d+\.\d\d%/);
        expect(loaded.stderr, '--load without --backend').toBe('');
        const toy = await cli(['toy', '--dataset', 'xor', '--out', join(dir, 'xor.png')]);
        expect(toy.code, toy.stderr).toBe(0);
        expect(toy.stderr, 'toy without --backend').toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('the catalogue has at least 50 misuses', () => {
    // rows + truncations + checksum + architecture + removed backend + no adapter + CLI rows
    expect(rows.length + boundaries.length + 4 + cliRows.length).toBeGreaterThanOrEqual(50);
    console.log(`catalogue: ${rows.length + boundaries.length + 4 + cliRows.length} misuses (${rows.length} core/layers rows, ${boundaries.length} truncations, 4 file/backend rows, ${cliRows.length} CLI rows)`);
  });
});

import '@scratchnet/backend-js';
import { createJsBackend } from '@scratchnet/backend-js';
import {
  add, getBackendName, listBackends, matmul, memory, randomNormal, registerBackend, relu, setBackend, tensor, tidy, zeros,
  type Tensor, type Variable,
} from '@scratchnet/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Module, moduleFromConfig, registerModule, type ModuleConfig } from '../module.js';
import { crc32, crc32Hex } from './crc32.js';
import { FileFormatError } from './errors.js';
import { deserializeModel, deserializeWeightsInto, serializeModel, type OptimizerStateLike } from './model.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

// A second backend running the same kernels, so "save on one backend, load on another" is
// exercised even where only 'js' is installed.
registerBackend('js-copy', () => createJsBackend(), { priority: 0 });

interface DenseConfig {
  inFeatures: number;
  outFeatures: number;
  seed: number;
}

/** A small layer with float32 parameters and int32/bool buffers. */
class TinyDense extends Module {
  readonly weight: Variable;
  readonly bias: Variable;
  constructor(readonly cfg: DenseConfig) {
    super();
    this.weight = this.addParameter('weight', randomNormal([cfg.inFeatures, cfg.outFeatures], { seed: cfg.seed }));
    this.bias = this.addParameter('bias', randomNormal([cfg.outFeatures], { seed: cfg.seed + 1 }));
    this.addBuffer('calls', zeros([1], 'int32'));
    this.addBuffer('mask', tensor(Array.from({ length: cfg.outFeatures }, (_, i) => i % 2 === 0), [cfg.outFeatures], 'bool'));
  }
  forward(x: Tensor): Tensor {
    return add(matmul(x, this.weight), this.bias);
  }
  protected getConfig(): Record<string, unknown> {
    return { ...this.cfg };
  }
}

/** A small container, to get dotted names and nested configs. */
class TinyStack extends Module {
  constructor(layers: Module[]) {
    super();
    layers.forEach((layer, i) => this.addChild(String(i), layer));
  }
  forward(x: Tensor): Tensor {
    return tidy(() => (this.children() as Module[]).reduce((h, layer, i) => (i === 0 ? layer.forward(h) : layer.forward(relu(h))), x));
  }
  protected getConfig(): Record<string, unknown> {
    return { layers: this.children().map((c) => c.toConfig()) };
  }
}

registerModule('TinyDense', TinyDense, (c) => new TinyDense(c as unknown as DenseConfig));
registerModule('TinyStack', TinyStack, (c) => new TinyStack((c.layers as ModuleConfig[]).map((l) => moduleFromConfig(l))));

/** A model whose weights differ from what its config's seeds would give, so loading is visible. */
function makeModel(): TinyStack {
  const model = new TinyStack([new TinyDense({ inFeatures: 3, outFeatures: 5, seed: 1 }), new TinyDense({ inFeatures: 5, outFeatures: 2, seed: 3 })]);
  for (const [name, v] of model.stateDict()) {
    if (v.dtype !== 'float32') continue;
    const fresh = randomNormal(v.shape, { seed: 100 + name.length * 7 + (name.startsWith('1') ? 1 : 0) });
    v.assign(fresh);
    fresh.dispose();
  }
  const calls = model.stateDict().get('1.calls')!;
  const c = tensor([42], [1], 'int32');
  calls.assign(c);
  c.dispose();
  return model;
}

async function stateValues(model: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, v] of model.stateDict()) out[name] = [...(await v.data())];
  return out;
}

async function fileError(fn: () => Promise<unknown>): Promise<FileFormatError> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof FileFormatError)) throw err;
    return err;
  }
  throw new Error('expected a FileFormatError, nothing was thrown');
}

interface Parts {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** Re-encodes a model file after `edit`, with a checksum that is valid for the edited content. */
function reassemble(bytes: Uint8Array, edit: (parts: Parts) => void): Uint8Array {
  const file = decodeSafetensors(bytes);
  const parts: Parts = { tensors: file.tensors, metadata: { ...file.metadata } };
  edit(parts);
  const draft = encodeSafetensors(parts.tensors, { ...parts.metadata, checksum: 'crc32:00000000' });
  const dataStart = decodeSafetensors(draft).dataStart;
  const te = new TextEncoder();
  let crc = crc32(draft.subarray(dataStart));
  crc = crc32(te.encode(parts.metadata.architecture ?? ''), crc);
  if (parts.metadata.optimizer !== undefined) crc = crc32(te.encode(parts.metadata.optimizer), crc);
  return encodeSafetensors(parts.tensors, { ...parts.metadata, checksum: `crc32:${crc32Hex(crc)}` });
}

const X = [
  [0.5, -1, 2],
  [3, 0.25, -0.75],
  [-2, 1.5, 1],
  [0, 0, 0],
];

let initialBackend = '';
beforeAll(() => {
  initialBackend = getBackendName();
});
afterAll(async () => {
  await setBackend(initialBackend);
});

describe('serializeModel / deserializeModel', () => {
  it('round-trips architecture, parameters and int32/bool buffers; saved on each backend, loaded on each, predictions identical', async () => {
    const backends = listBackends();
    expect(backends).toContain('js-copy');
    for (const saveOn of backends) {
      await setBackend(saveOn);
      const model = makeModel();
      const x = tensor(X);
      const expected = model.forward(x);
      const want = [...(await expected.data())];
      const bytes = await serializeModel(model);
      for (const loadOn of backends) {
        await setBackend(loadOn);
        const { model: loaded, optimizerState } = await deserializeModel(bytes);
        expect(optimizerState).toBeUndefined();
        expect(loaded).toBeInstanceOf(TinyStack);
        expect(loaded.toConfig()).toEqual(model.toConfig());
        expect(await stateValues(loaded)).toEqual(await stateValues(model));
        for (const v of loaded.stateDict().values()) expect(v.backendName).toBe(loadOn);
        const y = loaded.forward(x);
        const got = [...(await y.data())];
        got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(1e-6));
        expect(got).toEqual(want);
        y.dispose();
        loaded.dispose();
      }
      x.dispose();
      expected.dispose();
      model.dispose();
    }
  });

  it('stores the metadata the format promises', async () => {
    const model = makeModel();
    const file = decodeSafetensors(await serializeModel(model));
    expect(file.metadata?.format).toBe('scratchnet-model');
    expect(file.metadata?.version).toBe('1');
    expect(JSON.parse(file.metadata!.architecture!)).toEqual(model.toConfig());
    expect(file.metadata?.checksum).toMatch(/^crc32:[0-9a-f]{8}$/);
    expect(file.tensors.get('0.weight')?.dtype).toBe('F32');
    expect(file.tensors.get('0.calls')?.dtype).toBe('I32');
    expect(file.tensors.get('0.mask')?.dtype).toBe('BOOL');
    model.dispose();
  });

  it('round-trips optimizer state (slots, config, step), including an empty slot', async () => {
    const model = makeModel();
    const params = model.parameters();
    const slots: Record<string, Tensor[]> = {
      m: params.map((p, i) => randomNormal(p.shape, { seed: 10 + i })),
      v: params.map((p, i) => randomNormal(p.shape, { seed: 20 + i })),
      none: [],
    };
    const state: OptimizerStateLike = { className: 'Adam', config: { lr: 0.001, beta1: 0.9, amsgrad: false }, step: 17, slots };
    const bytes = await serializeModel(model, { optimizer: state });
    expect([...decodeSafetensors(bytes).tensors.keys()]).toContain('optimizer/m/3');
    const { model: loaded, optimizerState } = await deserializeModel(bytes);
    expect(optimizerState?.className).toBe('Adam');
    expect(optimizerState?.config).toEqual({ lr: 0.001, beta1: 0.9, amsgrad: false });
    expect(optimizerState?.step).toBe(17);
    expect(Object.keys(optimizerState!.slots).sort()).toEqual(['m', 'none', 'v']);
    expect(optimizerState!.slots.none).toEqual([]);
    for (const name of ['m', 'v']) {
      const got = optimizerState!.slots[name]!;
      expect(got).toHaveLength(params.length);
      for (let i = 0; i < got.length; i++) {
        expect(got[i]!.shape).toEqual(params[i]!.shape);
        expect([...(await got[i]!.data())]).toEqual([...(await slots[name]![i]!.data())]);
      }
    }
    for (const list of [...Object.values(slots), ...Object.values(optimizerState!.slots)]) for (const t of list) t.dispose();
    loaded.dispose();
    model.dispose();
  });

  it('rejects invalid optimizer state and unreadable parameters at save time', async () => {
    const model = makeModel();
    await expect(serializeModel(model, { optimizer: { className: 'SGD', config: {}, step: -1, slots: {} } })).rejects.toThrow(
      'serializeModel: options.optimizer.step must be a non-negative integer, got -1',
    );
    await expect(serializeModel(model, { optimizer: { className: 'SGD', config: {}, step: 0, slots: { 'a/b': [] } } })).rejects.toThrow(/must be non-empty and contain no '\/'/);
    model.dispose();
    await expect(serializeModel(model)).rejects.toThrow(/disposed/i);
  });

  it('leaves no tensors behind, after a load and after a failed load', async () => {
    const model = makeModel();
    const bytes = await serializeModel(model);
    const before = memory().numTensors;
    const { model: loaded } = await deserializeModel(bytes);
    loaded.dispose();
    expect(memory().numTensors).toBe(before);
    const wrong = reassemble(bytes, (p) => {
      p.metadata.architecture = JSON.stringify({ className: 'TinyDense', config: { inFeatures: 3, outFeatures: 5, seed: 1 } });
    });
    await expect(deserializeModel(wrong)).rejects.toThrow(FileFormatError);
    expect(memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('corrupt model files: each case its own error', () => {
  let good: Uint8Array = new Uint8Array(0);
  let dataStart = 0;
  let headerLength = 0;
  beforeAll(async () => {
    const model = makeModel();
    good = await serializeModel(model, {
      optimizer: { className: 'SGD', config: { lr: 0.1 }, step: 3, slots: { momentum: model.parameters().map((p) => zeros(p.shape)) } },
    });
    model.dispose();
    dataStart = decodeSafetensors(good).dataStart;
    headerLength = dataStart - 8;
  });
  const load = (bytes: Uint8Array): Promise<FileFormatError> => fileError(() => deserializeModel(bytes, { source: 'net.safetensors' }));

  it('truncation at every section boundary (and every byte) names the section', async () => {
    const dataLength = good.length - dataStart;
    const cuts: [number, string, string][] = [
      [0, 'empty', 'net.safetensors: the file is empty (0 bytes)'],
      [1, 'truncated', 'net.safetensors: truncated inside the 8-byte header-length prefix: the file has only 1 bytes'],
      [7, 'truncated', 'net.safetensors: truncated inside the 8-byte header-length prefix: the file has only 7 bytes'],
      [8, 'truncated', `net.safetensors: truncated inside the header: the prefix announces a ${headerLength}-byte header but only 0 bytes follow it`],
      [9, 'truncated', `net.safetensors: truncated inside the header: the prefix announces a ${headerLength}-byte header but only 1 bytes follow it`],
      [dataStart - 1, 'truncated', `net.safetensors: truncated inside the header: the prefix announces a ${headerLength}-byte header but only ${headerLength - 1} bytes follow it`],
      [dataStart, 'truncated', `net.safetensors: truncated inside the data: the tensors need ${dataLength} bytes of data but only 0 follow the header`],
      [dataStart + 1, 'truncated', `net.safetensors: truncated inside the data: the tensors need ${dataLength} bytes of data but only 1 follow the header`],
      [good.length - 1, 'truncated', `net.safetensors: truncated inside the data: the tensors need ${dataLength} bytes of data but only ${dataLength - 1} follow the header`],
    ];
    for (const [cut, code, message] of cuts) {
      const err = await load(good.subarray(0, cut));
      expect(err.code, `cut at ${cut}`).toBe(code);
      expect(err.message).toBe(message);
      expect(err.source).toBe('net.safetensors');
    }
    for (let cut = 0; cut < good.length; cut++) {
      expect((await load(good.slice(0, cut))).code).toBe(cut === 0 ? 'empty' : 'truncated');
    }
  });

  it('bad header JSON', async () => {
    const bytes = good.slice();
    bytes[9] = 0x3a; // '{"__metadata__"...' → '{:__metadata__"...'
    const err = await load(bytes);
    expect(err.code).toBe('bad-header');
    expect(err.message).toMatch(/^net\.safetensors: the header is not valid JSON \(.+\)$/);
  });

  it('a valid safetensors file that is not a ScratchNet model', async () => {
    const plain = encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [1], data: new Float32Array([1]) }]]));
    expect((await load(plain)).message).toBe(
      "net.safetensors: not a ScratchNet model: a valid safetensors file, but the header has no __metadata__ (expected format 'scratchnet-model')",
    );
    const other = encodeSafetensors(new Map(), { format: 'pt' });
    const err = await load(other);
    expect(err.code).toBe('not-a-model');
    expect(err.message).toBe("net.safetensors: not a ScratchNet model: a valid safetensors file, but format is 'pt' (expected format 'scratchnet-model')");
    expect((await load(encodeSafetensors(new Map(), { author: 'x' }))).message).toMatch(/__metadata__ has no 'format'/);
  });

  it('unsupported version', async () => {
    const err = await load(reassemble(good, (p) => void (p.metadata.version = '2')));
    expect(err.code).toBe('unsupported-version');
    expect(err.message).toBe("net.safetensors: unsupported model format version '2'; this version of @scratchnet/layers reads version '1'");
  });

  it('checksum mismatch: a flipped bit in the weights, or an edit to the architecture that keeps it valid JSON', async () => {
    const flipped = good.slice();
    flipped[dataStart + 5]! ^= 0x10;
    const err = await load(flipped);
    expect(err.code).toBe('checksum-mismatch');
    expect(err.message).toMatch(
      /^net\.safetensors: checksum mismatch: the file records crc32:[0-9a-f]{8} but its weights and architecture hash to crc32:[0-9a-f]{8}; the file was damaged or altered after saving$/,
    );
    const text = new TextDecoder().decode(good);
    const at = text.indexOf('\\"outFeatures\\":5');
    expect(at).toBeGreaterThan(0);
    const edited = good.slice();
    edited[at + '\\"outFeatures\\":'.length] = '6'.charCodeAt(0);
    expect((await load(edited)).code).toBe('checksum-mismatch');
  });

  it('architecture with an unknown class', async () => {
    const err = await load(
      reassemble(good, (p) => {
        p.metadata.architecture = JSON.stringify({ className: 'TinyStack', config: { layers: [{ className: 'Mystery', config: {} }] } });
      }),
    );
    expect(err.code).toBe('unknown-class');
    expect(err.message).toMatch(/^net\.safetensors: the architecture cannot be rebuilt: moduleFromConfig: unknown module class 'Mystery'; known: .*TinyDense, TinyStack/);
  });

  it('weights for a different architecture: shapes, missing or unexpected names', async () => {
    const shapes = await load(
      reassemble(good, (p) => {
        p.metadata.architecture = p.metadata.architecture!.replace('"outFeatures":5', '"outFeatures":4').replace('"inFeatures":5', '"inFeatures":4');
      }),
    );
    expect(shapes.code).toBe('architecture-mismatch');
    expect(shapes.message).toBe("net.safetensors: the weights do not fit the architecture (TinyStack): loadStateDict: '0.weight' has shape [3,5], the model expects [3,4]");
    const names = await load(
      reassemble(good, (p) => {
        const w = p.tensors.get('1.bias')!;
        p.tensors.delete('1.bias');
        p.tensors.set('1.offset', w);
      }),
    );
    expect(names.code).toBe('architecture-mismatch');
    expect(names.message).toBe(
      'net.safetensors: the weights do not fit the architecture (TinyStack): loadStateDict: TinyStack state does not match; missing: 1.bias; unexpected: 1.offset',
    );
    // Loading the file's weights into a model built in code with another architecture.
    const other = new TinyDense({ inFeatures: 3, outFeatures: 5, seed: 0 });
    const into = await fileError(() => deserializeWeightsInto(other, good, { source: 'net.safetensors' }));
    expect(into.code).toBe('architecture-mismatch');
    expect(into.message).toMatch(/^net\.safetensors: the weights do not fit the architecture \(TinyDense\): loadStateDict: TinyDense state does not match; missing: weight, bias, calls, mask; unexpected: .*0\.weight/);
    other.dispose();
  });

  it('other malformed content: architecture JSON, a dtype ScratchNet cannot hold, missing optimizer slots, missing checksum', async () => {
    const arch = await load(reassemble(good, (p) => void (p.metadata.architecture = '{"className":')));
    expect(arch.code).toBe('bad-header');
    expect(arch.message).toMatch(/^net\.safetensors: the 'architecture' metadata is not valid JSON \(.+\)$/);
    const f64 = await load(
      reassemble(good, (p) => {
        p.tensors.set('0.bias', { dtype: 'F64', shape: [5], data: new Float64Array(5) });
      }),
    );
    expect(f64.code).toBe('unsupported-dtype');
    expect(f64.message).toBe("net.safetensors: tensor '0.bias' has dtype F64; ScratchNet models hold F32, F16, I32 and BOOL tensors");
    const slot = await load(reassemble(good, (p) => void p.tensors.delete('optimizer/momentum/2')));
    expect(slot.code).toBe('bad-layout');
    expect(slot.message).toBe("net.safetensors: optimizer slot tensor 'optimizer/momentum/2' is missing");
    const noSum = await load(
      encodeSafetensors(new Map(), { format: 'scratchnet-model', version: '1', architecture: '{"className":"TinyDense","config":{}}' }),
    );
    expect(noSum.message).toBe("net.safetensors: the model metadata has no 'checksum'");
  });
});

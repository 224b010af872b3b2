import {
  dispose, memory, norm, randomNormal, reshape, setBackend, sum, tensor, tidy, variableGrads, type Tensor,
} from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  Adam, CrossEntropyLoss, Embedding, GroupNorm, Identity, LayerNorm, LearnedPositionalEmbedding, Linear, Module, ModuleDict,
  ModuleList, MultiheadAttention, RMSNorm, ReLU, SinusoidalPositionalEncoding, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder,
  TransformerEncoderLayer, deserializeModel, registerModule, serializeModel, type AnyModule,
} from '../src/index.js';
import { testBackends } from './backends.js';

const ints = (values: number[], shape: number[]): Tensor => tensor(Int32Array.from(values), shape, 'int32');

/** Runs `make` and reads its result, returning the error thrown either way (async backends report bad indices on read). */
async function errorOf(make: () => Tensor): Promise<string> {
  try {
    const y = tidy(make);
    try {
      await y.data();
    } finally {
      y.dispose();
    }
  } catch (err) {
    return String(err);
  }
  return 'no error';
}

for (const backend of testBackends()) {
  describe(`Embedding on backend '${backend}'`, () => {
    it('rejects an index out of range with the op, the index and the range', async () => {
      await setBackend(backend);
      const emb = new Embedding(5, 3, { seed: 1 });
      expect(await errorOf(() => emb.forward(ints([1, 5, 0], [3])))).toMatch(/gather: index 5 at position 1 is out of range .*expected 0\.\.4/);
      expect(await errorOf(() => emb.forward(ints([-1], [1])))).toMatch(/gather: index -1 at position 0 is out of range/);
      emb.dispose();
    });

    it('maxNorm renormalises the looked-up rows in the weight (norm ≤ maxNorm) and leaves the others', async () => {
      await setBackend(backend);
      const emb = new Embedding(4, 3, { maxNorm: 1, seed: 2 });
      tidy(() => emb.weight.assign(tensor([[3, 0, 4], [0.3, 0.4, 0], [6, 8, 0], [1, 2, 2]])));
      const y = tidy(() => emb.forward(ints([0, 1, 0], [3])));
      const w = await emb.weight.data();
      expect(Array.from(w.slice(0, 3)).map((v) => +v.toFixed(5))).toEqual([0.6, 0, 0.8]);
      expect(Array.from(w.slice(3))).toEqual(Array.from(Float32Array.from([0.3, 0.4, 0, 6, 8, 0, 1, 2, 2])));
      expect(Array.from(await y.data()).map((v) => +v.toFixed(5))).toEqual([0.6, 0, 0.8, 0.3, 0.4, 0, 0.6, 0, 0.8]);
      y.dispose();
      emb.dispose();
    });
  });
}

describe('Embedding', () => {
  it('initialises from N(0, 1) with the padding row zero, and takes negative paddingIdx as PyTorch', async () => {
    const emb = new Embedding(200, 50, { paddingIdx: -1, seed: 3 });
    expect(emb.paddingIdx).toBe(199);
    const w = await emb.weight.data();
    const body = Array.from(w.slice(0, 199 * 50));
    const m = body.reduce((a, b) => a + b, 0) / body.length;
    const sd = Math.sqrt(body.reduce((a, b) => a + (b - m) ** 2, 0) / body.length);
    expect(Math.abs(m)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
    expect(Array.from(w.slice(199 * 50)).every((v) => v === 0)).toBe(true);
    emb.dispose();
  });

  it('rejects bad arguments', () => {
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow('Embedding: paddingIdx must be an integer in [-4, 3], got 4');
    expect(() => new Embedding(0, 2)).toThrow('Embedding: numEmbeddings must be a positive integer, got 0');
    const emb = new Embedding(4, 2);
    tidy(() => expect(() => emb.forward(tensor([1, 2]))).toThrow('Embedding: indices must be an int32 tensor, got float32 [2]'));
    emb.dispose();
  });
});

/** A language-model head tied to its embedding, as GPT-2 does. */
class TinyLM extends Module {
  readonly embed: Embedding;
  readonly head: Linear;
  constructor(readonly vocab: number, readonly dim: number) {
    super();
    this.embed = this.addChild('embed', new Embedding(vocab, dim, { seed: 4 }));
    this.head = this.addChild('head', new Linear(dim, vocab, { bias: false }));
    this.head.tieParameter('weight', this.embed.weight);
  }
  forward(tokens: Tensor): Tensor {
    return this.head.forward(this.embed.forward(tokens));
  }
  protected getConfig(): Record<string, unknown> {
    return { vocab: this.vocab, dim: this.dim };
  }
}
registerModule('TinyLM', TinyLM, (c) => new TinyLM(c.vocab as number, c.dim as number));

describe('weight tying', () => {
  it('one Variable shared by an Embedding and the output Linear appears once, trains once, and survives save/load with optimizer state', async () => {
    const before = memory().numTensors;
    const lm = new TinyLM(6, 4);
    expect(lm.head.weight).toBe(lm.embed.weight);
    expect(lm.namedParameters().map(([n]) => n)).toEqual(['embed.weight']);
    expect([...lm.stateDict().keys()]).toEqual(['embed.weight']);
    const opt = new Adam(lm.parameters(), { lr: 0.05 });
    const loss = new CrossEntropyLoss();
    const tokens = ints([0, 1, 2, 3, 4, 5], [6]);
    const targets = ints([1, 2, 3, 4, 5, 0], [6]);
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      const { value, grads } = variableGrads(() => loss.forward(lm.forward(tokens), targets), lm.parameters());
      losses.push((await value.data())[0]!);
      tidy(() => opt.step(grads));
      dispose([value, grads]);
    }
    expect(losses[2]).toBeLessThan(losses[0]!);
    const state = opt.stateDict();
    expect(state.slots.expAvg).toHaveLength(1);
    const bytes = await serializeModel(lm, { optimizer: state });
    const { model, optimizerState } = await deserializeModel(bytes);
    const back = model as TinyLM;
    expect(back.head.weight).toBe(back.embed.weight);
    expect(Array.from(await back.embed.weight.data())).toEqual(Array.from(await lm.embed.weight.data()));
    const opt2 = new Adam(back.parameters(), { lr: 0.05 });
    opt2.loadStateDict(optimizerState!);
    expect(opt2.stepCount).toBe(3);
    const [a, b] = tidy(() => [lm.forward(tokens), back.forward(tokens)]);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    dispose([a, b, tokens, targets, ...Object.values(state.slots).flat(), ...Object.values(optimizerState!.slots).flat()]);
    opt.dispose();
    opt2.dispose();
    lm.dispose();
    back.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('rejects a Variable of another shape', () => {
    const emb = new Embedding(6, 4);
    const lin = new Linear(6, 4, { bias: false });
    expect(() => lin.tieParameter('weight', emb.weight)).toThrow('Linear.tieParameter: \'weight\' is float32 [4,6], the shared Variable is float32 [6,4]');
    expect(() => lin.tieParameter('bias', emb.weight)).toThrow("Linear.tieParameter: no parameter 'bias'; it has: weight");
    emb.dispose();
    lin.dispose();
  });
});

/** The README's residual block: an ordinary custom module. */
class ResidualBlock extends Module {
  readonly norm: LayerNorm;
  readonly mlp: ModuleList<Linear | ReLU>;
  constructor(readonly dim: number) {
    super();
    this.norm = this.addChild('norm', new LayerNorm(dim));
    this.mlp = this.addChild('mlp', new ModuleList<Linear | ReLU>([new Linear(dim, 2 * dim), new ReLU(), new Linear(2 * dim, dim)]));
  }
  forward(x: Tensor): Tensor {
    let h = this.norm.forward(x);
    for (const layer of this.mlp) h = layer.forward(h);
    return x.add(h);
  }
  protected getConfig(): Record<string, unknown> {
    return { dim: this.dim };
  }
}
registerModule('ResidualBlock', ResidualBlock, (c) => new ResidualBlock(c.dim as number));

describe('ModuleList and ModuleDict', () => {
  it('register children under PyTorch-style names and rebuild from configs', async () => {
    const block = new ResidualBlock(3);
    expect(block.namedParameters().map(([n]) => n)).toEqual(['norm.weight', 'norm.bias', 'mlp.0.weight', 'mlp.0.bias', 'mlp.2.weight', 'mlp.2.bias']);
    expect(block.mlp.length).toBe(3);
    expect(block.mlp.get(-1)).toBe(block.mlp.get(2));
    expect(() => block.mlp.get(3)).toThrow('ModuleList: index 3 is out of range for a list of 3');
    expect(() => (block.mlp as ModuleList).forward()).toThrow(/ModuleList: a container has no forward/);
    const dict = new ModuleDict<AnyModule>({ enc: new LayerNorm(2), dec: new Linear(2, 2) });
    dict.set('extra', new RMSNorm(2));
    expect(dict.keys()).toEqual(['enc', 'dec', 'extra']);
    expect(dict.namedParameters().map(([n]) => n)).toEqual(['enc.weight', 'enc.bias', 'dec.weight', 'dec.bias', 'extra.weight']);
    expect(() => dict.set('a.b', new Identity())).toThrow(/ModuleDict: key must be a non-empty string without '\.'/);
    expect(() => dict.get('nope')).toThrow("ModuleDict: no module under key 'nope'; keys: enc, dec, extra");
    const x = randomNormal([2, 3], { seed: 5 });
    const back = (await deserializeModel(await serializeModel(block))).model as ResidualBlock;
    const dictBack = (await deserializeModel(await serializeModel(dict))).model as AnyModule as ModuleDict;
    expect(dictBack.keys()).toEqual(['enc', 'dec', 'extra']);
    const [a, b] = tidy(() => [block.forward(x), back.forward(x)]);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    dispose([x, a, b]);
    [block, back, dict, dictBack].forEach((m) => m.dispose());
  });
});

describe('save/load of every sequence layer', () => {
  const x3 = (): Tensor => randomNormal([2, 3, 4], { seed: 6 });
  const cases: [string, () => AnyModule, (m: AnyModule) => Tensor][] = [
    ['Embedding', () => new Embedding(5, 4, { paddingIdx: 0 }), (m) => (m as Embedding).forward(ints([0, 4, 2], [3]))],
    ['LayerNorm', () => new LayerNorm([3, 4], { eps: 1e-3 }), (m) => (m as LayerNorm).forward(x3())],
    ['RMSNorm', () => new RMSNorm(4), (m) => (m as RMSNorm).forward(x3())],
    ['GroupNorm', () => new GroupNorm(1, 3), (m) => (m as GroupNorm).forward(x3())],
    ['Identity', () => new Identity(), (m) => (m as Identity).forward(x3())],
    ['MultiheadAttention', () => new MultiheadAttention(4, 2, { kdim: 3, vdim: 5, batchFirst: true }),
      (m) => (m as MultiheadAttention).forward(x3(), randomNormal([2, 6, 3], { seed: 9 }), randomNormal([2, 6, 5], { seed: 7 }))[1]!],
    ['TransformerEncoderLayer', () => new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, normFirst: true, activation: 'gelu' }), (m) => (m as TransformerEncoderLayer).forward(x3())],
    ['TransformerDecoderLayer', () => new TransformerDecoderLayer(4, 2, { dimFeedforward: 8, batchFirst: true }), (m) => (m as TransformerDecoderLayer).forward(x3(), randomNormal([2, 5, 4], { seed: 8 }))],
    ['TransformerEncoder', () => new TransformerEncoder(new TransformerEncoderLayer(4, 1, { dimFeedforward: 8 }), 3, { norm: new LayerNorm(4) }), (m) => (m as TransformerEncoder).forward(x3(), { isCausal: true })],
    ['TransformerDecoder', () => new TransformerDecoder(new TransformerDecoderLayer(4, 2, { dimFeedforward: 8, normFirst: true }), 2, { norm: new LayerNorm(4) }),
      (m) => (m as TransformerDecoder).forward(x3(), randomNormal([5, 3, 4], { seed: 10 }), { tgtIsCausal: true })],
    ['LearnedPositionalEmbedding', () => new LearnedPositionalEmbedding(8, 4, { batchFirst: true }), (m) => (m as LearnedPositionalEmbedding).forward(x3())],
    ['SinusoidalPositionalEncoding', () => new SinusoidalPositionalEncoding(4), (m) => (m as SinusoidalPositionalEncoding).forward(x3())],
  ];
  for (const [name, make, run] of cases) {
    it(`${name} round-trips with the same outputs`, async () => {
      const m = make().eval();
      const back = (await deserializeModel(await serializeModel(m))).model as AnyModule;
      back.eval();
      expect(back.className).toBe(name);
      expect([...back.stateDict().keys()]).toEqual([...m.stateDict().keys()]);
      const [a, b] = tidy(() => [run(m), run(back)]);
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      dispose([a, b]);
      m.dispose();
      back.dispose();
    });
  }
});

describe('transformer layers', () => {
  it("use PyTorch's parameter names, and TransformerEncoder copies its layer (same values, separate Variables)", async () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    expect(layer.namedParameters().map(([n]) => n)).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    const bound = 1 / Math.sqrt(4);
    const b1 = await layer.linear1.bias!.data();
    expect(Math.max(...Array.from(b1, Math.abs))).toBeLessThanOrEqual(bound);
    expect(b1.some((v) => v !== 0)).toBe(true);
    const enc = new TransformerEncoder(layer, 2);
    const names = enc.namedParameters().map(([n]) => n);
    expect(names).toHaveLength(24);
    expect(names[12]).toBe('layers.1.self_attn.in_proj_weight');
    const [l0, l1] = [enc.layers.get(0), enc.layers.get(1)];
    expect(l0).toBe(layer);
    expect(l1.linear1.weight).not.toBe(l0.linear1.weight);
    expect(Array.from(await l1.linear1.weight.data())).toEqual(Array.from(await l0.linear1.weight.data()));
    const dec = new TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });
    expect(dec.namedParameters().map(([n]) => n).slice(4, 8)).toEqual([
      'multihead_attn.in_proj_weight', 'multihead_attn.in_proj_bias', 'multihead_attn.out_proj.weight', 'multihead_attn.out_proj.bias',
    ]);
    expect(dec.namedParameters().map(([n]) => n).slice(-2)).toEqual(['norm3.weight', 'norm3.bias']);
    expect(() => new TransformerEncoderLayer(6, 4)).toThrow('MultiheadAttention: embedDim 6 must be divisible by numHeads 4');
    expect(() => new TransformerEncoderLayer(4, 2, { activation: 'tanh' as 'relu' })).toThrow("TransformerEncoderLayer: activation must be 'relu' or 'gelu', got tanh");
    enc.dispose();
    dec.dispose();
  });

  it('a tiny encoder trained a few steps reduces the loss (every position predicts the first token)', async () => {
    await setBackend('js');
    const vocab = 5;
    const len = 4;
    class Tiny extends Module {
      readonly embed = this.addChild('embed', new Embedding(vocab, 16, { seed: 10 }));
      readonly pos = this.addChild('pos', new SinusoidalPositionalEncoding(16, { batchFirst: true }));
      readonly encoder = this.addChild('encoder', new TransformerEncoder(new TransformerEncoderLayer(16, 2, { dimFeedforward: 32, dropout: 0, batchFirst: true, seed: 11 }), 1));
      readonly out = this.addChild('out', new Linear(16, vocab, { seed: 12 }));
      forward(tokens: Tensor): Tensor {
        return this.out.forward(this.encoder.forward(this.pos.forward(this.embed.forward(tokens))));
      }
      protected getConfig(): Record<string, unknown> {
        return {};
      }
    }
    const model = new Tiny();
    const rows = Array.from({ length: 32 }, (_, i) => Array.from({ length: len }, (_, j) => (i * 7 + j * (i % 3 + 1)) % vocab));
    const tokens = ints(rows.flat(), [32, len]);
    const targets = ints(rows.flatMap((r) => r.map(() => r[0]!)), [32 * len]);
    const loss = new CrossEntropyLoss();
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const { value, grads } = variableGrads(() => loss.forward(reshape(model.forward(tokens), [32 * len, vocab]), targets), model.parameters());
      losses.push((await value.data())[0]!);
      tidy(() => opt.step(grads));
      dispose([value, grads]);
    }
    opt.dispose();
    expect(losses[39]).toBeLessThan(0.5 * losses[0]!);
    const n = tidy(() => norm(sum(model.encoder.layers.get(0).self_attn.in_proj_weight!)));
    expect(Number.isFinite((await n.data())[0])).toBe(true);
    dispose([tokens, targets, n]);
    model.dispose();
  });
});

describe('transformer models across backends and in summaries', () => {
  it('an encoder saved on one backend reloads on every other with the same outputs', async () => {
    await setBackend('js');
    const model = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, seed: 30 }), 2, { norm: new LayerNorm(8) }).eval();
    const xValues = randomNormal([2, 5, 8], { seed: 31 });
    const want = tidy(() => model.forward(xValues, { isCausal: true }));
    const expected = await want.data();
    const bytes = await serializeModel(model);
    for (const backend of testBackends()) {
      await setBackend(backend);
      const back = (await deserializeModel(bytes)).model as AnyModule as TransformerEncoder;
      back.eval();
      const x = tensor(await xValues.data(), [2, 5, 8]);
      const got = tidy(() => back.forward(x, { isCausal: true }));
      const values = await got.data();
      for (let i = 0; i < values.length; i++) expect(Math.abs(values[i]! - expected[i]!), `${backend} at ${i}`).toBeLessThan(1e-4);
      dispose([x, got]);
      back.dispose();
    }
    await setBackend('js');
    dispose([xValues, want]);
    model.dispose();
  });

  it('summary lists the attention and feed-forward children with output shapes', () => {
    const model = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
    const text = model.summary([2, 5, 8]);
    expect(text).toMatch(/self_attn\s+MultiheadAttention\s+\[2, 5, 8\]/);
    expect(text).toMatch(/self_attn\.out_proj\s+Linear\s+\[2, 5, 8\]/);
    expect(text).toMatch(/linear1\s+Linear\s+\[2, 5, 16\]/);
    expect(text).toMatch(/norm2\s+LayerNorm\s+\[2, 5, 8\]/);
    model.dispose();
  });
});

/**
 * Recurrent layers beyond the reference check: PyTorch's parameter names, shapes and
 * initialisation; output and state shapes of every layout; sequences of different lengths against
 * running each sequence alone; dropout between layers only; save / load; errors; and a tiny LSTM
 * that learns a toy sequence task.
 */
import {
  ArgumentError, ShapeError, add, dispose, mul, permute, sum, valueAndGrad, randomNormal, randomUniform, setBackend, slice, tensor, tidy, variableGrads, zeros, type Tensor,
} from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  Adam, CrossEntropyLoss, GRU, padSequence, registerModule, GRUCell, LSTM, LSTMCell, Linear, Module, RNN, RNNCell, deserializeModel, serializeModel,
} from '../src/index.js';
import type { AnyModule } from '../src/module.js';
import { testBackends } from './backends.js';

const shapesOf = (m: AnyModule): [string, number[]][] => m.namedParameters().map(([n, v]) => [n, [...v.shape]]);

async function expectAllClose(a: Tensor, b: Tensor, tol = 1e-5, what = ''): Promise<void> {
  expect(a.shape, what).toEqual(b.shape);
  const [va, vb] = [await a.data(), await b.data()];
  let worst = 0;
  for (let i = 0; i < va.length; i++) worst = Math.max(worst, Math.abs(va[i]! - vb[i]!));
  expect(worst, what).toBeLessThanOrEqual(tol);
}

describe("PyTorch's parameters", () => {
  it('names, shapes and registration order match torch.nn.LSTM / GRU / RNN and the cells', () => {
    const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true });
    const per = (l: number, sfx: string, rows: number, inSize: number): [string, number[]][] => [
      [`weight_ih_l${l}${sfx}`, [rows, inSize]], [`weight_hh_l${l}${sfx}`, [rows, 20]], [`bias_ih_l${l}${sfx}`, [rows]], [`bias_hh_l${l}${sfx}`, [rows]],
    ];
    expect(shapesOf(lstm)).toEqual([...per(0, '', 80, 10), ...per(0, '_reverse', 80, 10), ...per(1, '', 80, 40), ...per(1, '_reverse', 80, 40)]);
    const gru = new GRU(10, 20, { bias: false });
    expect(shapesOf(gru)).toEqual([['weight_ih_l0', [60, 10]], ['weight_hh_l0', [60, 20]]]);
    const rnn = new RNN(10, 20, { numLayers: 3 });
    expect(rnn.parameterCount()).toBe(20 * 10 + 20 * 20 + 40 + 2 * (20 * 20 + 20 * 20 + 40));
    expect(shapesOf(new LSTMCell(10, 20))).toEqual([['weight_ih', [80, 10]], ['weight_hh', [80, 20]], ['bias_ih', [80]], ['bias_hh', [80]]]);
    expect(shapesOf(new GRUCell(10, 20))).toEqual([['weight_ih', [60, 10]], ['weight_hh', [60, 20]], ['bias_ih', [60]], ['bias_hh', [60]]]);
    expect(shapesOf(new RNNCell(10, 20, { bias: false }))).toEqual([['weight_ih', [20, 10]], ['weight_hh', [20, 20]]]);
    expect([lstm.numLayers, lstm.numDirections, lstm.batchFirst, lstm.dropout, lstm.bias]).toEqual([2, 2, false, 0, true]);
    expect(rnn.nonlinearity).toBe('tanh');
    [lstm, gru, rnn].forEach((m) => m.dispose());
  });

  it('every weight and bias starts in U(−1/√hidden, 1/√hidden); a seed repeats it', async () => {
    const a = new LSTM(6, 25, { numLayers: 2, seed: 3 });
    const b = new LSTM(6, 25, { numLayers: 2, seed: 3 });
    const bound = 1 / 5;
    for (const [name, v] of a.namedParameters()) {
      const values = Array.from(await v.data());
      const top = Math.max(...values.map(Math.abs));
      expect(top, name).toBeLessThanOrEqual(bound);
      expect(top, name).toBeGreaterThan(0.9 * bound);
      expect(Math.abs(values.reduce((s, x) => s + x, 0) / values.length), name).toBeLessThan(0.1 * bound * (values.length < 200 ? 3 : 1));
    }
    for (const [[, va], [, vb]] of a.namedParameters().map((p, i) => [p, b.namedParameters()[i]!] as const)) {
      expect(Array.from(await va.data())).toEqual(Array.from(await vb.data()));
    }
    a.dispose();
    b.dispose();
  });
});

describe('shapes of outputs and states', () => {
  it('multi-layer, bidirectional, batchFirst and unbatched inputs give PyTorch shapes', () => {
    tidy(() => {
      const lstm = new LSTM(3, 5, { numLayers: 3, bidirectional: true, batchFirst: true });
      const [y, [h, c]] = lstm.forward(randomNormal([2, 7, 3]));
      expect([y.shape, h.shape, c.shape]).toEqual([[2, 7, 10], [6, 2, 5], [6, 2, 5]]);
      const gru = new GRU(3, 4, { numLayers: 2 });
      const [yg, hg] = gru.forward(randomNormal([7, 2, 3]));
      expect([yg.shape, hg.shape]).toEqual([[7, 2, 4], [2, 2, 4]]);
      const rnn = new RNN(3, 4, { bidirectional: true });
      const [yu, hu] = rnn.forward(randomNormal([6, 3]));
      expect([yu.shape, hu.shape]).toEqual([[6, 8], [2, 4]]);
      const cell = new LSTMCell(3, 4);
      const [hc, cc] = cell.forward(randomNormal([3]));
      expect([hc.shape, cc.shape]).toEqual([[4], [4]]);
      expect(new GRUCell(3, 4).forward(randomNormal([5, 3])).shape).toEqual([5, 4]);
      [lstm, gru, rnn, cell].forEach((m) => m.dispose());
    });
  });

  it('the last output of a one-directional layer is its final state; omitted states are zeros', async () => {
    const gru = new GRU(3, 4, { numLayers: 2, seed: 1 });
    const x = randomNormal([5, 2, 3], { seed: 2 });
    const [y, h] = gru.forward(x);
    await expectAllClose(slice(y, [4, 0, 0], [1, 2, 4]), slice(h, [1, 0, 0], [1, 2, 4]), 0, 'last output = top layer state');
    const [y0] = gru.forward(x, zeros([2, 2, 4]));
    await expectAllClose(y0, y, 0, 'explicit zeros');
    const [y1] = gru.forward(x, randomNormal([2, 2, 4], { seed: 3 }));
    expect(Array.from(await y1.data())).not.toEqual(Array.from(await y.data()));
    dispose([x, y, h, y0, y1]);
    gru.dispose();
  });
});

describe('sequences of different lengths', () => {
  const layouts = [
    { name: 'LSTM, 2 layers, bidirectional', make: () => new LSTM(3, 4, { numLayers: 2, bidirectional: true, seed: 5 }) },
    { name: 'GRU, bidirectional, batchFirst', make: () => new GRU(3, 4, { bidirectional: true, batchFirst: true, seed: 6 }) },
    { name: 'RNN relu, 2 layers', make: () => new RNN(3, 4, { numLayers: 2, nonlinearity: 'relu', seed: 7 }) },
  ];
  for (const { name, make } of layouts) {
    it(`${name}: each sequence gives what it gives run alone; padded outputs are zero; padding values are ignored`, async () => {
      await setBackend('js');
      const layer = make();
      const T = 5;
      const lengths = [5, 2, 4];
      const B = lengths.length;
      const states = layer.numLayers * layer.numDirections;
      const run = (x: Tensor, h: Tensor, c: Tensor, lens?: number[]): Tensor[] => {
        const opts = lens ? { lengths: lens } : {};
        if (layer instanceof LSTM) {
          const [y, [hn, cn]] = layer.forward(x, [h, c], opts);
          return [y, hn, cn];
        }
        const [y, hn] = layer.forward(x, h, opts);
        return [y, hn];
      };
      const shape = layer.batchFirst ? [B, T, 3] : [T, B, 3];
      const x = randomNormal(shape, { seed: 8 });
      const h0 = randomNormal([states, B, 4], { seed: 9 });
      const c0 = randomNormal([states, B, 4], { seed: 10 });
      const [y, hN, cN] = run(x, h0, c0, lengths);
      const width = 4 * layer.numDirections;
      for (let b = 0; b < B; b++) {
        const len = lengths[b]!;
        const xb = layer.batchFirst ? slice(x, [b, 0, 0], [1, len, 3]) : slice(x, [0, b, 0], [len, 1, 3]);
        const [yb, hb, cb] = run(xb, slice(h0, [0, b, 0], [states, 1, 4]), slice(c0, [0, b, 0], [states, 1, 4]));
        const outAt = (begin: number, size: number): Tensor =>
          layer.batchFirst ? slice(y!, [b, begin, 0], [1, size, width]) : slice(y!, [begin, b, 0], [size, 1, width]);
        await expectAllClose(outAt(0, len), yb!, 1e-5, `output of sequence ${b}`);
        if (len < T) expect(Array.from(await outAt(len, T - len).data()).every((v) => v === 0), `padding of sequence ${b}`).toBe(true);
        await expectAllClose(slice(hN!, [0, b, 0], [states, 1, 4]), hb!, 1e-5, `final h of sequence ${b}`);
        if (cb) await expectAllClose(slice(cN!, [0, b, 0], [states, 1, 4]), cb, 1e-5, `final c of sequence ${b}`);
      }
      // Different values in the padding change nothing.
      const xValues = await x.data();
      const noisy = Float32Array.from(xValues);
      for (let b = 0; b < B; b++) {
        for (let t = lengths[b]!; t < T; t++) {
          const at = layer.batchFirst ? (b * T + t) * 3 : (t * B + b) * 3;
          noisy.fill(99, at, at + 3);
        }
      }
      const again = run(tensor(noisy, shape), h0, c0, lengths);
      const first = [y!, hN!, cN];
      for (let i = 0; i < again.length; i++) await expectAllClose(again[i]!, first[i]!, 0, `noisy padding, output ${i}`);
      layer.dispose();
    });
  }

  it('gradients do not reach the padding of the input', async () => {
    const lstm = new LSTM(2, 3, { bidirectional: true, seed: 11 });
    const x = randomNormal([4, 2, 2], { seed: 13 });
    const { value, grads } = valueAndGrad((xi: Tensor) => {
      const [y, [h, c]] = lstm.forward(xi, null, { lengths: [4, 1] });
      return add(sum(y), add(sum(h), sum(c)));
    })(x);
    const gv = await grads[0]!.data();
    // Sequence 1 (batch index 1) has one valid step: its input at t ≥ 1 gets no gradient.
    for (let t = 1; t < 4; t++) expect([gv[(t * 2 + 1) * 2], gv[(t * 2 + 1) * 2 + 1]]).toEqual([0, 0]);
    expect(Math.abs(gv[2]!) + Math.abs(gv[3]!)).toBeGreaterThan(0);
    dispose([value, grads, x]);
    lstm.dispose();
  });
});

describe('padSequence', () => {
  it('pads and stacks sequences as pad_sequence does, time-major or batch-first, with gradients to each sequence', async () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const b = tensor([7, 8], [1, 2]);
    const tm = padSequence([a, b], { paddingValue: -1 });
    expect(tm.shape).toEqual([3, 2, 2]);
    expect(Array.from(await tm.data())).toEqual([1, 2, 7, 8, 3, 4, -1, -1, 5, 6, -1, -1]);
    const bf = padSequence([a, b], { batchFirst: true });
    expect(bf.shape).toEqual([2, 3, 2]);
    expect(Array.from(await bf.data())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    const { grads } = valueAndGrad((p: Tensor, q: Tensor) => sum(mul(padSequence([p, q]), tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 2, 2]))))(a, b);
    expect(Array.from(await grads[0]!.data())).toEqual([1, 2, 5, 6, 9, 10]);
    expect(Array.from(await grads[1]!.data())).toEqual([3, 4]);
    dispose([a, b, tm, bf, grads]);
  });

  it('feeds a recurrent layer with lengths: the same as running each sequence alone', async () => {
    const gru = new GRU(2, 3, { batchFirst: true, seed: 24 });
    const seqs = [randomNormal([4, 2], { seed: 25 }), randomNormal([2, 2], { seed: 26 })];
    const [, hN] = gru.forward(padSequence(seqs, { batchFirst: true }), null, { lengths: seqs.map((q) => q.shape[0]!) });
    for (let i = 0; i < seqs.length; i++) {
      const [, hi] = gru.forward(seqs[i]!);
      await expectAllClose(slice(hN, [0, i, 0], [1, 1, 3]).reshape([1, 3]), hi, 1e-6, `sequence ${i}`);
    }
    gru.dispose();
  });

  it('errors name the sequence and the shapes', () => {
    tidy(() => {
      expect(() => padSequence([])).toThrow('padSequence: sequences must be a non-empty array of Tensors');
      expect(() => padSequence([zeros([2, 3]), zeros([2, 4])])).toThrow('padSequence: sequences[1] has shape [2,4], sequences[0] has [2,3]; all must match after the time axis');
      expect(() => padSequence([zeros([2]), tensor([1], [1], 'int32')])).toThrow('padSequence: sequences[1] has dtype int32, sequences[0] has float32');
    });
  });
});

describe('dropout between layers', () => {
  it('acts between layers in training only, never after the last layer', async () => {
    const x = randomNormal([6, 2, 3], { seed: 14 });
    const two = new GRU(3, 4, { numLayers: 2, dropout: 0.5, seed: 15 });
    const [evalOut] = two.eval().forward(x);
    const [trainOut] = two.train().forward(x);
    expect(Array.from(await trainOut.data())).not.toEqual(Array.from(await evalOut.data()));
    const plain = new GRU(3, 4, { numLayers: 2, seed: 15 });
    await expectAllClose(evalOut, plain.forward(x)[0], 0, 'eval = no dropout');
    const one = new GRU(3, 4, { dropout: 0.9, seed: 16 });
    await expectAllClose(one.train().forward(x)[0], one.eval().forward(x)[0], 0, 'one layer: no dropout at all');
    [two, plain, one].forEach((m) => m.dispose());
    dispose([x, evalOut, trainOut]);
  });
});

describe('save and load', () => {
  const models: { name: string; make: () => AnyModule; input: number[] }[] = [
    { name: 'LSTM (2 layers, bidirectional, batchFirst, no bias)', make: () => new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true, bias: false }), input: [2, 5, 3] },
    { name: 'GRU', make: () => new GRU(3, 4, { dropout: 0.3, numLayers: 2 }), input: [5, 2, 3] },
    { name: 'RNN relu', make: () => new RNN(3, 4, { nonlinearity: 'relu' }), input: [5, 2, 3] },
    { name: 'LSTMCell', make: () => new LSTMCell(3, 4), input: [2, 3] },
    { name: 'GRUCell', make: () => new GRUCell(3, 4), input: [2, 3] },
    { name: 'RNNCell relu', make: () => new RNNCell(3, 4, { nonlinearity: 'relu' }), input: [2, 3] },
  ];
  const firstOutput = (m: unknown, x: Tensor): Tensor => {
    const y = (m as { forward(x: Tensor): Tensor | [Tensor, unknown] }).forward(x);
    return Array.isArray(y) ? y[0] : y;
  };
  for (const { name, make, input } of models) {
    it(`${name}: the rebuilt layer has the same class, config, weights and outputs`, async () => {
      const m = make();
      m.eval();
      const x = randomNormal(input, { seed: 17 });
      const back = (await deserializeModel(await serializeModel(m))).model;
      back.eval();
      expect(back.constructor).toBe(m.constructor);
      expect(back.toConfig()).toEqual(m.toConfig());
      expect(back.namedParameters().map(([n]) => n)).toEqual(m.namedParameters().map(([n]) => n));
      await expectAllClose(firstOutput(back, x), firstOutput(m, x), 0, name);
      m.dispose();
      back.dispose();
      x.dispose();
    });
  }
});

describe('across backends', () => {
  it('an LSTM trained on js reloads on every other backend with the same outputs', async () => {
    await setBackend('js');
    const model = new Tagger();
    const x = randomNormal([3, 6, 4], { seed: 23 });
    const t = tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1], [3, 6], 'int32');
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    for (let i = 0; i < 3; i++) {
      tidy(() => {
        const { grads } = variableGrads(() => new CrossEntropyLoss().forward(model.forward(x), t), model.parameters());
        opt.step(grads);
      });
    }
    const bytes = await serializeModel(model);
    const want = await model.forward(x).data();
    const xs = await x.data();
    for (const backend of testBackends().filter((b) => b !== 'js')) {
      await setBackend(backend);
      const back = (await deserializeModel(bytes)).model as Tagger;
      const got = await tidy(() => back.forward(tensor(xs, [3, 6, 4]))).data();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst, backend).toBeLessThan(1e-5);
      back.dispose();
    }
    await setBackend('js');
    model.dispose();
    opt.dispose();
    dispose([x, t]);
  });

  it('summary lists the LSTM inside a custom model', () => {
    const model = new Tagger();
    const text = model.summary([2, 8, 4]);
    expect(text).toMatch(/lstm\s+LSTM/);
    expect(text).toMatch(/head\s+Linear\s+\[2, 8, 4\]/);
    model.dispose();
  });
});

describe('errors name the layer, the argument and the shapes', () => {
  it('input, states, lengths and options', () => {
    const lstm = new LSTM(4, 3, { numLayers: 2 });
    const gru = new GRU(4, 3, { batchFirst: true });
    tidy(() => {
      const x = randomNormal([5, 2, 4]);
      expect(() => lstm.forward(randomNormal([5, 2, 7]))).toThrow('LSTM: input [5,2,7] has 7 features in its last dimension, expected inputSize 4');
      expect(() => lstm.forward(randomNormal([5, 2, 2, 4]))).toThrow('LSTM: expected input of shape [time, batch, inputSize] or unbatched [time, inputSize], got shape [5,2,2,4]');
      expect(() => gru.forward(randomNormal([4]))).toThrow(/GRU: expected input of shape \[batch, time, inputSize\]/);
      expect(() => lstm.forward(x, [zeros([1, 2, 3]), zeros([2, 2, 3])])).toThrow(ShapeError);
      expect(() => lstm.forward(x, [zeros([1, 2, 3]), zeros([2, 2, 3])])).toThrow('LSTM: h0 has shape [1,2,3], expected [2,2,3] (numLayers·numDirections 2, batch 2, hiddenSize 3)');
      expect(() => lstm.forward(x, [zeros([2, 2, 3]), zeros([2, 3, 3])])).toThrow('LSTM: c0 has shape [2,3,3], expected [2,2,3]');
      expect(() => lstm.forward(x, [zeros([2, 2, 3])] as unknown as [Tensor, Tensor])).toThrow('LSTM: hx must be a pair [h0, c0]');
      expect(() => gru.forward(randomNormal([2, 5, 4]), zeros([1, 5, 3]))).toThrow('GRU: h0 has shape [1,5,3], expected [1,2,3]');
      expect(() => lstm.forward(x, null, { lengths: [5, 6] })).toThrow("LSTM: lengths[1] = 6 is longer than the input's 5 time steps");
      expect(() => lstm.forward(x, null, { lengths: [5] })).toThrow('LSTM: lengths has 1 entries, the input has batch 2');
      expect(() => lstm.forward(x, null, { lengths: [0, 2] })).toThrow('LSTM: lengths[0] must be a positive integer, got 0');
      expect(() => lstm.forward(tensor([[1, 2, 3, 4]], [1, 4], 'int32'))).toThrow('LSTM: input must have dtype float32, got int32');
      expect(() => new LSTMCell(4, 3).forward(randomNormal([2, 5]))).toThrow('LSTMCell: input [2,5] has 5 features in its last dimension, expected inputSize 4');
      expect(() => new GRUCell(4, 3).forward(randomNormal([2, 4]), zeros([3, 3]))).toThrow('GRUCell: hx has shape [3,3], expected [2,3]');
    });
    expect(() => new RNN(4, 3, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow("RNN: nonlinearity must be 'tanh' or 'relu', got \"sigmoid\"");
    expect(() => new LSTM(4, 0)).toThrow('LSTM: hiddenSize must be a positive integer, got 0');
    expect(() => new GRU(4, 3, { dropout: 1.5 })).toThrow(ArgumentError);
    expect(() => new GRU(4, 3, { numLayers: 0 })).toThrow('GRU: numLayers must be a positive integer, got 0');
    expect(() => lstm.cellWeights(0, true)).toThrow(/no layer 0 reverse direction/);
    lstm.dispose();
    gru.dispose();
  });
});

/** An LSTM and a Linear head: logits [N, C, T] for per-step classification. */
class Tagger extends Module {
  readonly lstm = this.addChild('lstm', new LSTM(4, 16, { batchFirst: true, seed: 21 }));
  readonly head = this.addChild('head', new Linear(16, 4, { seed: 22 }));

  forward(x: Tensor): Tensor {
    const [y] = this.lstm.forward(x);
    return permute(this.head.forward(y), [0, 2, 1]);
  }

  protected getConfig(): Record<string, unknown> {
    return {};
  }
}

registerModule('RecurrentTestTagger', Tagger, () => new Tagger());

describe('training', () => {
  it('a tiny LSTM learns to repeat the previous token (CrossEntropyLoss on [N, C, T], first step ignored)', async () => {
    await setBackend('js');
    const N = 16;
    const T = 8;
    const tokens = Array.from(randomUniform([N * T], { min: 0, max: 4, dtype: 'int32', seed: 20 }).dataSync());
    const oneHot = tokens.flatMap((k) => [0, 1, 2, 3].map((c) => (c === k ? 1 : 0)));
    const x = tensor(oneHot, [N, T, 4]);
    const targets = tensor(tokens.map((_, i) => (i % T === 0 ? -100 : tokens[i - 1]!)), [N, T], 'int32');
    const model = new Tagger();
    const loss = new CrossEntropyLoss();
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      tidy(() => {
        const { value, grads } = variableGrads(() => loss.forward(model.forward(x), targets), model.parameters());
        losses.push(value.dataSync()[0]!);
        opt.step(grads);
      });
    }
    console.log(`recurrent: tiny LSTM echo task, loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)} in 40 Adam steps`);
    expect(losses[0]).toBeGreaterThan(1.2);
    expect(losses.at(-1)!).toBeLessThan(0.25 * losses[0]!);
    model.dispose();
    opt.dispose();
    dispose([x, targets]);
  });
});

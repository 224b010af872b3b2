/**
 * compile's epilogue fusion (a matmul / conv2d and the elementwise program that alone reads its output,
 * run as one EpilogueNode) and reduction prologues (an elementwise program whose output only a reduce reads): which pairs it takes, and that replays give what eager mode gives, through a
 * backend with the capability (js wrapped with matmulEpilogue / conv2dEpilogue that count their calls and
 * compute kernel + program), through one without it (plain js: the replay runs the two kernels), and on
 * webgpu (the GEMM applies the program in its store) where an adapter exists.
 */
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@scratchnet/backend-js';
import { isAvailable } from '@scratchnet/backend-webgpu';
import { createWasmBackend } from '@scratchnet/backend-wasm';
import * as sn from '@scratchnet/core';
import { Conv2D, Flatten, Linear, ReLU, Sequential, type Module } from '@scratchnet/layers';
import { bindAll, trainRun, type TrainRun } from '../src/compile-harness.js';

const gpu = await isAvailable();
const calls = { matmul: 0, conv2d: 0, reduce: 0 };
const js = createJsBackend();
sn.registerBackend('js-epilogue', () => ({
  ...bindAll(js),
  name: 'js-epilogue',
  matmulEpilogue(a: sn.TensorRef, b: sn.TensorRef, attrs: sn.MatmulAttrs, program: sn.FusedElementwiseProgram, extras: readonly sn.TensorRef[]) {
    calls.matmul++;
    return thenProgram(js.matmul(a, b, attrs), program, extras);
  },
  conv2dEpilogue(x: sn.TensorRef, w: sn.TensorRef, info: sn.Conv2dInfo, program: sn.FusedElementwiseProgram, extras: readonly sn.TensorRef[]) {
    calls.conv2d++;
    return thenProgram(js.conv2d(x, w, info), program, extras);
  },
  reducePrologue(op: sn.ReduceOp, program: sn.FusedElementwiseProgram, inputs: readonly sn.TensorRef[], shape: readonly [number, number, number], outDtype: sn.DType) {
    calls.reduce++;
    const [values] = js.fusedElementwise(program, inputs);
    try {
      return js.reduce(op, { id: values!, shape, dtype: sn.validateFusedProgram(program)[program.outputs[0]!]!.dtype }, outDtype);
    } finally {
      js.dispose(values!);
    }
  },
}), { priority: -10 });

function thenProgram(product: sn.DataId, program: sn.FusedElementwiseProgram, extras: readonly sn.TensorRef[]): sn.DataId[] {
  try {
    return sn.runEpilogueUnfused(js, product, program, extras);
  } finally {
    js.dispose(product);
  }
}

const mlp = (): Sequential => new Sequential([new Flatten(), new Linear(36, 16, { seed: 3 }), new ReLU(), new Linear(16, 5, { seed: 4 })]);
const cnn = (): Sequential => new Sequential([new Conv2D(2, 4, 3, { padding: 1, seed: 5 }), new ReLU(), new Flatten(), new Linear(72, 5, { seed: 6 })]);

/** Trains `make()` for `steps` Adam steps (eagerly or compiled) and returns the losses, final weights and compile's report. */
function train(make: () => Module, compiled: boolean, steps: number): Promise<TrainRun> {
  return trainRun(make(), { lr: 0.02 }, compiled, steps, (i) => [sn.randomNormal([8, 2, 6, 3], { seed: i }), sn.randint(0, 5, [8], { seed: 40 + i })]);
}

describe('compile: matmul / conv2d epilogues', () => {
  it('an MLP step: both Linear layers take their bias add as an epilogue, replays bitwise equal to eager', async () => {
    await sn.setBackend('js-epilogue');
    const eager = await train(mlp, false, 6);
    calls.matmul = calls.conv2d = 0;
    const compiled = await train(mlp, true, 6);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.weights).toEqual(eager.weights);
    // Forward: x·W1 + b1, h·W2 + b2; backward: the weight gradient of a Linear feeds its Adam update alone.
    const matmulEpilogues = compiled.report!.text.split('-- after')[1]!.split('matmul+epilogue').length - 1;
    expect(matmulEpilogues).toBeGreaterThanOrEqual(2);
    expect(compiled.report!.epilogues).toBeGreaterThanOrEqual(matmulEpilogues);
    expect(calls.matmul).toBe(matmulEpilogues * 4); // 6 calls: one setup, one recording, 4 replays
  });

  it('a CNN step: the convolution takes its bias add, replays bitwise equal to eager', async () => {
    await sn.setBackend('js-epilogue');
    const eager = await train(cnn, false, 5);
    calls.matmul = calls.conv2d = 0;
    const compiled = await train(cnn, true, 5);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.weights).toEqual(eager.weights);
    expect(calls.conv2d).toBe(3);
    expect(compiled.report!.text).toContain('conv2d+epilogue');
  });

  it('a product that is returned or read twice keeps its own kernel; a residual and a scale join it', async () => {
    await sn.setBackend('js-epilogue');
    const x = sn.randomNormal([2, 4, 6], { seed: 1 });
    const w = sn.randomNormal([6, 5], { seed: 2 });
    const r = sn.randomNormal([2, 4, 5], { seed: 3 });
    const returned = sn.compile((a: sn.Tensor) => {
      const p = sn.matmul(a, w);
      return [p, sn.relu(p)];
    });
    const fused = sn.compile((a: sn.Tensor) => sn.relu(sn.add(sn.mul(sn.matmul(a, w), 0.5), r)));
    for (let i = 0; i < 2; i++) sn.dispose([...returned(x), fused(x)]);
    expect(returned.reports()[0]!.epilogues).toBe(0);
    expect(fused.reports()[0]!.epilogues).toBe(1);
    calls.matmul = 0;
    const got = fused(x);
    expect(calls.matmul).toBe(1);
    const want = sn.relu(sn.add(sn.mul(sn.matmul(x, w), 0.5), r));
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    sn.dispose([got, want, x, w, r]);
    returned.dispose();
    fused.dispose();
  });

  it('a product summed for a gradient becomes a reduce prologue; a group with another output does not', async () => {
    await sn.setBackend('js-epilogue');
    const x = sn.randomNormal([6, 5], { seed: 1 });
    const y = sn.randomNormal([6, 5], { seed: 2 });
    const f = (a: sn.Tensor, b: sn.Tensor): sn.Tensor[] => {
      const shared = sn.sub(a, b);
      return [sn.sum(sn.mul(a, b), 0), sn.max(sn.exp(shared), 1), sn.add(shared, 1)];
    };
    const cf = sn.compile(f);
    for (let i = 0; i < 2; i++) sn.dispose(cf(x, y));
    calls.reduce = 0;
    const got = cf(x, y);
    const want = f(x, y);
    // mul -> sum takes a prologue; exp joins sub's group, whose other output (a - b) the add reads, so max keeps its own kernel.
    expect(cf.reports()[0]!.prologues).toBe(1);
    expect(cf.explain()).toContain('fused[1: mul] %0 %1 -> %3 [6,5] then reduce(sum)');
    expect(calls.reduce).toBe(1);
    got.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(want[i]!.dataSync())));
    sn.dispose([got, want, x, y]);
    cf.dispose();
  });

  it('a backend without the capability replays the kernel and then the program, bitwise equal to eager', async () => {
    await sn.setBackend('js');
    const eager = await train(cnn, false, 4);
    const compiled = await train(cnn, true, 4);
    expect(compiled.report!.epilogues).toBeGreaterThan(0);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.weights).toEqual(eager.weights);
  });

  it('wasm: MLP and CNN steps run their epilogues in the backend (the program in place over the product), bitwise equal to eager', async () => {
    const wasm = await createWasmBackend({ name: 'wasm-epilogue', threads: 1 });
    const epilogueCalls = { matmul: 0, conv2d: 0 };
    const matmulEpilogue = wasm.matmulEpilogue.bind(wasm);
    const conv2dEpilogue = wasm.conv2dEpilogue.bind(wasm);
    wasm.matmulEpilogue = (...a) => (epilogueCalls.matmul++, matmulEpilogue(...a));
    wasm.conv2dEpilogue = (...a) => (epilogueCalls.conv2d++, conv2dEpilogue(...a));
    sn.registerBackend('wasm-epilogue', () => wasm, { priority: -10 });
    try {
      await sn.setBackend('wasm-epilogue');
      for (const [make, kernel] of [[mlp, 'matmul'], [cnn, 'conv2d']] as const) {
        const eager = await train(make, false, 4);
        const compiled = await train(make, true, 4);
        expect(compiled.report!.epilogues).toBeGreaterThan(0);
        expect(epilogueCalls[kernel]).toBeGreaterThan(0);
        expect(compiled.losses).toEqual(eager.losses);
        expect(compiled.weights).toEqual(eager.weights);
      }
    } finally {
      await sn.removeBackend('wasm-epilogue'); // shuts the backend down
    }
  });

  it.runIf(gpu)('webgpu: MLP and CNN steps with epilogues in the GEMM store agree with eager', async () => {
    await sn.setBackend('webgpu');
    for (const make of [mlp, cnn]) {
      const eager = await train(make, false, 4);
      const compiled = await train(make, true, 4);
      expect(compiled.report!.epilogues).toBeGreaterThan(0);
      compiled.losses.forEach((l, i) => expect(l).toBeCloseTo(eager.losses[i]!, 4));
      compiled.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - eager.weights[i]![j]!)).toBeLessThan(1e-4 + 1e-4 * Math.abs(v))));
    }
  });
});

/**
 * compile's fused programs, checked before any backend runs them natively: a backend that wraps 'js'
 * and runs each FusedElementwiseProgram by interpreting its instructions with js's own unfused kernels
 * (broadcasting inputs and constants as the program type promises). Replays through it must give
 * bitwise what eager mode gives, so every program the fusion pass builds (operand order, value
 * indices, dtypes, extra outputs, inlined constants) means what the kernels it replaced meant.
 */
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@scratchnet/backend-js';
import * as sn from '@scratchnet/core';
import { Linear, ReLU, Sequential, Tanh } from '@scratchnet/layers';
import { bindAll, trainRun, type TrainRun } from '../src/compile-harness.js';
import { fuzz } from '../src/fuzz.js';

let fusedCalls = 0;

/** Runs `program` over `inputs` on `inner` one instruction at a time. */
function interpret(inner: sn.Backend, program: sn.FusedElementwiseProgram, inputs: readonly sn.TensorRef[]): sn.DataId[] {
  const vals: sn.TensorRef[] = [...inputs];
  const temps: sn.DataId[] = [];
  const push = (id: sn.DataId, shape: readonly number[], dtype: sn.DType): void => {
    temps.push(id);
    vals.push({ id, shape, dtype });
  };
  for (const ins of program.instructions) {
    switch (ins.kind) {
      case 'unary': {
        const x = vals[ins.arg]!;
        push(inner.unary(ins.op, x, x.dtype, ins.alpha === undefined ? {} : { alpha: ins.alpha }), x.shape, x.dtype);
        break;
      }
      case 'binary': {
        const [a, b] = [vals[ins.args[0]]!, vals[ins.args[1]]!];
        const shape = sn.broadcastShapes(a.shape, b.shape, 'fused');
        push(inner.binary(ins.op, a, b, shape, ins.dtype), shape, ins.dtype);
        break;
      }
      case 'where': {
        const [c, a, b] = ins.args.map((k) => vals[k]!) as [sn.TensorRef, sn.TensorRef, sn.TensorRef];
        const shape = sn.broadcastShapes(sn.broadcastShapes(c.shape, a.shape, 'fused'), b.shape, 'fused');
        push(inner.where(c, a, b, shape), shape, a.dtype);
        break;
      }
      case 'cast': {
        const x = vals[ins.arg]!;
        if (x.dtype === ins.dtype) vals.push(x);
        else push(inner.cast(x, ins.dtype), x.shape, ins.dtype);
        break;
      }
      case 'const': {
        const array = ins.dtype === 'float32' ? Float32Array.of(ins.value) : ins.dtype === 'int32' ? Int32Array.of(ins.value) : Uint8Array.of(ins.value);
        push(inner.write(array, ins.dtype), [], ins.dtype);
        break;
      }
    }
  }
  // Each output as new data of the full shape (broadcast where an output is a smaller input or constant).
  const outs = program.outputs.map((k) => {
    const v = vals[k]!;
    return inner.copy(v, { shape: program.outShape, strides: sn.broadcastStrides(v.shape, program.outShape), offset: 0 });
  });
  for (const id of temps) inner.dispose(id);
  return outs;
}

const js = createJsBackend();
sn.registerBackend('js-fused-ref', () => ({
  ...bindAll(js),
  name: 'js-fused-ref',
  fusedElementwiseSegments: undefined, // segmented launches run each segment's program through fusedElementwise below
  fusedElementwise(program: sn.FusedElementwiseProgram, inputs: readonly sn.TensorRef[]) {
    fusedCalls++;
    return interpret(js, program, inputs);
  },
}), { priority: -10 });

/** Trains a three-layer MLP for `steps` Adam steps with weight decay (eagerly or compiled): losses, final weights and compile's report. */
function trainLosses(compiled: boolean, steps: number): Promise<TrainRun> {
  const model = new Sequential([new Linear(5, 12, { seed: 3 }), new ReLU(), new Linear(12, 12, { seed: 4 }), new Tanh(), new Linear(12, 4, { seed: 5 })]);
  return trainRun(model, { lr: 0.02, weightDecay: 0.01 }, compiled, steps, (i) => [sn.randomNormal([16, 5], { seed: i }), sn.randint(0, 4, [16], { seed: 50 + i })]);
}

describe('compile: fused programs interpreted with the unfused kernels', () => {
  it('an Adam training loop replays through fusedElementwise bitwise equal to eager', async () => {
    await sn.setBackend('js-fused-ref');
    const eager = await trainLosses(false, 15);
    fusedCalls = 0;
    const compiled = await trainLosses(true, 15);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.weights).toEqual(eager.weights);
    expect(compiled.report!.fusedGroups).toBeGreaterThan(5);
    expect(fusedCalls).toBe(compiled.report!.fusedGroups * 13); // 15 calls: one setup call, one recording, 13 replays
  });

  it('broadcast inputs, inlined constants, casts, comparisons and where', async () => {
    await sn.setBackend('js-fused-ref');
    const f = (x: sn.Tensor, y: sn.Tensor, z: sn.Tensor) => {
      const mask = sn.greater(sn.add(x, y), 0.25);
      const a = sn.where(mask, sn.mul(sn.exp(x), 2), sn.neg(y));
      return [sn.leakyRelu(sn.sub(a, sn.cast(mask, 'float32')), 0.1), sn.cast(sn.mul(z, 3), 'float32'), mask];
    };
    const cf = sn.compile(f);
    const x = sn.randomNormal([3, 4], { seed: 1 });
    const y = sn.randomNormal([4], { seed: 2 });
    const z = sn.randint(-3, 3, [3, 1], { seed: 3 });
    cf(x, y, z).forEach((t) => t.dispose());
    const got = cf(x, y, z);
    const want = f(x, y, z);
    got.forEach((t, i) => {
      expect(t.shape).toEqual(want[i]!.shape);
      expect(Array.from(t.dataSync())).toEqual(Array.from(want[i]!.dataSync()));
    });
    expect(cf.reports()[0]!.fusedGroups).toBeGreaterThan(0);
    sn.dispose([got, want, x, y, z]);
    cf.dispose();
  });

  it('the fuzzer\'s random graphs, forward and backward, replay through fusedElementwise within 1e-6 of eager', async () => {
    fusedCalls = 0;
    const stats = await fuzz(['js-fused-ref'], { numRuns: 80, seed: 20261130, compiled: true });
    expect(stats.graphs).toBe(80);
    expect(fusedCalls).toBeGreaterThan(80);
  });
});

/**
 * compile's segment batching (compile/segments.ts): an Adam step over parameters of odd sizes compiles
 * to one segmented launch of the update program, and replays give what eager mode gives — bitwise on js
 * and wasm (their fused kernels compute each step as the unfused kernel does), through a backend with
 * `fusedElementwiseSegments`, through one with only `fusedElementwise`, and through one with neither;
 * on webgpu (whose fused shaders may contract a·b + c) bitwise against the same program run segment by
 * segment through `fusedElementwise`, and within float32 rounding of eager.
 */
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@scratchnet/backend-js';
import '@scratchnet/backend-wasm';
import { isAvailable } from '@scratchnet/backend-webgpu';
import * as sn from '@scratchnet/core';
import { Adam, Linear, ReLU, Sequential } from '@scratchnet/layers';
import { bindAll, trainRun } from '../src/compile-harness.js';

const gpu = await isAvailable();
const SHAPES = [[1], [3], [1031], [7, 5], [2, 3, 4], [130, 9]];
const STEPS = 6;
let segmentCalls = 0;

const js = createJsBackend();
sn.registerBackend('js-segments-counted', () => ({
  ...bindAll(js),
  name: 'js-segments-counted',
  fusedElementwiseSegments(program: sn.FusedElementwiseProgram, segments: readonly sn.FusedSegment[]) {
    segmentCalls++;
    return js.fusedElementwiseSegments(program, segments);
  },
}), { priority: -10 });
let bigPrograms = 0;
await sn.setBackend('wasm');
const wasm = sn.getBackend();
const wasmFused = wasm.fusedElementwise!.bind(wasm);
wasm.fusedElementwise = (program, inputs) => {
  if (program.instructions.length >= 13) bigPrograms++;
  return wasmFused(program, inputs);
};
sn.registerBackend('wasm-no-epilogues', () => ({
  ...bindAll(wasm), name: 'wasm-no-epilogues',
  matmulEpilogue: undefined, conv2dEpilogue: undefined, pool2dEpilogue: undefined, reduceEpilogue: undefined, reducePrologue: undefined,
}), { priority: -10 });
sn.registerBackend('js-no-segments', () => ({ ...bindAll(js), name: 'js-no-segments', fusedElementwiseSegments: undefined }), { priority: -10 });
sn.registerBackend('js-unfused', () => ({ ...bindAll(js), name: 'js-unfused', fusedElementwiseSegments: undefined, fusedElementwise: undefined }), { priority: -10 });

interface Run {
  losses: number[];
  weights: Float32Array[];
  report?: sn.ProgramReport;
  explain?: string;
}

/**
 * `STEPS` Adam steps over parameters of SHAPES, eagerly or compiled: of Σ sum(p² · c) (an update
 * program of multiplies, adds, a square root and divides, which wasm compiles to WebAssembly), or with
 * `decay` of Σ sum(p² · c) + Σ sum(|p|) with weight decay (a sign step, which wasm interprets).
 */
async function adamRun(compiled: boolean, decay = false): Promise<Run> {
  const params = SHAPES.map((shape, i) => sn.variable(sn.randomNormal(shape, { seed: 10 + i }), { name: `p${i}` }));
  const opt = new Adam(params, { lr: 0.05, weightDecay: decay ? 0.01 : 0 });
  const term = (p: sn.Tensor, scale: sn.Tensor): sn.Tensor => {
    const squares = sn.sum(sn.mul(sn.square(p), scale));
    return decay ? sn.add(squares, sn.sum(sn.abs(p))) : squares;
  };
  const step = (scale: sn.Tensor): sn.Tensor => sn.tidy(() => {
    const { value, grads } = sn.variableGrads(() => params.map((p) => term(p, scale)).reduce((a, b) => sn.add(a, b)), params);
    opt.step(grads);
    return value;
  });
  const cf = compiled ? sn.compile(step, { name: 'adam step' }) : undefined;
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const scale = sn.scalar(0.5 + 0.1 * i);
    const l = (cf ?? step)(scale);
    losses.push((await l.data())[0]!);
    sn.dispose([l, scale]);
  }
  const weights = await Promise.all(params.map(async (p) => (await p.data()) as Float32Array));
  const report = cf?.reports()[0];
  const explain = cf?.explain();
  cf?.dispose();
  opt.dispose();
  sn.dispose(params);
  return { losses, weights, ...(report ? { report, explain } : {}) };
}

/** The one segmented launch: Adam's update over every parameter. */
function expectOneSegmentedUpdate(run: Run): void {
  expect(run.report!.segmentedGroups).toBe(1);
  expect(run.report!.segments).toBe(SHAPES.length);
  expect(run.explain).toMatch(new RegExp(`segmented fused\\[\\d+: [^\\]]*sqrt[^\\]]*\\] ×${SHAPES.length} segments \\(1 \\+ 3 \\+ 1031 \\+ 35 \\+ 24 \\+ 1170 elements\\)`));
}

describe('compile: an optimizer update over every parameter as one segmented launch', () => {
  for (const backend of ['js-segments-counted', 'wasm', 'js-no-segments', 'js-unfused']) {
    for (const decay of [false, true]) {
      it(`${backend}${decay ? ', weight decay' : ''}: Adam over parameters of sizes 1, 3, 1031, 35, 24, 1170 replays bitwise equal to eager`, async () => {
        await sn.setBackend(backend);
        const eager = await adamRun(false, decay);
        segmentCalls = 0;
        bigPrograms = 0;
        const compiled = await adamRun(true, decay);
        expectOneSegmentedUpdate(compiled);
        expect(compiled.losses).toEqual(eager.losses);
        expect(compiled.weights).toEqual(eager.weights);
        // One launch per replay: steps 3 … STEPS (the first sets Adam's slots up, the second records).
        if (backend === 'js-segments-counted') expect(segmentCalls).toBe(STEPS - 2);
        // On wasm the compiled update runs all segments in one call into WebAssembly: no per-segment
        // fusedElementwise; the interpreted one (weight decay) runs each segment through it.
        expect(sn.getBackend().name).toBe(backend);
        if (backend === 'wasm') expect(bigPrograms).toBe(decay ? SHAPES.length * (STEPS - 2) : 0);
      });
    }
  }

  it.runIf(gpu)('webgpu: the segmented run equals the per-segment fused run bitwise and eager within float32 rounding', async () => {
    await sn.setBackend('webgpu');
    const gpuBackend = sn.getBackend();
    expect(gpuBackend.name).toBe('webgpu');
    for (const decay of [false, true]) {
      const eager = await adamRun(false, decay);
      const compiled = await adamRun(true, decay);
      expectOneSegmentedUpdate(compiled);
      gpuBackend.fusedElementwiseSegments = undefined; // an own property over the class method, deleted below
      try {
        const perSegment = await adamRun(true, decay);
        expect(compiled.losses).toEqual(perSegment.losses);
        expect(compiled.weights).toEqual(perSegment.weights);
      } finally {
        delete gpuBackend.fusedElementwiseSegments;
      }
      compiled.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - eager.weights[i]![j]!)).toBeLessThan(1e-5 + 1e-5 * Math.abs(v))));
    }
  });

  // An MLP: Adam's updates are epilogues of the gradient matmuls and reduces, which a backend without
  // epilogue methods runs as two kernels; their programs join one segmented launch, the kernels stay.
  for (const backend of ['js-segments-counted', 'js-no-segments', 'js-unfused', 'wasm-no-epilogues']) {
    it(`${backend}: an MLP's updates leave their epilogues for one segmented launch, bitwise equal to eager`, async () => {
      await sn.setBackend(backend);
      const mlp = (): Sequential => new Sequential([new Linear(6, 9, { seed: 1 }), new ReLU(), new Linear(9, 3, { seed: 2 })]);
      const batch = (i: number): [sn.Tensor, sn.Tensor] => [sn.randomNormal([5, 6], { seed: i }), sn.randint(0, 3, [5], { seed: 20 + i })];
      const eager = await trainRun(mlp(), { lr: 0.03 }, false, 5, batch);
      const compiled = await trainRun(mlp(), { lr: 0.03 }, true, 5, batch);
      expect(compiled.report!.segmentedGroups).toBe(1);
      expect(compiled.report!.segments).toBe(4);
      expect(compiled.losses).toEqual(eager.losses);
      expect(compiled.weights).toEqual(eager.weights);
    });
  }

  // wasm itself has the epilogue methods: there each update stays with its matmul or reduce (one call each), none is left to batch.
  it('wasm: an MLP\'s updates stay epilogues of their gradient kernels, bitwise equal to eager', async () => {
    await sn.setBackend('wasm');
    const mlp = (): Sequential => new Sequential([new Linear(6, 9, { seed: 1 }), new ReLU(), new Linear(9, 3, { seed: 2 })]);
    const batch = (i: number): [sn.Tensor, sn.Tensor] => [sn.randomNormal([5, 6], { seed: i }), sn.randint(0, 3, [5], { seed: 20 + i })];
    const eager = await trainRun(mlp(), { lr: 0.03 }, false, 5, batch);
    const compiled = await trainRun(mlp(), { lr: 0.03 }, true, 5, batch);
    expect(compiled.report!.segmentedGroups).toBe(0);
    expect(compiled.report!.epilogues).toBeGreaterThanOrEqual(4);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.weights).toEqual(eager.weights);
  });

  // √(x·x + 1) over ten independent tensors: two bindings per segment, so several segments share a dispatch.
  const SIZES = [1, 3, 1031, 8, 5, 64, 2, 700, 9, 33];
  const spread = (...xs: sn.Tensor[]): sn.Tensor[] => xs.map((x) => sn.sqrt(sn.add(sn.mul(x, x), 1)));
  const inputsOf = (): sn.Tensor[] => SIZES.map((n, i) => sn.randomNormal([n], { seed: 70 + i }));

  for (const backend of ['js', 'wasm']) {
    it(`${backend}: one small program over ten independent tensors is one segmented launch, bitwise equal to eager`, async () => {
      await sn.setBackend(backend);
      const xs = inputsOf();
      const cf = sn.compile(spread);
      sn.dispose(cf(...xs));
      const got = cf(...xs);
      const want = spread(...xs);
      expect(cf.reports()[0]!.segmentedGroups).toBe(1);
      expect(cf.reports()[0]!.kernelsFused).toBe(1);
      got.forEach((t, i) => expect(t.dataSync()).toEqual(want[i]!.dataSync()));
      sn.dispose([got, want, xs]);
      cf.dispose();
    });
  }

  it.runIf(gpu)('webgpu: segments share dispatches as the storage-buffer limit allows, bitwise equal to the per-segment run', async () => {
    await sn.setBackend('webgpu');
    const backend = sn.getBackend();
    const limit = (backend.info!() as { maxStorageBuffersPerShaderStage: number }).maxStorageBuffersPerShaderStage;
    const dispatches = (): number => (backend.info!() as { dispatches: number }).dispatches;
    const xs = inputsOf();
    const cf = sn.compile(spread);
    sn.dispose(cf(...xs));
    const before = dispatches();
    const got = cf(...xs);
    expect(dispatches() - before).toBe(Math.ceil(SIZES.length / Math.floor(limit / 2)));
    expect(cf.reports()[0]!.segmentedGroups).toBe(1);
    backend.fusedElementwiseSegments = undefined; // an own property over the class method, deleted below
    try {
      const perSegment = cf(...xs);
      for (let i = 0; i < SIZES.length; i++) expect(await got[i]!.data()).toEqual(await perSegment[i]!.data());
      sn.dispose(perSegment);
    } finally {
      delete backend.fusedElementwiseSegments;
    }
    const want = spread(...xs);
    for (let i = 0; i < SIZES.length; i++) {
      const [g, w] = [await got[i]!.data(), await want[i]!.data()];
      g.forEach((v, j) => expect(Math.abs(v - w[j]!)).toBeLessThan(1e-6 * (1 + Math.abs(v))));
    }
    sn.dispose([got, want, xs]);
    cf.dispose();
  });

  // Bool values in the program: a comparison, where, and the mask itself as a second output.
  const masked = (...xs: sn.Tensor[]): sn.Tensor[] => xs.flatMap((x) => {
    const mask = sn.greater(sn.mul(x, x), 0.5);
    return [sn.where(mask, sn.mul(x, 2), sn.neg(x)), mask];
  });

  for (const backend of ['js', 'wasm', ...(gpu ? ['webgpu'] : [])]) {
    it(`${backend}: a program with bool values and two outputs over ten tensors as one segmented launch`, async () => {
      await sn.setBackend(backend);
      const b = sn.getBackend();
      const xs = inputsOf();
      const cf = sn.compile(masked);
      sn.dispose(cf(...xs));
      const got = cf(...xs);
      expect(cf.reports()[0]!.segmentedGroups).toBe(1);
      expect(cf.reports()[0]!.segments).toBe(SIZES.length);
      b.fusedElementwiseSegments = undefined; // an own property over the class method, deleted below
      let perSegment: sn.Tensor[];
      try {
        perSegment = cf(...xs);
      } finally {
        delete b.fusedElementwiseSegments;
      }
      const want = masked(...xs);
      for (let i = 0; i < got.length; i++) {
        expect(got[i]!.dtype).toBe(want[i]!.dtype);
        expect(await got[i]!.data()).toEqual(await perSegment[i]!.data());
        expect(await got[i]!.data()).toEqual(await want[i]!.data());
      }
      sn.dispose([got, perSegment, want, xs]);
      cf.dispose();
    });
  }

  // The contract itself: segment s means fusedElementwise(segmentProgram(program, size), inputs) exactly.
  // (x·y + a) / √(y·y + 1), y·2 with x, y whole and a one element; a template of N = 7.
  const flat: sn.FusedElementwiseProgram = {
    inputs: [{ shape: [7], dtype: 'float32' }, { shape: [7], dtype: 'float32' }, { shape: [1], dtype: 'float32' }],
    outShape: [7],
    instructions: [
      { kind: 'binary', op: 'mul', args: [0, 1], dtype: 'float32' },
      { kind: 'binary', op: 'add', args: [3, 2], dtype: 'float32' },
      { kind: 'binary', op: 'mul', args: [1, 1], dtype: 'float32' },
      { kind: 'const', value: 1, dtype: 'float32' },
      { kind: 'binary', op: 'add', args: [5, 6], dtype: 'float32' },
      { kind: 'unary', op: 'sqrt', arg: 7 },
      { kind: 'binary', op: 'div', args: [4, 8], dtype: 'float32' },
      { kind: 'const', value: 2, dtype: 'float32' },
      { kind: 'binary', op: 'mul', args: [1, 10], dtype: 'float32' },
    ],
    outputs: [9, 11],
  };
  const contractSizes = [1, 3, 1031, 7, 4, 2, 65, 9];

  for (const name of ['js', 'wasm', ...(gpu ? ['webgpu'] : [])]) {
    it(`${name}: fusedElementwiseSegments gives each segment what fusedElementwise gives its program, and names a bad segment`, async () => {
      await sn.setBackend(name);
      const b = sn.getBackend();
      let seed = 12345;
      const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 31) * 4 - 4);
      const written = (n: number): sn.TensorRef => ({ id: b.write(values(n), 'float32'), shape: [n], dtype: 'float32' });
      const data = contractSizes.map((n) => [written(n), written(n), written(1)]);
      const ref = (t: sn.TensorRef): sn.TensorRef => t;
      const segments = contractSizes.map((size, s) => ({ size, inputs: data[s]!.map(ref) }));
      const got = b.fusedElementwiseSegments!(flat, segments);
      const want = segments.map((seg) => b.fusedElementwise!(sn.segmentProgram(flat, seg.size), seg.inputs));
      for (let s = 0; s < contractSizes.length; s++) {
        expect(got[s]).toHaveLength(2);
        for (let j = 0; j < 2; j++) {
          const [g, w] = await Promise.all([b.read(got[s]![j]!), b.read(want[s]![j]!)]);
          expect(g).toHaveLength(contractSizes[s]!);
          expect(g).toEqual(w);
        }
      }
      for (const ids of [...got, ...want]) for (const id of ids) b.dispose(id);
      const bad = [{ size: 3, inputs: [ref(data[1]![0]!), ref(data[1]![1]!), ref(data[1]![0]!)] }];
      expect(() => b.fusedElementwiseSegments!(flat, bad)).toThrow(/fusedElementwiseSegments: segment 0 input 2 is float32 \[3\], the program says float32 \[1\]/);
      for (const t of data.flat()) b.dispose(t.id);
    });
  }
});

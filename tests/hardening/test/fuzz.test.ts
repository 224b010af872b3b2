/**
 * Differential fuzzing, short run: random op graphs on every available backend against the float64
 * reference (see src/fuzz.ts). WebGPU on a software adapter is slow, so it gets fewer, shorter graphs.
 * Counts are fixed and the seed too (FUZZ_SEED overrides it), so a run is reproducible.
 */
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../src/backends.js';
import { checkProgram, fuzz, type Program } from '../src/fuzz.js';

const backends = await availableBackends();
const cpu = backends.filter((b) => b !== 'webgpu');
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const CPU_GRAPHS = 300;
const GPU_GRAPHS = 60;
const COMPILED_GRAPHS = 150;

describe('differential fuzzing (short run)', () => {
  it(`${cpu.join(' + ')}: ${CPU_GRAPHS} graphs agree with the float64 reference, forward and backward`, async () => {
    const stats = await fuzz(cpu, { numRuns: CPU_GRAPHS, seed: SEED });
    console.log(`fuzz ${cpu.join('+')}: ${stats.graphs} graphs (${stats.skipped} more skipped as ill-conditioned)`);
    expect(stats.graphs).toBe(CPU_GRAPHS);
  });

  it(`${cpu.join(' + ')}: ${COMPILED_GRAPHS} graphs compiled (record, then replay) agree with eager within 1e-6 relative`, async () => {
    const stats = await fuzz(cpu, { numRuns: COMPILED_GRAPHS, seed: SEED + 2, compiled: true });
    expect(stats.graphs).toBe(COMPILED_GRAPHS);
  });

  it.runIf(backends.includes('webgpu'))(`webgpu (with js): ${GPU_GRAPHS} graphs agree with the reference`, async () => {
    const stats = await fuzz(['js', 'webgpu'], { numRuns: GPU_GRAPHS, seed: SEED + 1, maxSteps: 12 });
    console.log(`fuzz js+webgpu: ${stats.graphs} graphs (${stats.skipped} more skipped as ill-conditioned)`);
    expect(stats.graphs).toBe(GPU_GRAPHS);
  });
});

describe('graphs the fuzzer shrank to (regressions)', () => {
  // matmul of an empty batch against a plain matrix: kernels sized the output as one batch and the
  // gradient of a failed with an internal autodiff error (fixed in core's matmul).
  const emptyBatch: Program = {
    dataSeed: 0,
    inputs: [
      { shape: [0, 1, 2], layout: 'plain', values: 'signed' },
      { shape: [2, 0], layout: 'plain', values: 'signed' },
      { shape: [2, 3], layout: 'transposed', values: 'signed' },
    ],
    instrs: [],
  };
  it.each([
    ['[0,1,2] × [2,0]', { ...emptyBatch, instrs: [{ op: 'matmul', input: 1, transposeB: false }, { op: 'unary', fn: 'neg' }] }],
    ['[0,1,2] × [2,3] (transposed b)', { ...emptyBatch, instrs: [{ op: 'matmul', input: 2, transposeB: false }] }],
  ] as [string, Program][])('%s agrees on every backend', async (_name, program) => {
    expect(await checkProgram(program, backends)).toEqual({});
  });
});

/**
 * The fused elementwise kernel (`Backend.fusedElementwise`, issue 14) against the same programs run
 * one unfused kernel per step on the same backend (core's runFusedUnfused). Each case builds random
 * programs (1–12 steps over 1–4 broadcasting inputs, mixed dtypes, NaN / ±Infinity / ±0 among the
 * inputs and constants) around one op of the tables, so every unary and binary op is exercised fused.
 *
 * A backend's fused kernel must match its unfused kernels bit for bit (NaN matching any NaN), unless
 * its `info()` says `fusedExact: false` (a GPU compiler may contract a·b + c into one rounding): then
 * float32 outputs must agree within the elementwise tolerance and int32 / bool outputs exactly.
 * Backends without the capability skip these cases.
 */
import type { Backend } from '../../backend/backend.js';
import type { FusedElementwiseProgram } from '../../backend/fused-types.js';
import type { TensorRef } from '../../backend/kernel-types.js';
import { runFusedUnfused } from '../../compile/fused-unfused.js';
import type { TypedArray } from '../../dtype.js';
import * as sn from '../../index.js';
import { BINARY_OPS } from '../../ops/defs/binary-defs.js';
import { UNARY_OPS } from '../../ops/defs/unary-defs.js';
import type { SuiteRng } from '../prng.js';
import { randomFusedProgram, type FusedFocus, type RandomFusedProgram } from '../fused-programs.js';
import { ensure } from './check.js';
import type { ConformanceCase, PropertyCase } from './types.js';

/** Random programs per case. */
const PROGRAMS = 4;

function unsupported(backend: Backend): string | null {
  return backend.fusedElementwise ? null : 'the backend has no fusedElementwise kernel (compile runs its programs unfused)';
}

/** Whether the backend promises bit-identical fused results (the default). */
function exactOn(backend: Backend): boolean {
  return backend.info?.()['fusedExact'] !== false;
}

const bitsOf = (a: TypedArray): Uint32Array | Int32Array | Uint16Array | Uint8Array =>
  a instanceof Float32Array ? new Uint32Array(a.buffer, a.byteOffset, a.length) : a;

/** The first index where `got` and `want` disagree, or -1. */
function firstDifference(got: TypedArray, want: TypedArray, exact: boolean): number {
  if (got.length !== want.length) return 0;
  const gb = bitsOf(got);
  const wb = bitsOf(want);
  const isFloat = want instanceof Float32Array;
  for (let i = 0; i < want.length; i++) {
    if (gb[i] === wb[i]) continue;
    const g = got[i]!;
    const w = want[i]!;
    if (!isFloat) return i;
    if (Number.isNaN(g) && Number.isNaN(w)) continue;
    if (exact || !Number.isFinite(w) || Math.abs(g - w) > 1e-5 * Math.abs(w) + 1e-6) return i;
  }
  return -1;
}

/** A short text of a program for failure messages. */
function describe(p: RandomFusedProgram): string {
  const { program } = p;
  const steps = program.instructions.map((ins, k) => `v${program.inputs.length + k} = ${JSON.stringify(ins)}`);
  return `inputs ${JSON.stringify(program.inputs)} → outShape [${program.outShape.join(',')}], outputs [${program.outputs.join(',')}]\n    ${steps.join('\n    ')}`;
}

/** Runs one program fused and unfused on the backend under test and compares every output. */
async function checkProgram(backend: Backend, p: RandomFusedProgram, exact: boolean): Promise<void> {
  const refs: TensorRef[] = p.program.inputs.map((x, i) => ({ id: backend.write(p.inputs[i]!, x.dtype), shape: x.shape, dtype: x.dtype }));
  const made: unknown[] = [];
  try {
    const fused = backend.fusedElementwise!(p.program, refs);
    made.push(...fused);
    const plain = runFusedUnfused(backend, p.program, refs);
    made.push(...plain);
    for (let j = 0; j < plain.length; j++) {
      const got = await backend.read(fused[j]!);
      const want = await backend.read(plain[j]!);
      const i = firstDifference(got, want, exact);
      ensure(i < 0, `output ${j} (value v${p.program.outputs[j]}) differs ${exact ? 'in its bits ' : ''}at element ${i}: fused ${got[i]}, unfused ${want[i]} (${got.length} vs ${want.length} elements)\n  program: ${describe(p)}`);
    }
  } finally {
    for (const id of made) backend.dispose(id as never);
    for (const r of refs) backend.dispose(r.id);
  }
}

/** A case running {@link PROGRAMS} random programs that contain `focus`. */
function fusedCase(op: string, name: string, focus: FusedFocus): PropertyCase {
  return {
    kind: 'property', op, name, unsupported,
    check: async (rng: SuiteRng) => {
      const backend = sn.getBackend();
      const exact = exactOn(backend);
      for (let k = 0; k < PROGRAMS; k++) await checkProgram(backend, randomFusedProgram(rng, focus), exact);
    },
  };
}

/** Malformed programs are rejected with an ArgumentError naming the instruction, on every backend. */
const rejectsMalformed: PropertyCase = {
  kind: 'property', op: 'where', name: 'fused: a malformed program is rejected naming the instruction at fault', unsupported,
  check: () => {
    const backend = sn.getBackend();
    const x = { id: backend.write(new Float32Array([1, 2]), 'float32'), shape: [2], dtype: 'float32' as const };
    try {
      const bad: [string, FusedElementwiseProgram, string][] = [
        ['a forward operand', { inputs: [x], outShape: [2], instructions: [{ kind: 'unary', op: 'exp', arg: 1 }], outputs: [1] }, 'instruction 0 (unary exp): operand arg is 1'],
        ['a bool operand of exp', { inputs: [x], outShape: [2], instructions: [{ kind: 'cast', arg: 0, dtype: 'bool' }, { kind: 'unary', op: 'exp', arg: 1 }], outputs: [2] }, 'operand arg is bool'],
        ['a wrong result dtype', { inputs: [x], outShape: [2], instructions: [{ kind: 'binary', op: 'less', args: [0, 0], dtype: 'float32' }], outputs: [1] }, 'gives bool'],
        ['an input that does not broadcast', { inputs: [x], outShape: [3], instructions: [{ kind: 'unary', op: 'neg', arg: 0 }], outputs: [1] }, "input 0's shape [2] does not broadcast to outShape [3]"],
      ];
      for (const [what, program, fragment] of bad) {
        let thrown: unknown;
        try {
          backend.fusedElementwise!(program, [x]);
        } catch (e) {
          thrown = e;
        }
        ensure(thrown instanceof sn.ArgumentError, `${what}: expected an ArgumentError, got ${String(thrown)}`);
        const message = (thrown as Error).message;
        ensure(message.includes('fusedElementwise') && message.includes(fragment), `${what}: the message "${message}" lacks "${fragment}"`);
      }
    } finally {
      backend.dispose(x.id);
    }
  },
};

/** A program whose output shape has a zero dimension gives empty outputs of the right dtypes. */
const emptyOutput: PropertyCase = {
  kind: 'property', op: 'cast', name: 'fused: an empty output shape gives empty outputs', unsupported,
  check: async () => {
    const backend = sn.getBackend();
    const x = { id: backend.write(new Float32Array(0), 'float32'), shape: [0, 3], dtype: 'float32' as const };
    try {
      const program: FusedElementwiseProgram = {
        inputs: [{ shape: x.shape, dtype: x.dtype }], outShape: [0, 3],
        instructions: [{ kind: 'unary', op: 'exp', arg: 0 }, { kind: 'cast', arg: 1, dtype: 'bool' }],
        outputs: [2, 1, 0],
      };
      const ids = backend.fusedElementwise!(program, [x]);
      const outs = await Promise.all(ids.map((id) => backend.read(id)));
      for (const id of ids) backend.dispose(id);
      ensure(outs.length === 3 && outs.every((o) => o.length === 0), `expected three empty outputs, got lengths ${outs.map((o) => o.length).join(', ')}`);
      ensure(outs[0] instanceof Uint8Array && outs[1] instanceof Float32Array, 'the empty outputs do not have their values\' dtypes (bool, float32)');
    } finally {
      backend.dispose(x.id);
    }
  },
};

/** Every fused-kernel case: one per unary and binary op of the tables, where, cast, constants and malformed programs. */
export const fusedCases: readonly ConformanceCase[] = [
  ...UNARY_OPS.map((op) => fusedCase(op, 'fused: random chains through it match the unfused kernels', { kind: 'unary', op })),
  ...BINARY_OPS.map((op) => fusedCase(op, 'fused: random chains through it match the unfused kernels', { kind: 'binary', op })),
  fusedCase('where', 'fused: random chains through it match the unfused kernels', { kind: 'where' }),
  fusedCase('cast', 'fused: random chains through it match the unfused kernels', { kind: 'cast' }),
  fusedCase('full', 'fused: random chains with constants match the unfused kernels', { kind: 'const' }),
  rejectsMalformed,
  emptyOutput,
];

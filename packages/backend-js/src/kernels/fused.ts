/**
 * The fused elementwise kernel: one loop per program, generated as JavaScript with `new Function` and
 * cached by the program's text, that reads each output position's (broadcast) input elements once and
 * evaluates every step in locals. Each step calls core's TypeScript form of its op and stores the
 * result as the unfused kernel's output array would (Math.fround for float32, `| 0` for int32, 0 / 1
 * for bool), so fused results equal unfused ones bit for bit. Where a Content Security Policy forbids
 * `new Function` (detected once), programs run through the tile interpreter of fused-interpret.ts,
 * with the same results.
 */
import {
  allocArray, fusedScalarForm, fusedStepJs, validateFusedProgram,
  type DType, type FusedElementwiseProgram, type FusedInstruction, type FusedValueInfo, type TypedArray,
} from '@scratchnet/core';
import { broadcastStrides, forEachRow, mergeAxes, numElements, rowMajorStrides } from '../broadcast.js';
import { interpretedRow } from './fused-interpret.js';

/**
 * One run of a program along the last merged axis: inputs `xs[k]` start at `off[k + 1]` and step by
 * `steps[k]`; outputs are written at `off[0] … off[0] + n − 1`.
 */
export type FusedRow = (xs: readonly TypedArray[], outs: readonly TypedArray[], off: ArrayLike<number>, steps: readonly number[], n: number) => void;

/** How programs run: generated code, or the interpreter (forced, or because code cannot be generated). */
export type FusedMode = 'codegen' | 'interpret';

/** Whether `new Function` works here; decided on first use. */
let canGenerate: boolean | undefined;

function codegenAllowed(): boolean {
  if (canGenerate === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      canGenerate = (new Function('return 1') as () => number)() === 1;
    } catch {
      canGenerate = false; // EvalError under a Content Security Policy without 'unsafe-eval'
    }
  }
  return canGenerate;
}

/** The stored value of a constant in its dtype (what a one-element array of that dtype would hold). */
export function storedConstant(value: number, dtype: DType): number {
  return dtype === 'float32' ? Math.fround(value) : dtype === 'int32' ? value | 0 : value !== 0 ? 1 : 0;
}

/** JavaScript for a cast of `x` to `dtype`, as the cast kernel's typed-array conversion does it. */
function castJs(x: string, dtype: DType): string {
  return dtype === 'float32' ? `Math.fround(${x})` : dtype === 'int32' ? `(${x} | 0)` : `(${x} !== 0 ? 1 : 0)`;
}

/** The generated row loop of a program: its source and the functions / numbers it closes over. */
function generate(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[]): FusedRow {
  const nIn = program.inputs.length;
  const F: ((a: number, b: number) => number | boolean)[] = [];
  const A: number[] = [];
  const C: number[] = [];
  const hoisted: string[] = [];
  const head: string[] = [];
  const body: string[] = [];
  const v = (i: number): string => `v${i}`;
  for (let k = 0; k < nIn; k++) head.push(`const x${k} = xs[${k}], s${k} = steps[${k}];`, `let p${k} = off[${k + 1}];`);
  program.instructions.forEach((ins: FusedInstruction, k) => {
    const r = nIn + k;
    let expr: string;
    switch (ins.kind) {
      case 'unary':
      case 'binary': {
        const args = ins.kind === 'unary' ? [ins.arg] : ins.args;
        const form = fusedScalarForm(ins, infos[args[0]]!.dtype);
        F[r] = form.fn;
        A[r] = form.alpha;
        hoisted.push(`const f${r} = F[${r}], a${r} = A[${r}];`);
        expr = fusedStepJs(ins, infos[args[0]]!.dtype, `f${r}`, args.map(v), `a${r}`);
        break;
      }
      case 'where':
        expr = `(${v(ins.args[0])} !== 0 ? ${v(ins.args[1])} : ${v(ins.args[2])})`;
        break;
      case 'cast':
        expr = castJs(v(ins.arg), ins.dtype);
        break;
      case 'const':
        C[r] = storedConstant(ins.value, ins.dtype);
        hoisted.push(`const c${r} = C[${r}];`);
        expr = `c${r}`;
        break;
    }
    body.push(`const ${v(r)} = ${expr};`);
  });
  const loads = program.inputs.map((_, k) => `const ${v(k)} = x${k}[p${k}];`);
  const stores = program.outputs.map((o, j) => `outs[${j}][o] = ${v(o)};`);
  const advance = program.inputs.map((_, k) => `, p${k} += s${k}`).join('');
  const source = `return function fusedRow(xs, outs, off, steps, n) {
  ${head.join('\n  ')}
  const end = off[0] + n;
  for (let o = off[0]; o < end; o++${advance}) {
    ${[...loads, ...body, ...stores].join('\n    ')}
  }
};`;
  // The source is built from core's op tables and this file's fixed fragments, never from user text.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('F', 'A', 'C', `${hoisted.join('\n')}\n${source}`) as (f: typeof F, a: number[], c: number[]) => FusedRow;
  return factory(F, A, C);
}

/** The cache key of a program: everything that shapes its code (shapes and strides are run-time arguments). */
function programKey(program: FusedElementwiseProgram): string {
  return JSON.stringify([program.inputs.map((x) => x.dtype), program.instructions, program.outputs]);
}

/** Generated rows by program key, the least recently made dropped beyond {@link MAX_ROWS}. */
const rows = new Map<string, FusedRow>();
/** A compiled step has a handful of fused programs; this bounds what a stream of distinct ones keeps. */
const MAX_ROWS = 512;

function rowFor(program: FusedElementwiseProgram, infos: readonly FusedValueInfo[], mode: FusedMode): FusedRow {
  if (mode === 'interpret' || !codegenAllowed()) return interpretedRow(program, infos);
  const key = programKey(program);
  let row = rows.get(key);
  if (row === undefined) {
    row = generate(program, infos);
    if (rows.size >= MAX_ROWS) rows.delete(rows.keys().next().value!);
    rows.set(key, row);
  }
  return row;
}

/**
 * Runs a fused elementwise program over `inputs` (one array per program input, of its shape and
 * dtype) and returns one new array per output, of `outShape` and the output value's dtype. `mode`
 * 'interpret' forces the interpreter (tests compare the two).
 */
export function fusedKernel(program: FusedElementwiseProgram, inputs: readonly TypedArray[], mode: FusedMode = 'codegen'): TypedArray[] {
  const infos = validateFusedProgram(program);
  const { outShape } = program;
  const size = numElements(outShape);
  const outs = program.outputs.map((o) => allocArray(infos[o]!.dtype, size));
  if (size === 0) return outs;
  const row = rowFor(program, infos, mode);
  const layout = mergeAxes(outShape, [rowMajorStrides(outShape), ...program.inputs.map((x) => broadcastStrides(x.shape, outShape))]);
  if (layout.shape.length === 0) {
    // Every axis has size 1: a single element.
    row(inputs, outs, new Float64Array(inputs.length + 1), inputs.map(() => 0), 1);
    return outs;
  }
  const last = layout.shape.length - 1;
  const n = layout.shape[last]!;
  const steps = layout.strides.slice(1).map((s) => s[last]!);
  forEachRow(layout.shape, layout.strides, layout.strides.map(() => 0), (off) => row(inputs, outs, off, steps, n));
  return outs;
}

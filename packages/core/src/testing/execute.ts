import * as sn from '../index.js';
import type { Tensor } from '../index.js';
import { fromTensor, place, toTensor, type Placement } from './bridge.js';
import type { CompareCase, ErrorCase, InputSpec, PropertyCase } from './cases/types.js';
import { generateInput, randomLike } from './cases/inputs.js';
import { compareArrays, compareGradients } from './compare.js';
import { directionalDerivative, numericGradient } from './gradcheck.js';
import { SuiteRng } from './prng.js';
import type { NDArray } from './reference/ndarray.js';

/** An assertion failure of the conformance suite, with a message meant for a person. */
export class ConformanceFailure extends Error {
  override name = 'ConformanceFailure';
}

function describeInputs(specs: readonly InputSpec[], placements: readonly Placement[]): string {
  return specs
    .map((s, i) => `${s.dtype ?? 'float32'}[${s.shape.join(',')}]${placements[i]?.describe === 'contiguous' ? '' : ` (${placements[i]?.describe})`}`)
    .join(', ');
}

/** Above this many differentiated elements a gradient check compares projections on random directions instead. */
const DIRECTIONAL_ABOVE = 600;
/** How many random elements such a check compares one by one. */
const SAMPLED = 48;

function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

/** Logical inputs, their placements, and the reference outputs of a compare case. */
function prepare(c: CompareCase, seed: number) {
  const rng = new SuiteRng(seed);
  const logical = c.inputs.map((s) => generateInput(s, rng));
  const placements = logical.map((x, i) => place(x, c.inputs[i]!.layout));
  const want = asList(c.ref(...logical)).map((w): NDArray =>
    // Float32 results are what float64 gives rounded to float32 (overflow becomes Infinity).
    w.dtype === 'float32' ? { ...w, data: w.data.map((v) => Math.fround(v)) } : w,
  );
  return { rng, logical, placements, want };
}

/** How a case's computation runs: eagerly, or through `compile` (recorded once, then the replay is checked). */
export type CaseMode = 'eager' | 'compiled';

/** Runs `fn(args)` eagerly, or compiled: a first call records, a second replays, and the replay's results are returned. */
function runInMode<R>(mode: CaseMode, fn: (...args: Tensor[]) => R, args: readonly Tensor[]): R {
  if (mode === 'eager') return fn(...args);
  const compiled = sn.compile(fn, { name: 'conformance case' });
  try {
    compiled(...args);
    return compiled(...args);
  } finally {
    compiled.dispose();
  }
}

/** Runs a compare case on the current backend; throws ConformanceFailure with a readable message on a mismatch. */
export async function runCompareCase(c: CompareCase, seed: number, mode: CaseMode = 'eager'): Promise<void> {
  const { placements, want } = prepare(c, seed);
  const { outs, inputs } = sn.tidy(() => {
    const phys = placements.map((p) => toTensor(p.physical));
    const evaluate = (...xs: Tensor[]): Tensor[] => asList(c.run(...placements.map((p, i) => p.view(xs[i]!))));
    return { outs: runInMode(mode, evaluate, phys), inputs: phys };
  });
  try {
    if (outs.length !== want.length) throw new ConformanceFailure(`returned ${outs.length} tensors, expected ${want.length}`);
    const problems: string[] = [];
    for (let k = 0; k < outs.length; k++) {
      const got = await fromTensor(outs[k]!);
      const p = compareArrays(got, want[k]!, c.tol ?? 'elementwise', outs.length > 1 ? `output ${k}` : 'output');
      if (p) problems.push(p);
    }
    // Kernels must never write into their inputs.
    for (let i = 0; i < inputs.length; i++) {
      const p = compareArrays(await fromTensor(inputs[i]!), placements[i]!.physical, 'exact', `input ${i} after the op (mutated)`);
      if (p) problems.push(p);
    }
    if (problems.length > 0) {
      throw new ConformanceFailure(`inputs ${describeInputs(c.inputs, placements)}\n  ${problems.join('\n  ')}`);
    }
  } finally {
    sn.dispose([outs, inputs]);
  }
}

/** The positions of the inputs a compare case differentiates. */
export function gradientInputs(c: CompareCase): number[] {
  if (c.grad === undefined || c.grad === false) return [];
  if (c.grad === true) return c.inputs.flatMap((s, i) => ((s.dtype ?? 'float32') === 'float32' ? [i] : []));
  return [...c.grad];
}

/**
 * Gradient check: autodiff of Σ op(xs)·c on the backend under test against central differences of
 * Σ ref(xs)·c in float64 on the reference, for a random cotangent c. Gradients are compared in the
 * physical layout (through the transpose / slice view), so view gradients are checked too.
 */
export async function runGradientCase(c: CompareCase, seed: number, mode: CaseMode = 'eager'): Promise<void> {
  const { logical, placements, want } = prepare(c, seed);
  const which = gradientInputs(c);
  const cotRng = new SuiteRng((seed ^ 0x9e3779b9) >>> 0);
  const cots = want.map((w) => randomLike(w.shape, cotRng));
  const directional = which.reduce((n, i) => n + logical[i]!.data.length, 0) > DIRECTIONAL_ABOVE;
  const directions = which.map((i) => randomLike(logical[i]!.shape, cotRng));
  const expected = directional
    ? []
    : which.map((i) => placements[i]!.toPhysical(numericGradient(c.ref, logical, cots, i)));
  const grads = sn.tidy(() => {
    const phys = placements.map((p) => toTensor(p.physical));
    const cotT = cots.map(toTensor);
    const f = (...diff: Tensor[]): Tensor => {
      const xs = placements.map((p, i) => {
        const at = which.indexOf(i);
        return p.view(at >= 0 ? diff[at]! : phys[i]!);
      });
      const outs = asList(c.run(...xs));
      let total: Tensor | null = null;
      for (let k = 0; k < outs.length; k++) {
        const o = outs[k]!;
        if (o.dtype !== 'float32') continue;
        const term = sn.sum(sn.mul(o, cotT[k]!));
        total = total ? sn.add(total, term) : term;
      }
      if (!total) throw new ConformanceFailure('no float32 output to differentiate');
      return total;
    };
    return runInMode(mode, (...xs: Tensor[]) => sn.grad(f)(...xs), which.map((i) => phys[i]!));
  });
  try {
    if (grads.length !== which.length) throw new ConformanceFailure(`grad returned ${grads.length} gradients for ${which.length} inputs`);
    const scale = typeof c.tol === 'object' ? Math.max(1, c.tol.accumulate / 16) : 1;
    const problems: string[] = [];
    if (directional) {
      // Too many elements for one central difference each: compare a random sample of elements
      // (plus the first and last) one by one, and the whole gradient projected on a random direction.
      for (let k = 0; k < which.length; k++) {
        const i = which[k]!;
        const g = await fromTensor(grads[k]!);
        const n = logical[i]!.data.length;
        const sample = [...new Set([0, n - 1, ...Array.from({ length: SAMPLED }, () => cotRng.int(0, n - 1))])].sort((a, b) => a - b);
        const numeric = numericGradient(c.ref, logical, cots, i, sample);
        const samePhysShape = g.shape.length === placements[i]!.physical.shape.length && g.shape.every((d, j) => d === placements[i]!.physical.shape[j]);
        if (samePhysShape) {
          const gl = placements[i]!.toLogical(g);
          const pick = (a: NDArray): NDArray => ({ shape: [sample.length], dtype: 'float32', data: Float64Array.from(sample, (j) => a.data[j]!) });
          const p = compareGradients(pick(gl), pick(numeric), `d/d(input ${i}) at ${sample.length} sampled elements (flat indices ${sample.slice(0, 6).join(',')}...)`, scale);
          if (p) problems.push(p);
        }
        const v = placements[i]!.toPhysical(directions[k]!);
        if (g.shape.length !== v.shape.length || g.shape.some((d, j) => d !== v.shape[j])) {
          problems.push(`d/d(input ${i}): gradient shape [${g.shape.join(',')}], expected [${v.shape.join(',')}]`);
          continue;
        }
        let dot = 0;
        let mag = 0;
        for (let j = 0; j < v.data.length; j++) {
          dot += g.data[j]! * v.data[j]!;
          mag += Math.abs(g.data[j]! * v.data[j]!);
        }
        const along = directionalDerivative(c.ref, logical, cots, i, directions[k]!);
        if (!(Math.abs(dot - along) <= 1e-3 * Math.max(mag, Math.abs(along), 1))) {
          problems.push(`d/d(input ${i}) along a random direction: autodiff ${dot}, central difference ${along} (directional check, ${v.data.length} elements)`);
        }
      }
    }
    for (let k = 0; k < (directional ? 0 : which.length); k++) {
      const got = await fromTensor(grads[k]!);
      const p = compareGradients(got, expected[k]!, `d/d(input ${which[k]})`, scale);
      if (p) problems.push(p);
    }
    if (problems.length > 0) {
      throw new ConformanceFailure(`inputs ${describeInputs(c.inputs, placements)}\n  ${problems.join('\n  ')}`);
    }
  } finally {
    sn.dispose(grads);
  }
}

const ERROR_CLASSES = {
  ShapeError: sn.ShapeError,
  ArgumentError: sn.ArgumentError,
  DTypeError: sn.DTypeError,
  ScratchNetError: sn.ScratchNetError,
} as const;

/** Runs an error case: the op must throw the stated class with a message naming the op and the given fragments. */
export function runErrorCase(c: ErrorCase, seed: number): Promise<void> {
  const rng = new SuiteRng(seed);
  const logical = c.inputs.map((s) => generateInput(s, rng));
  let thrown: unknown = undefined;
  let threw = false;
  try {
    sn.tidy(() => {
      c.run(...logical.map(toTensor));
    });
  } catch (e) {
    threw = true;
    thrown = e;
  }
  if (!threw) throw new ConformanceFailure(`expected ${c.error}, but nothing was thrown`);
  const cls = ERROR_CLASSES[c.error];
  if (!(thrown instanceof cls)) {
    const got = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    throw new ConformanceFailure(`expected ${c.error}, got ${got}`);
  }
  const message = thrown.message;
  const missing = [c.op, ...c.message].filter((m) => !message.includes(m));
  if (missing.length > 0) {
    throw new ConformanceFailure(`${c.error} message does not mention ${missing.map((m) => `'${m}'`).join(', ')}: "${message}"`);
  }
  return Promise.resolve();
}

/** Runs a property case inside a memory scope. */
export async function runPropertyCase(c: PropertyCase, seed: number): Promise<void> {
  await sn.tidy(async () => {
    await c.check(new SuiteRng(seed));
  });
}

/**
 * Regression cases for bugs a differential check (float64 NumPy and tfjs-cpu) found on the webgpu
 * backend (issue 11, bugs 1, 3, 4, 5). They hold every backend to the same behaviour:
 * - indices out of range given as an int32 tensor fail with the same ArgumentError everywhere (at once
 *   where they can be read synchronously or were written from the host, at the next read of data when
 *   an async-only backend computed them);
 * - log1p / expm1 / tanh / elu / softplus keep their relative accuracy for tiny results (the suite's
 *   absolute floor of 1e-6 would hide a lost result there, so these cases compare ratios near 1);
 * - pow(-Infinity, y) follows C for non-integer y;
 * - sin / cos are range-reduced over the whole float32 range.
 */
import { asAsyncOnlyCall } from '../checked-backend.js';
import * as sn from '../../index.js';
import type { Backend, Tensor } from '../../index.js';
import { refBinary } from '../reference/binary.js';
import { fromFn, type NDArray } from '../reference/ndarray.js';
import { refUnary, type RefUnaryOp } from '../reference/unary.js';
import { ensure } from './check.js';
import { f32 } from './helpers.js';
import type { ConformanceCase } from './types.js';

/**
 * Runs `program` (which reads some result) and ensures it fails with an ArgumentError whose message
 * contains every fragment, and that a read made after that error works again (it is reported once).
 */
export async function expectArgumentError(program: () => Promise<unknown>, fragments: readonly string[]): Promise<void> {
  let thrown: unknown = undefined;
  try {
    await sn.tidy(program);
  } catch (e) {
    thrown = e;
  }
  ensure(thrown !== undefined, `expected an ArgumentError mentioning ${fragments.join(', ')}, but the program ran to the end`);
  const got = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  ensure(thrown instanceof sn.ArgumentError, `expected an ArgumentError, got ${got}`);
  const missing = fragments.filter((f) => !(thrown as Error).message.includes(f));
  ensure(missing.length === 0, `the message does not mention ${missing.map((m) => `'${m}'`).join(', ')}: "${(thrown as Error).message}"`);
  const after = sn.tensor([7, 8]);
  const values = Array.from(await after.data());
  after.dispose();
  ensure(values[0] === 7 && values[1] === 8, `a read after the error returned [${values.join(',')}]`);
}

/** [0, 5] as int32, computed by a kernel (so an async-only backend cannot know the values when gather runs). */
function computedIndices(): Tensor {
  return sn.add(sn.tensor([0, 2], [2], 'int32'), sn.tensor([0, 3], [2], 'int32'));
}

/**
 * The index-range programs: each must fail with the error naming the op, the bad index and the valid
 * range. Indices written from the host are checked at once everywhere; indices computed by kernels are
 * checked when they arrive on an async-only backend, the error coming from the next read.
 */
const INDEX_PROGRAMS: readonly { name: string; op: string; program: () => Promise<unknown>; message: readonly string[] }[] = [
  {
    name: 'int32 tensor index past the end fails, as on every backend', op: 'gather',
    program: () => sn.gather(sn.tensor([1, 2, 3]), sn.tensor([0, 5], [2], 'int32')).data(),
    message: ['gather', 'index 5 at position 1', 'axis 0 of x [3]', 'expected 0..2'],
  },
  {
    name: 'negative int32 tensor index fails (indices are not counted from the end)', op: 'gather',
    program: () => sn.gather(sn.tensor([[1, 2], [3, 4]]), sn.tensor([1, -1, 0], [3], 'int32'), 1).data(),
    message: ['gather', 'index -1 at position 1', 'axis 1 of x [2,2]', 'expected 0..1'],
  },
  {
    name: 'kernel-computed index past the end fails by the next read', op: 'gather',
    program: () => sn.gather(sn.tensor([1, 2, 3]), computedIndices()).data(),
    message: ['gather', 'index 5 at position 1', 'axis 0 of x [3]', 'expected 0..2'],
  },
  {
    name: 'a result computed from a bad gather fails too', op: 'gather',
    program: () => sn.sum(sn.mul(sn.gather(sn.tensor([1, 2, 3]), computedIndices()), 2)).data(),
    message: ['gather', 'index 5 at position 1', 'expected 0..2'],
  },
  {
    name: 'the gradient of a bad gather fails', op: 'gather',
    program: async () => {
      const x = sn.tensor([1, 2, 3]);
      const idx = computedIndices();
      const [dx] = sn.grad((v: Tensor) => sn.sum(sn.gather(v, idx)))(x);
      return dx!.data();
    },
    message: ['gather', 'index 5 at position 1', 'expected 0..2'],
  },
  {
    name: 'int32 tensor index outside the depth fails', op: 'oneHot',
    program: () => sn.oneHot(sn.tensor([1, 3, 0], [3], 'int32'), 3).data(),
    message: ['oneHot', 'index 3 at position 1', 'depth 3', 'expected 0..2'],
  },
  {
    name: 'argmax-computed index outside the depth fails by the next read', op: 'oneHot',
    program: () => sn.oneHot(sn.argmax(sn.tensor([[0, 0, 0, 0, 1], [1, 0, 0, 0, 0]]), 1), 3).data(),
    message: ['oneHot', 'index 4 at position 0', 'depth 3', 'expected 0..2'],
  },
];

/** Exposes `inner` as a backend that can only be read asynchronously, as a GPU backend. */
export function asyncOnlyView(inner: Backend, name: string): Backend {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'readSync' || prop === 'shutdown') return undefined;
      if (prop === 'name') return name;
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => asAsyncOnlyCall(() => f(...args));
    },
  });
}

/**
 * Runs the index programs on an async-only view of the backend under test, so the deferred check is
 * held on every backend (not only where a GPU happens to be available).
 */
async function onAsyncOnlyView(): Promise<void> {
  const base = sn.getBackendName();
  const name = `${base}-regression-async-only`;
  const inner = sn.getBackend();
  sn.registerBackend(name, () => asyncOnlyView(inner, name), { priority: -200 });
  try {
    await sn.setBackend(name);
    for (const p of INDEX_PROGRAMS) {
      try {
        await expectArgumentError(p.program, p.message);
      } catch (e) {
        throw new Error(`${p.op} › ${p.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    // A good gather is unaffected, and nothing is reported for it.
    const good = await sn.tidy(() => sn.gather(sn.tensor([1, 2, 3]), sn.tensor([2, 0], [2], 'int32')).data());
    ensure(good[0] === 3 && good[1] === 1, `gather with good indices gave [${Array.from(good).join(',')}]`);
    // A failure not yet reported survives reads that cannot happen (toString here) and a switch of
    // backend, and is thrown by the first read there, synchronous or not.
    const bad = sn.tidy(() => sn.gather(sn.tensor([1, 2, 3]), computedIndices()));
    ensure(bad.toString().includes('await t.data()'), `toString of an unreadable tensor gave "${bad.toString()}"`);
    bad.dispose();
    await sn.setBackend(base);
    const probe = sn.tensor([1]);
    let thrown: unknown = null;
    try {
      if (sn.getBackend().readSync) probe.dataSync();
      else await probe.data();
    } catch (e) {
      thrown = e;
    } finally {
      probe.dispose();
    }
    ensure(thrown instanceof sn.ArgumentError && thrown.message.includes('gather: index 5 at position 1'),
      `the first read after switching backends gave ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : 'no error'}`);
  } finally {
    await sn.setBackend(base);
    await sn.removeBackend(name);
  }
}

const indexCases: ConformanceCase[] = [
  ...INDEX_PROGRAMS.map((p): ConformanceCase => ({
    kind: 'property', op: p.op, name: p.name, check: () => expectArgumentError(p.program, p.message),
  })),
  {
    kind: 'property', op: 'gather', name: 'out-of-range tensor indices on an async-only backend fail at the next read',
    check: onAsyncOnlyView,
  },
];

/** f(x) / x in float64: the relative accuracy of a result that vanishes with x. */
function ratioRef(op: RefUnaryOp, over: (x: number) => number) {
  return (x: NDArray): NDArray => {
    const y = refUnary(op, x);
    return fromFn(x.shape, 'float32', (i) => y.data[i]! / over(x.data[i]!));
  };
}

const TINY = [1e-8, -1e-8, 1e-6, -1e-6, 1e-5, -1e-5, 2e-5, 3e-5, -3e-5, 1e-4, -1e-4, 1e-3, -1e-3, 0.01, -0.01, 0.2, -0.2];
const TINY_NEGATIVE = [-1e-8, -1e-6, -1e-5, -3e-5, -1e-4, -1e-3, -0.01, -0.2];
const byX = (x: number): number => x;

const tinyCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'log1p', name: 'relative accuracy at tiny inputs (log1p(x) / x)',
    inputs: [f32([TINY.length], { values: TINY })], run: (x: Tensor) => sn.div(sn.log1p(x), x), ref: ratioRef('log1p', byX),
  },
  {
    kind: 'compare', op: 'expm1', name: 'relative accuracy at tiny inputs (expm1(x) / x)',
    inputs: [f32([TINY.length], { values: TINY })], run: (x: Tensor) => sn.div(sn.expm1(x), x), ref: ratioRef('expm1', byX),
  },
  {
    kind: 'compare', op: 'tanh', name: 'relative accuracy at tiny inputs (tanh(x) / x)',
    inputs: [f32([TINY.length], { values: TINY })], run: (x: Tensor) => sn.div(sn.tanh(x), x), ref: ratioRef('tanh', byX),
  },
  {
    kind: 'compare', op: 'elu', name: 'relative accuracy at tiny negative inputs (elu(x) / x)',
    inputs: [f32([TINY_NEGATIVE.length], { values: TINY_NEGATIVE })], run: (x: Tensor) => sn.div(sn.elu(x), x),
    ref: (x: NDArray) => fromFn(x.shape, 'float32', (i) => Math.expm1(x.data[i]!) / x.data[i]!),
  },
  {
    // softplus(x) ≈ exp(x) for very negative x: compare the ratio, which is ≈ 1.
    kind: 'compare', op: 'softplus', name: 'relative accuracy far left (softplus(x) / exp(x) at -17, -25...)',
    inputs: [f32([6], { values: [-17, -25, -40, -14, -9, -3] })],
    run: (x: Tensor) => sn.div(sn.softplus(x), sn.exp(x)), ref: ratioRef('softplus', Math.exp),
  },
  {
    kind: 'compare', op: 'softplus', name: 'tiny results keep their value (softplus(-17) · e^17)',
    inputs: [f32([1], { values: [-17] })],
    run: (x: Tensor) => sn.mul(sn.softplus(x), Math.fround(Math.exp(17))),
    ref: (x: NDArray) => fromFn(x.shape, 'float32', (i) => refUnary('softplus', x).data[i]! * Math.fround(Math.exp(17))),
  },
];

const powCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'pow', name: 'infinite bases with non-integer, odd and even exponents (C rules)',
    inputs: [
      f32([12], { values: [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, Infinity, Infinity, -Infinity, -Infinity, Infinity] }),
      f32([12], { values: [0.5, -0.5, 2.5, -2.5, 3, -3, 2, 0.5, -0.5, 1e10, -1e10, 3] }),
    ],
    run: (a: Tensor, b: Tensor) => sn.pow(a, b), ref: (a: NDArray, b: NDArray) => refBinary('pow', a, b),
  },
];

/** Large float32 arguments, up to the largest finite one: sin and cos must be range-reduced exactly. */
const LARGE = [65537.5, -1e5, 3.1e6, 1e7, -1.5e8, 1234567936, 1e10, -3e12, 8.5e15, 1e20, 1e30, -7e33, 3e38, -3e38, 3.4028234663852886e38, 2 ** 100];

const trigCases: ConformanceCase[] = [
  {
    kind: 'compare', op: 'sin', name: 'large arguments up to 3.4e38 (exact range reduction)',
    inputs: [f32([LARGE.length], { values: LARGE })], run: sn.sin, ref: (x: NDArray) => refUnary('sin', x),
  },
  {
    kind: 'compare', op: 'cos', name: 'large arguments up to 3.4e38 (exact range reduction)',
    inputs: [f32([LARGE.length], { values: LARGE })], run: sn.cos, ref: (x: NDArray) => refUnary('cos', x),
  },
];

/** Every regression case of this file, registered in the suite's case list. */
export const webgpuRegressionCases: ConformanceCase[] = [...indexCases, ...tinyCases, ...powCases, ...trigCases];

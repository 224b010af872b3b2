/**
 * The epilogue kernels (`Backend.matmulEpilogue` / `conv2dEpilogue` / `pool2dEpilogue` / `reduceEpilogue`,
 * issue 14; and `reducePrologue`, last) against the same computation on the same backend as two steps:
 * the plain kernel, then the program run one
 * unfused kernel per step (core's runFusedUnfused). Each case draws random products (sizes, transposes,
 * strides, padding, groups) and random elementwise programs over them: 1–12 steps mixing dtypes, with
 * broadcast extras (a bias) and full-size ones (a residual) holding NaN / ±Infinity among ordinary values.
 * Results must agree bit for bit unless the backend's `info()` says `fusedExact: false` (a GPU compiler
 * may contract a·b + c): then float32 within 1e-5 relative. Backends without the capability skip these.
 */
import type { Backend } from '../../backend/backend.js';
import type { Conv2dInfo, DataId, MatmulAttrs, TensorRef } from '../../backend/kernel-types.js';
import type { FusedElementwiseProgram } from '../../backend/fused-types.js';
import { runFusedUnfused } from '../../compile/fused-unfused.js';
import { validateFusedProgram } from '../../compile/fused-validate.js';
import { REDUCE_OPS, reduceOutDtype } from '../../ops/defs/reduce-defs.js';
import type { TypedArray } from '../../dtype.js';
import * as sn from '../../index.js';
import { conv2dInfo } from '../../ops/conv-geometry.js';
import { sizeOf } from '../../shape.js';
import type { SuiteRng } from '../prng.js';
import { randomFusedProgram, type FusedFocus, type RandomFusedProgram } from '../fused-programs.js';
import { ensure } from './check.js';
import type { ConformanceCase, PropertyCase } from './types.js';

/** Random products per case. */
const PRODUCTS = 4;

/** The steps a program is built around (the epilogues compile makes: bias, activation, residual, scale, and a mix). */
const FOCI: readonly FusedFocus[] = [
  { kind: 'binary', op: 'add' }, { kind: 'unary', op: 'relu' }, { kind: 'binary', op: 'mul' }, { kind: 'const' },
  { kind: 'unary', op: 'gelu' }, { kind: 'where' }, { kind: 'cast' }, { kind: 'binary', op: 'greater' },
];

/** A random program over a product of `shape` that reads the product (input 0). */
function programOver(rng: SuiteRng, shape: readonly number[]): RandomFusedProgram {
  for (;;) {
    const p = randomFusedProgram(rng, FOCI[rng.int(0, FOCI.length - 1)]!, shape);
    const reads0 = p.program.instructions.some((ins) =>
      ins.kind === 'unary' || ins.kind === 'cast' ? ins.arg === 0 : ins.kind === 'const' ? false : ins.args.includes(0));
    if (reads0) return p;
  }
}

/** float32 values of a normal draw. */
function normals(rng: SuiteRng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.fround(rng.normal());
  return a;
}

/** The first index where `got` and `want` disagree (NaN matches NaN), or -1. */
function firstDifference(got: TypedArray, want: TypedArray, exact: boolean): number {
  if (got.length !== want.length) return 0;
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]);
    const w = Number(want[i]);
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (exact || !(want instanceof Float32Array) || !Number.isFinite(w) || Math.abs(g - w) > 1e-5 * Math.abs(w) + 1e-6) return i;
  }
  return -1;
}

/**
 * Runs `epilogue` (the backend's epilogue kernel) and `plain` (the plain kernel) on operands `xs`,
 * applies a random program to the plain product unfused, and compares every output.
 */
async function checkProduct(
  backend: Backend, rng: SuiteRng, what: string, xs: readonly TensorRef[], productShape: readonly number[],
  epilogue: (program: FusedElementwiseProgram, extras: readonly TensorRef[]) => DataId[], plain: () => DataId,
): Promise<void> {
  const p = programOver(rng, productShape);
  const extras: TensorRef[] = p.program.inputs.slice(1).map((x, i) => ({ id: backend.write(p.inputs[i + 1]!, x.dtype), shape: x.shape, dtype: x.dtype }));
  const made: DataId[] = [];
  try {
    const got = epilogue(p.program, extras);
    made.push(...got);
    const product = plain();
    made.push(product);
    const want = runFusedUnfused(backend, p.program, [{ id: product, shape: productShape, dtype: 'float32' }, ...extras]);
    made.push(...want);
    const exact = backend.info?.()['fusedExact'] !== false;
    for (let j = 0; j < want.length; j++) {
      const g = await backend.read(got[j]!);
      const w = await backend.read(want[j]!);
      const i = firstDifference(g, w, exact);
      ensure(i < 0, `${what}: output ${j} (value v${p.program.outputs[j]}) differs at element ${i}: epilogue ${g[i]}, two kernels ${w[i]} ` +
        `(${g.length} vs ${w.length} elements)\n  program: ${JSON.stringify(p.program)}`);
    }
  } finally {
    for (const id of made) backend.dispose(id);
    for (const r of [...xs, ...extras]) backend.dispose(r.id);
  }
}

const matmulCase: PropertyCase = {
  kind: 'property', op: 'matmul', name: 'epilogue: random programs on the product match matmul then the program unfused',
  unsupported: (b) => (b.matmulEpilogue ? null : 'the backend has no matmulEpilogue kernel (compile runs matmul, then the program)'),
  check: async (rng: SuiteRng) => {
    const backend = sn.getBackend();
    for (let t = 0; t < PRODUCTS; t++) {
      const batch = rng.int(1, 3);
      const [m, k, n] = rng.next() < 0.3 ? [rng.int(60, 140), rng.int(1, 40), rng.int(60, 300)] : [rng.int(1, 9), rng.int(1, 12), rng.int(1, 20)];
      const attrs: MatmulAttrs = { transposeA: rng.next() < 0.3, transposeB: rng.next() < 0.3 };
      const ba = rng.next() < 0.3 ? 1 : batch;
      const bb = ba === 1 ? batch : rng.next() < 0.3 ? 1 : batch;
      const aShape = attrs.transposeA ? [ba, k, m] : [ba, m, k];
      const bShape = attrs.transposeB ? [bb, n, k] : [bb, k, n];
      const a: TensorRef = { id: backend.write(normals(rng, sizeOf(aShape)), 'float32'), shape: aShape, dtype: 'float32' };
      const b: TensorRef = { id: backend.write(normals(rng, sizeOf(bShape)), 'float32'), shape: bShape, dtype: 'float32' };
      const shape = rng.next() < 0.5 ? [batch, m, n] : [batch * m, n];
      await checkProduct(backend, rng, `matmul ${JSON.stringify({ aShape, bShape, ...attrs })}`, [a, b], shape,
        (program, extras) => backend.matmulEpilogue!(a, b, attrs, program, extras), () => backend.matmul(a, b, attrs));
    }
  },
};

const conv2dCase: PropertyCase = {
  kind: 'property', op: 'conv2d', name: 'epilogue: random programs on the output match conv2d then the program unfused',
  unsupported: (b) => (b.conv2dEpilogue ? null : 'the backend has no conv2dEpilogue kernel (compile runs conv2d, then the program)'),
  check: async (rng: SuiteRng) => {
    const backend = sn.getBackend();
    for (let t = 0; t < PRODUCTS; t++) {
      const groups = rng.next() < 0.3 ? 2 : 1;
      const xShape = [rng.int(1, 3), groups * rng.int(1, 3), rng.int(3, 12), rng.int(3, 12)];
      const kernel: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
      const info: Conv2dInfo = conv2dInfo('conv2d', xShape, groups * rng.int(1, 4), kernel, [rng.int(1, 2), rng.int(1, 2)], [1, rng.int(1, 2)], rng.int(0, 1), groups);
      const wShape = [info.outChannels, info.inChannels / groups, kernel[0], kernel[1]];
      const x: TensorRef = { id: backend.write(normals(rng, sizeOf(xShape)), 'float32'), shape: xShape, dtype: 'float32' };
      const w: TensorRef = { id: backend.write(normals(rng, sizeOf(wShape)), 'float32'), shape: wShape, dtype: 'float32' };
      const shape = [info.batch, info.outChannels, info.outHeight, info.outWidth];
      await checkProduct(backend, rng, `conv2d ${JSON.stringify(info)}`, [x, w], shape,
        (program, extras) => backend.conv2dEpilogue!(x, w, info, program, extras), () => backend.conv2d(x, w, info));
    }
  },
};

const pool2dCase: PropertyCase = {
  kind: 'property', op: 'maxPool2d', name: 'epilogue: random programs on the pooled output match pool2d then the program unfused',
  unsupported: (b) => (b.pool2dEpilogue ? null : 'the backend has no pool2dEpilogue kernel (compile runs pool2d, then the program)'),
  check: async (rng: SuiteRng) => {
    const backend = sn.getBackend();
    for (let t = 0; t < PRODUCTS; t++) {
      const kind = rng.next() < 0.5 ? 'max' : 'avg';
      const xShape = [rng.int(1, 3), rng.int(1, 4), rng.int(3, 12), rng.int(3, 12)];
      const k = rng.int(1, 3);
      const info: Conv2dInfo = conv2dInfo('maxPool2d', xShape, xShape[1]!, [k, k], [rng.int(1, 3), rng.int(1, 2)], [1, 1], rng.int(0, k - 1), 1);
      const x: TensorRef = { id: backend.write(normals(rng, sizeOf(xShape)), 'float32'), shape: xShape, dtype: 'float32' };
      const shape = [info.batch, info.outChannels, info.outHeight, info.outWidth];
      await checkProduct(backend, rng, `pool2d ${kind} ${JSON.stringify(info)}`, [x], shape,
        (program, extras) => backend.pool2dEpilogue!(kind, x, info, program, extras), () => backend.pool2d(kind, x, info));
    }
  },
};

const reduceCase: PropertyCase = {
  kind: 'property', op: 'sum', name: 'epilogue: random programs on a float32 reduction match reduce then the program unfused',
  unsupported: (b) => (b.reduceEpilogue ? null : 'the backend has no reduceEpilogue kernel (compile runs reduce, then the program)'),
  check: async (rng: SuiteRng) => {
    const backend = sn.getBackend();
    const ops = REDUCE_OPS.filter((op) => reduceOutDtype(op, 'float32') === 'float32');
    for (let t = 0; t < PRODUCTS; t++) {
      const op = ops[rng.int(0, ops.length - 1)]!;
      const xShape = [rng.int(1, 6), rng.next() < 0.4 ? rng.int(65, 400) : rng.int(1, 20), rng.int(1, 6)];
      const x: TensorRef = { id: backend.write(normals(rng, sizeOf(xShape)), 'float32'), shape: xShape, dtype: 'float32' };
      await checkProduct(backend, rng, `reduce ${op} ${JSON.stringify(xShape)}`, [x], [xShape[0]!, xShape[2]!],
        (program, extras) => backend.reduceEpilogue!(op, x, 'float32', program, extras), () => backend.reduce(op, x, 'float32'));
    }
  },
};

/**
 * `Backend.reducePrologue`: random one-output programs (float32 or int32 result) reduced over a random
 * [outer, r, inner] split of their output, against the program (fused where the backend can) then reduce.
 */
const reducePrologueCase: PropertyCase = {
  kind: 'property', op: 'sum', name: 'prologue: a reduction of a random program matches the program then the reduce',
  unsupported: (b) => (b.reducePrologue ? null : 'the backend has no reducePrologue kernel (compile runs the program, then the reduce)'),
  check: async (rng: SuiteRng) => {
    const backend = sn.getBackend();
    const exact = backend.info?.()['fusedExact'] !== false;
    for (let t = 0; t < PRODUCTS; ) {
      const p = randomFusedProgram(rng, FOCI[rng.int(0, FOCI.length - 1)]!);
      const infos = validateFusedProgram(p.program);
      const o = p.program.outputs.find((v) => infos[v]!.dtype !== 'bool' && v >= p.program.inputs.length);
      const n = sizeOf(p.program.outShape);
      if (o === undefined || n === 0) continue;
      t++;
      const program: FusedElementwiseProgram = { ...p.program, outputs: [o] };
      const dims = p.program.outShape;
      const a = rng.int(0, dims.length);
      const b = rng.int(a, dims.length);
      const shape: [number, number, number] = [sizeOf(dims.slice(0, a)), sizeOf(dims.slice(a, b)), sizeOf(dims.slice(b))];
      const op = REDUCE_OPS[rng.int(0, REDUCE_OPS.length - 1)]!;
      const outDtype = reduceOutDtype(op, infos[o]!.dtype);
      const refs: TensorRef[] = program.inputs.map((x, i) => ({ id: backend.write(p.inputs[i]!, x.dtype), shape: x.shape, dtype: x.dtype }));
      const made: DataId[] = [];
      try {
        const got = backend.reducePrologue!(op, program, refs, shape, outDtype);
        made.push(got);
        const [values] = runFusedUnfused(backend, program, refs);
        made.push(values!);
        const want = backend.reduce(op, { id: values!, shape, dtype: infos[o]!.dtype }, outDtype);
        made.push(want);
        const g = await backend.read(got);
        const w = await backend.read(want);
        const i = firstDifference(g, w, exact);
        ensure(i < 0, `reduce ${op} over ${JSON.stringify(shape)}: element ${i} is ${g[i]} through the prologue, ${w[i]} as two kernels\n  program: ${JSON.stringify(program)}`);
      } finally {
        for (const id of made) backend.dispose(id);
        for (const r of refs) backend.dispose(r.id);
      }
    }
  },
};

/** Every epilogue-kernel case. */
export const epilogueCases: readonly ConformanceCase[] = [matmulCase, conv2dCase, pool2dCase, reduceCase, reducePrologueCase];

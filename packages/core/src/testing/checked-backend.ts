/**
 * The kernel contract, checked: a backend wrapper that asserts every call core makes against what
 * backend.ts promises (dtypes, shapes, layouts, index ranges, attribute values, output sizes) before
 * and after handing it to the real backend. The conformance suite runs every backend through it, so a
 * core change that sends a kernel something the contract does not allow fails the suite on every
 * backend instead of silently relying on one backend's leniency.
 */
import type { Backend, BackendMemory, Float16Kernel } from '../backend/backend.js';
import type {
  BinaryOp, Conv2dInfo, DataId, MatmulAttrs, PoolKind, ReduceOp, StridedView, TensorRef, UnaryAttrs, UnaryGradOp, UnaryOp,
} from '../backend/kernel-types.js';
import { dtypeOfArray, isDType, type DType, type TypedArray } from '../dtype.js';
import { binaryDef, binaryOutDtype } from '../ops/defs/binary-defs.js';
import { REDUCE_DEFS, reduceOutDtype } from '../ops/defs/reduce-defs.js';
import { unaryDef } from '../ops/defs/unary-defs.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { FusedElementwiseProgram, FusedSegment } from '../backend/fused-types.js';
import { validateFusedProgram } from '../compile/fused-validate.js';
import { checkFusedInputs } from '../compile/fused-unfused.js';
import { checkFusedSegments, segmentProgram } from '../compile/segments-run.js';
import { checkEpilogue, type EpilogueKernel } from '../compile/epilogue-unfused.js';

/** A kernel call outside the contract. */
export class ContractViolation extends Error {
  constructor(kernel: string, problem: string) {
    super(`kernel contract: ${kernel}: ${problem}`);
    this.name = 'ContractViolation';
  }
}

/** The input dtypes core may send each unary op: what its definition's `input` says. */
function unaryInputs(op: UnaryOp): DType[] {
  const input = unaryDef(op).input;
  return input === 'bool' ? ['bool'] : input === 'numeric' ? ['float32', 'int32'] : ['float32'];
}

/** The input dtypes core may send each binary op: what its definition's `kind` (and `int`) says. */
function binaryInputs(op: BinaryOp): DType[] {
  const def = binaryDef(op);
  if (def.kind === 'logical') return ['bool'];
  if (def.kind === 'compare') return ['float32', 'int32', 'bool'];
  return def.int ? ['float32', 'int32'] : ['float32'];
}

const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** How many calls made for an async-only view of the checked backend are under way (see {@link asAsyncOnlyCall}). */
let asyncOnlyCalls = 0;

/**
 * Runs `call` on behalf of a backend that can only be read asynchronously: core cannot check the
 * values of its indices before the kernel runs (it reports bad ones at the next read), so the proxy
 * does not hold such calls to in-range indices. The kernel must still stay inside its buffers.
 */
export function asAsyncOnlyCall<T>(call: () => T): T {
  asyncOnlyCalls++;
  try {
    return call();
  } finally {
    asyncOnlyCalls--;
  }
}

/** What the wrapper saw go wrong; the suite fails a case whose calls added to it. */
export interface ContractLog {
  readonly violations: string[];
}

/**
 * Wraps `inner` so that every kernel call is checked against the contract. Violations throw a
 * {@link ContractViolation} and are also appended to `log` (so an error case that expects some error
 * cannot swallow one). `shutdown` is not forwarded: the wrapped backend stays usable.
 */
export function checkedBackend(inner: Backend, log: ContractLog): Backend {
  const live = new Set<DataId>();
  const fail = (kernel: string, problem: string): never => {
    const v = new ContractViolation(kernel, problem);
    log.violations.push(v.message);
    throw v;
  };
  const need = (ok: boolean, kernel: string, problem: () => string): void => {
    if (!ok) fail(kernel, problem());
  };
  /** A kernel the backend computes in float16 also takes float16 wherever the contract takes float32. */
  const halfNative = (kernel: string): boolean => inner.float16Kernels?.has(kernel.split(' ')[0] as Float16Kernel) ?? false;
  const ref = (kernel: string, arg: string, t: TensorRef, dtypes: readonly DType[]): void => {
    const allowed = dtypes.includes('float32') && halfNative(kernel) ? [...dtypes, 'float16'] : dtypes;
    need(live.has(t.id), kernel, () => `${arg} is not live data of this backend (disposed, or never made here)`);
    need(Array.isArray(t.shape) && t.shape.every(isCount), kernel, () => `${arg} has an invalid shape ${String(t.shape)}`);
    need(isDType(t.dtype) && allowed.includes(t.dtype), kernel, () => `${arg} is ${t.dtype}; the contract allows ${allowed.join(' / ')}`);
  };
  /** The float output dtype of a product kernel: float16 for float16 operands, else float32. */
  const floatOut = (t: TensorRef): DType => (t.dtype === 'float16' ? 'float16' : 'float32');
  /** Raw bytes of a tensor's data (a copy), where the backend reads synchronously. */
  const bytesOf = (t: TensorRef): Uint8Array | null => {
    if (!inner.readSync) return null;
    const v = inner.readSync(t.id);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  };
  /**
   * Runs a kernel, then checks that it left its inputs as they were (bit for bit) and that its output
   * is new data of the expected size and dtype (both read back where the backend reads synchronously).
   */
  const out = (kernel: string, inputs: readonly TensorRef[], run: () => DataId, shape: readonly number[], dtype: DType): DataId => {
    need(sizeOf(shape) > 0, kernel, () => `called for an empty output ${fmt(shape)} (core skips those kernels)`);
    const before = inputs.map(bytesOf);
    const id = run();
    inputs.forEach((t, i) => {
      const was = before[i];
      if (!was) return;
      const now = bytesOf(t)!;
      need(now.length === was.length && now.every((b, j) => b === was[j]), kernel, () => `changed its input ${i} (kernels never mutate inputs)`);
    });
    need(!live.has(id), kernel, () => 'returned an id that is already live (outputs must be new data)');
    live.add(id);
    if (inner.readSync) {
      const values: TypedArray = inner.readSync(id);
      const want = sizeOf(shape);
      need(values.length === want, kernel, () => `output has ${values.length} elements, expected ${want} for ${fmt(shape)}`);
      const kind = dtypeOfArray(values);
      need(kind === dtype, kernel, () => `output is ${kind}, expected ${dtype}`);
    }
    return id;
  };
  const indicesInRange = (kernel: string, indices: TensorRef, limit: number): void => {
    if (!inner.readSync) return; // async-only backends: the kernel itself must reject bad indices
    const values = inner.readSync(indices.id);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      need(asyncOnlyCalls > 0 || (v >= 0 && v < limit), kernel, () => `index ${v} at position ${i} is outside [0, ${limit}) (core checks ranges first)`);
    }
  };
  const conv = (kernel: string, g: Conv2dInfo): void => {
    const fields = Object.entries(g);
    need(fields.every(([, v]) => isCount(v)), kernel, () => `info has a field that is not a non-negative integer: ${JSON.stringify(g)}`);
    need(g.strideHeight >= 1 && g.strideWidth >= 1 && g.dilationHeight >= 1 && g.dilationWidth >= 1, kernel, () => 'strides and dilations must be ≥ 1');
    need(g.groups >= 1 && g.inChannels % g.groups === 0 && g.outChannels % g.groups === 0, kernel, () => `groups ${g.groups} must divide ${g.inChannels} and ${g.outChannels}`);
    need(g.outHeight >= 1 && g.outWidth >= 1 && g.kernelHeight >= 1 && g.kernelWidth >= 1, kernel, () => 'output and window sizes must be ≥ 1');
  };
  const nchw = (g: Conv2dInfo, which: 'x' | 'y' | 'w'): number[] =>
    which === 'x' ? [g.batch, g.inChannels, g.inHeight, g.inWidth]
      : which === 'y' ? [g.batch, g.outChannels, g.outHeight, g.outWidth]
        : [g.outChannels, g.inChannels / g.groups, g.kernelHeight, g.kernelWidth];
  const shaped = (kernel: string, arg: string, t: TensorRef, shape: readonly number[]): void =>
    need(sameShape(t.shape, shape), kernel, () => `${arg} is ${fmt(t.shape)}, expected ${fmt(shape)} from info`);

  /** A conv kernel call: valid geometry, two float32 operands of their NCHW roles, an output of its role. */
  type Role = 'x' | 'y' | 'w';
  const convCall = (kernel: string, g: Conv2dInfo, args: readonly [string, TensorRef, Role][], outRole: Role, run: () => DataId): DataId => {
    conv(kernel, g);
    for (const [name, t] of args) ref(kernel, name, t, ['float32']);
    for (const [name, t] of args) need(t.dtype === args[0]![1].dtype, kernel, () => `${name} is ${t.dtype}, ${args[0]![0]} is ${args[0]![1].dtype}`);
    for (const [name, t, role] of args) shaped(kernel, name, t, nchw(g, role));
    return out(kernel, args.map(([, t]) => t), run, nchw(g, outRole), floatOut(args[0]![1]));
  };

  /** Checks a matmul call's operands; returns its output shape. */
  const matmulShape = (k: string, a: TensorRef, b: TensorRef, attrs: MatmulAttrs): number[] => {
    ref(k, 'a', a, ['float32']);
    ref(k, 'b', b, [a.dtype]);
    need(a.shape.length === 3 && b.shape.length === 3, k, () => `operands ${fmt(a.shape)}, ${fmt(b.shape)} are not rank 3`);
    const [ba, a1, a2] = a.shape as [number, number, number];
    const [bb, b1, b2] = b.shape as [number, number, number];
    const [m, ka] = attrs.transposeA ? [a2, a1] : [a1, a2];
    const [kb, n] = attrs.transposeB ? [b2, b1] : [b1, b2];
    need(ka === kb, k, () => `inner sizes differ: ${ka} vs ${kb}`);
    need(ba === bb || ba === 1 || bb === 1, k, () => `batch sizes ${ba} and ${bb} do not broadcast`);
    return [Math.max(ba, bb), m, n];
  };
  /**
   * Runs a kernel that computes a fused program's outputs (`infos`: the program's value types), then checks
   * that it returned one id an output, left its inputs as they were (bit for bit), and that each output is
   * new data of outShape in its value's dtype (read back where the backend reads synchronously).
   */
  const programOutputs = (
    k: string, program: FusedElementwiseProgram, infos: ReturnType<typeof validateFusedProgram>, inputs: readonly TensorRef[], run: () => DataId[],
  ): DataId[] => {
    const before = inputs.map(bytesOf);
    const ids = run();
    need(ids.length === program.outputs.length, k, () => `returned ${ids.length} ids for ${program.outputs.length} outputs`);
    inputs.forEach((t, i) => {
      const was = before[i];
      need(!was || bytesOf(t)!.every((b, j) => b === was[j]), k, () => `changed its input ${i} (kernels never mutate inputs)`);
    });
    ids.forEach((id, j) => {
      need(!live.has(id) && ids.indexOf(id) === j, k, () => `output ${j} is not new data`);
      live.add(id);
      if (!inner.readSync) return;
      const values = inner.readSync(id);
      const dtype = infos[program.outputs[j]!]!.dtype;
      need(values.length === sizeOf(program.outShape) && dtypeOfArray(values) === dtype, k,
        () => `output ${j} is ${dtypeOfArray(values)} × ${values.length}, expected ${dtype} × ${sizeOf(program.outShape)}`);
    });
    return ids;
  };
  /**
   * An epilogue kernel call (matmul / conv2d, then a fused program on its float32 product): a valid
   * program whose input 0 is the product, live extras as it states, inputs left as they were, new
   * outputs of outShape in each output's dtype.
   */
  const epilogueCall = (
    k: EpilogueKernel, operands: readonly TensorRef[], productShape: readonly number[], program: FusedElementwiseProgram,
    extras: readonly TensorRef[], run: () => DataId[],
  ): DataId[] => {
    need(operands.every((t) => t.dtype === 'float32'), k, () => `operands are ${operands.map((t) => t.dtype).join(', ')}; epilogues take float32 only`);
    let infos: ReturnType<typeof checkEpilogue> = [];
    try {
      infos = checkEpilogue(k, program, sizeOf(productShape), extras);
    } catch (e) {
      fail(k, e instanceof Error ? e.message : String(e));
    }
    extras.forEach((t, i) => ref(k, `extra ${i}`, t, [program.inputs[i + 1]!.dtype]));
    return programOutputs(k, program, infos, [...operands, ...extras], run);
  };

  const checked: Backend = {
    name: inner.name,
    ...(inner.float16Kernels ? { float16Kernels: inner.float16Kernels } : {}),
    write(values: TypedArray, dtype: DType): DataId {
      const id = inner.write(values, dtype);
      need(!live.has(id), 'write', () => 'returned an id that is already live');
      live.add(id);
      return id;
    },
    read: (id) => {
      if (!live.has(id)) fail('read', 'id is not live');
      return inner.read(id);
    },
    dispose(id: DataId): void {
      need(live.delete(id), 'dispose', () => 'id is not live (disposed twice, or never made here)');
      inner.dispose(id);
    },
    memory: (): BackendMemory => inner.memory(),

    unary(op: UnaryOp, x: TensorRef, outDtype: DType, attrs: UnaryAttrs): DataId {
      const k = `unary ${op}`;
      const allowed = unaryInputs(op);
      ref(k, 'x', x, allowed);
      need(outDtype === x.dtype, k, () => `outDtype ${outDtype} differs from x's ${x.dtype}`);
      need(attrs.alpha === undefined || Number.isFinite(attrs.alpha), k, () => `alpha ${String(attrs.alpha)} is not a finite number`);
      need(!('alpha' in unaryDef(op)) || attrs.alpha !== undefined, k, () => 'alpha is missing (core passes it to every op whose definition has one)');
      return out(k, [x], () => inner.unary(op, x, outDtype, attrs), x.shape, outDtype);
    },
    unaryGrad(op: UnaryGradOp, x: TensorRef, y: TensorRef, dy: TensorRef, attrs: UnaryAttrs): DataId {
      const k = `unaryGrad ${op}`;
      need(unaryDef(op).input !== 'bool' && 'grad' in unaryDef(op), k, () => 'the op has no fused derivative');
      ref(k, 'x', x, ['float32']);
      ref(k, 'y', y, ['float32']);
      ref(k, 'dy', dy, ['float32']);
      need(sameShape(y.shape, x.shape) && sameShape(dy.shape, x.shape), k, () => `x ${fmt(x.shape)}, y ${fmt(y.shape)} and dy ${fmt(dy.shape)} differ in shape`);
      need(attrs.alpha === undefined || Number.isFinite(attrs.alpha), k, () => `alpha ${String(attrs.alpha)} is not a finite number`);
      need(!('alpha' in unaryDef(op)) || attrs.alpha !== undefined, k, () => 'alpha is missing (core passes it to every op whose definition has one)');
      return out(k, [x, y, dy], () => inner.unaryGrad(op, x, y, dy, attrs), x.shape, 'float32');
    },
    binary(op: BinaryOp, a: TensorRef, b: TensorRef, outShape: readonly number[], outDtype: DType): DataId {
      const k = `binary ${op}`;
      const allowed = binaryInputs(op);
      ref(k, 'a', a, allowed);
      ref(k, 'b', b, [a.dtype]);
      need(sameShape(outShape, broadcastShapes(a.shape, b.shape, k)), k, () => `outShape ${fmt(outShape)} is not the broadcast of ${fmt(a.shape)} and ${fmt(b.shape)}`);
      const want = binaryOutDtype(op, a.dtype);
      need(outDtype === want, k, () => `outDtype ${outDtype}, expected ${want}`);
      return out(k, [a, b], () => inner.binary(op, a, b, outShape, outDtype), outShape, outDtype);
    },
    where(cond: TensorRef, a: TensorRef, b: TensorRef, outShape: readonly number[]): DataId {
      ref('where', 'cond', cond, ['bool']);
      ref('where', 'a', a, ['float32', 'int32', 'bool']);
      ref('where', 'b', b, [a.dtype]);
      const want = broadcastShapes(cond.shape, broadcastShapes(a.shape, b.shape, 'where'), 'where');
      need(sameShape(outShape, want), 'where', () => `outShape ${fmt(outShape)}, expected ${fmt(want)}`);
      return out('where', [cond, a, b], () => inner.where(cond, a, b, outShape), outShape, a.dtype);
    },
    cast(x: TensorRef, dtype: DType): DataId {
      ref('cast', 'x', x, ['float32', 'float16', 'int32', 'bool']);
      need(isDType(dtype) && dtype !== x.dtype, 'cast', () => `cast from ${x.dtype} to ${dtype} (core never casts to the same dtype)`);
      return out('cast', [x], () => inner.cast(x, dtype), x.shape, dtype);
    },
    reduce(op: ReduceOp, x: TensorRef, outDtype: DType): DataId {
      const k = `reduce ${op}`;
      need(op in REDUCE_DEFS, k, () => 'unknown reduction');
      ref(k, 'x', x, ['float32', 'int32']);
      need(x.shape.length === 3 && x.shape.every((d) => d >= 1), k, () => `x ${fmt(x.shape)} is not the [outer, r, inner] layout with every size ≥ 1`);
      need(outDtype === reduceOutDtype(op, x.dtype), k, () => `outDtype ${outDtype}, the table says ${reduceOutDtype(op, x.dtype)} for ${x.dtype}`);
      return out(k, [x], () => inner.reduce(op, x, outDtype), [x.shape[0]!, x.shape[2]!], outDtype);
    },
    matmul(a: TensorRef, b: TensorRef, attrs: MatmulAttrs): DataId {
      return out('matmul', [a, b], () => inner.matmul(a, b, attrs), matmulShape('matmul', a, b, attrs), floatOut(a));
    },
    conv2d(x: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
      return convCall('conv2d', info, [['x', x, 'x'], ['w', w, 'w']], 'y', () => inner.conv2d(x, w, info));
    },
    conv2dBackInput(dy: TensorRef, w: TensorRef, info: Conv2dInfo): DataId {
      return convCall('conv2dBackInput', info, [['dy', dy, 'y'], ['w', w, 'w']], 'x', () => inner.conv2dBackInput(dy, w, info));
    },
    conv2dBackFilter(x: TensorRef, dy: TensorRef, info: Conv2dInfo): DataId {
      return convCall('conv2dBackFilter', info, [['x', x, 'x'], ['dy', dy, 'y']], 'w', () => inner.conv2dBackFilter(x, dy, info));
    },
    pool2d(kind: PoolKind, x: TensorRef, info: Conv2dInfo): DataId {
      const k = `pool2d ${kind}`;
      need(kind === 'max' || kind === 'avg', k, () => 'unknown pooling kind');
      conv(k, info);
      need(info.groups === 1 && info.outChannels === info.inChannels, k, () => 'pooling info must have groups 1 and outChannels = inChannels');
      ref(k, 'x', x, ['float32']);
      shaped(k, 'x', x, nchw(info, 'x'));
      return out(k, [x], () => inner.pool2d(kind, x, info), nchw(info, 'y'), floatOut(x));
    },
    pool2dBack(kind: PoolKind, dy: TensorRef, x: TensorRef, info: Conv2dInfo): DataId {
      const k = `pool2dBack ${kind}`;
      need(kind === 'max' || kind === 'avg', k, () => 'unknown pooling kind');
      conv(k, info);
      need(info.groups === 1 && info.outChannels === info.inChannels, k, () => 'pooling info must have groups 1 and outChannels = inChannels');
      ref(k, 'dy', dy, ['float32']);
      ref(k, 'x', x, [dy.dtype]);
      shaped(k, 'dy', dy, nchw(info, 'y'));
      shaped(k, 'x', x, nchw(info, 'x'));
      return out(k, [dy, x], () => inner.pool2dBack(kind, dy, x, info), nchw(info, 'x'), floatOut(dy));
    },
    copy(x: TensorRef, view: StridedView): DataId {
      ref('copy', 'x', x, ['float32', 'int32', 'bool']);
      need(view.shape.every(isCount) && view.strides.length === view.shape.length, 'copy', () => `view ${JSON.stringify(view)} is malformed`);
      need(view.strides.every(Number.isInteger) && isCount(view.offset), 'copy', () => `view strides ${fmt(view.strides)} must be integers and offset ${view.offset} a non-negative one`);
      // Negative strides (flip) walk down from the offset: the view must stay inside x at both ends.
      const first = view.shape.reduce((at, d, i) => at + Math.min(0, (d - 1) * view.strides[i]!), view.offset);
      const last = view.shape.reduce((at, d, i) => at + Math.max(0, (d - 1) * view.strides[i]!), view.offset);
      need(first >= 0 && last < sizeOf(x.shape), 'copy', () => `view reaches elements ${first}..${last} of x ${fmt(x.shape)}`);
      return out('copy', [x], () => inner.copy(x, view), view.shape, x.dtype);
    },
    pad(x: TensorRef, paddings: readonly (readonly [number, number])[], value: number): DataId {
      ref('pad', 'x', x, ['float32', 'int32', 'bool']);
      need(paddings.length === x.shape.length && paddings.every((p) => p.length === 2 && isCount(p[0]) && isCount(p[1])), 'pad', () => `paddings ${JSON.stringify(paddings)} must be one pair of non-negative integers per axis`);
      need(paddings.some((p) => p[0] > 0 || p[1] > 0), 'pad', () => 'all paddings are 0 (core aliases instead)');
      need(typeof value === 'number', 'pad', () => `value ${String(value)} is not a number`);
      return out('pad', [x], () => inner.pad(x, paddings, value), x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]), x.dtype);
    },
    concat(xs: readonly TensorRef[], axis: number, outShape: readonly number[]): DataId {
      need(xs.length >= 2, 'concat', () => `${xs.length} inputs (core aliases a single one)`);
      const first = xs[0]!;
      need(isCount(axis) && axis < first.shape.length, 'concat', () => `axis ${axis} is outside rank ${first.shape.length}`);
      let joined = 0;
      xs.forEach((t, i) => {
        need(live.has(t.id), 'concat', () => `xs[${i}] is not live data`);
        need(t.dtype === first.dtype, 'concat', () => `xs[${i}] is ${t.dtype}, xs[0] is ${first.dtype}`);
        need(t.shape.length === first.shape.length && t.shape.every((d, j) => j === axis || d === first.shape[j]), 'concat', () => `xs[${i}] ${fmt(t.shape)} does not match xs[0] ${fmt(first.shape)} off axis ${axis}`);
        joined += t.shape[axis]!;
      });
      const want = first.shape.map((d, j) => (j === axis ? joined : d));
      need(sameShape(outShape, want), 'concat', () => `outShape ${fmt(outShape)}, expected ${fmt(want)}`);
      return out('concat', xs, () => inner.concat(xs, axis, outShape), outShape, first.dtype);
    },
    gather(x: TensorRef, indices: TensorRef, axis: number): DataId {
      ref('gather', 'x', x, ['float32', 'int32', 'bool']);
      ref('gather', 'indices', indices, ['int32']);
      need(isCount(axis) && axis < x.shape.length, 'gather', () => `axis ${axis} is outside rank ${x.shape.length}`);
      indicesInRange('gather', indices, x.shape[axis]!);
      const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
      return out('gather', [x, indices], () => inner.gather(x, indices, axis), outShape, x.dtype);
    },
    scatterAdd(updates: TensorRef, indices: TensorRef, axis: number, outShape: readonly number[]): DataId {
      ref('scatterAdd', 'updates', updates, ['float32']);
      ref('scatterAdd', 'indices', indices, ['int32']);
      need(isCount(axis) && axis < outShape.length && outShape.every(isCount), 'scatterAdd', () => `axis ${axis} / outShape ${fmt(outShape)} malformed`);
      indicesInRange('scatterAdd', indices, outShape[axis]!);
      const want = [...outShape.slice(0, axis), ...indices.shape, ...outShape.slice(axis + 1)];
      need(sameShape(updates.shape, want), 'scatterAdd', () => `updates ${fmt(updates.shape)}, expected ${fmt(want)}`);
      return out('scatterAdd', [updates, indices], () => inner.scatterAdd(updates, indices, axis, outShape), outShape, floatOut(updates));
    },
    argsort(x: TensorRef, descending: boolean): DataId {
      ref('argsort', 'x', x, ['float32', 'int32']);
      need(x.shape.length === 2 && x.shape.every((d) => d >= 1), 'argsort', () => `x ${fmt(x.shape)} is not the [outer, n] layout with both sizes ≥ 1`);
      need(typeof descending === 'boolean', 'argsort', () => `descending ${String(descending)} is not a boolean`);
      return out('argsort', [x], () => inner.argsort(x, descending), x.shape, 'int32');
    },
    layerNorm(x: TensorRef, eps: number): DataId {
      ref('layerNorm', 'x', x, ['float32']);
      need(x.shape.length === 2 && x.shape.every((d) => d >= 1), 'layerNorm', () => `x ${fmt(x.shape)} is not the [rows, n] layout with both sizes ≥ 1`);
      need(typeof eps === 'number' && Number.isFinite(eps) && eps >= 0, 'layerNorm', () => `eps ${String(eps)} is not a finite number ≥ 0`);
      return out('layerNorm', [x], () => inner.layerNorm(x, eps), x.shape, floatOut(x));
    },
    layerNormGrad(x: TensorRef, dy: TensorRef, eps: number): DataId {
      ref('layerNormGrad', 'x', x, ['float32']);
      ref('layerNormGrad', 'dy', dy, [x.dtype]);
      need(x.shape.length === 2 && x.shape.every((d) => d >= 1), 'layerNormGrad', () => `x ${fmt(x.shape)} is not the [rows, n] layout with both sizes ≥ 1`);
      need(sameShape(dy.shape, x.shape), 'layerNormGrad', () => `dy ${fmt(dy.shape)} differs from x ${fmt(x.shape)}`);
      need(typeof eps === 'number' && Number.isFinite(eps) && eps >= 0, 'layerNormGrad', () => `eps ${String(eps)} is not a finite number ≥ 0`);
      return out('layerNormGrad', [x, dy], () => inner.layerNormGrad(x, dy, eps), x.shape, floatOut(x));
    },
  };
  if (inner.readSync) {
    const readSync = inner.readSync.bind(inner);
    checked.readSync = (id: DataId): TypedArray => {
      if (!live.has(id)) fail('readSync', 'id is not live');
      return readSync(id);
    };
  }
  if (inner.info) checked.info = inner.info.bind(inner);
  if (inner.fusedElementwise) {
    // The optional fused kernel: a valid program, live inputs as it states, new outputs of outShape.
    const fused = inner.fusedElementwise.bind(inner);
    checked.fusedElementwise = (program: FusedElementwiseProgram, xs: readonly TensorRef[]): DataId[] => {
      const k = 'fusedElementwise';
      const infos = validateFusedProgram(program);
      checkFusedInputs(program, xs);
      xs.forEach((t, i) => ref(k, `input ${i}`, t, [program.inputs[i]!.dtype]));
      return programOutputs(k, program, infos, xs, () => fused(program, xs));
    };
  }
  if (inner.fusedElementwiseSegments) {
    // Segments: a flat program, each segment's refs live as its program states, new outputs of each segment's size.
    const run = inner.fusedElementwiseSegments.bind(inner);
    checked.fusedElementwiseSegments = (program: FusedElementwiseProgram, segments: readonly FusedSegment[]): DataId[][] => {
      const k = 'fusedElementwiseSegments';
      const infos = validateFusedProgram(program);
      checkFusedSegments(program, segments);
      segments.forEach((s, i) => s.inputs.forEach((t, j) => ref(k, `segment ${i} input ${j}`, t, [program.inputs[j]!.dtype])));
      const inputs = segments.flatMap((s) => s.inputs);
      const before = inputs.map(bytesOf);
      const results = run(program, segments);
      need(results.length === segments.length, k, () => `returned ${results.length} lists for ${segments.length} segments`);
      inputs.forEach((t, i) => need(!before[i] || bytesOf(t)!.every((b, j) => b === before[i]![j]), k, () => 'changed an input (kernels never mutate inputs)'));
      return results.map((ids, s) => programOutputs(k, segmentProgram(program, segments[s]!.size), infos, [], () => ids));
    };
  }
  if (inner.matmulEpilogue) {
    const run = inner.matmulEpilogue.bind(inner);
    checked.matmulEpilogue = (a, b, attrs, program, extras): DataId[] =>
      epilogueCall('matmulEpilogue', [a, b], matmulShape('matmulEpilogue', a, b, attrs), program, extras, () => run(a, b, attrs, program, extras));
  }
  if (inner.reducePrologue) {
    const run = inner.reducePrologue.bind(inner);
    checked.reducePrologue = (op, program, xs, shape, outDtype): DataId => {
      const k = `reducePrologue ${op}`;
      let infos: ReturnType<typeof validateFusedProgram> = [];
      try {
        infos = validateFusedProgram(program);
        checkFusedInputs(program, xs);
      } catch (e) {
        fail(k, e instanceof Error ? e.message : String(e));
      }
      xs.forEach((t, i) => ref(k, `input ${i}`, t, [program.inputs[i]!.dtype]));
      need(program.outputs.length === 1, k, () => `the program has ${program.outputs.length} outputs, expected one`);
      const dtype = infos[program.outputs[0]!]!.dtype;
      need(op in REDUCE_DEFS && (dtype === 'float32' || dtype === 'int32'), k, () => `reduces a ${dtype} value (float32 / int32 only)`);
      need(shape.length === 3 && shape.every((d) => isCount(d) && d >= 1) && sizeOf(shape) === sizeOf(program.outShape), k,
        () => `shape ${fmt(shape)} is not an [outer, r, inner] layout of the program's ${sizeOf(program.outShape)} elements`);
      need(outDtype === reduceOutDtype(op, dtype), k, () => `outDtype ${outDtype}, the table says ${reduceOutDtype(op, dtype)} for ${dtype}`);
      return out(k, xs, () => run(op, program, xs, shape, outDtype), [shape[0], shape[2]], outDtype);
    };
  }
  if (inner.pool2dEpilogue) {
    const run = inner.pool2dEpilogue.bind(inner);
    checked.pool2dEpilogue = (kind, x, info, program, extras): DataId[] => {
      const k = 'pool2dEpilogue';
      need(kind === 'max' || kind === 'avg', k, () => 'unknown pooling kind');
      conv(k, info);
      need(info.groups === 1 && info.outChannels === info.inChannels, k, () => 'pooling info must have groups 1 and outChannels = inChannels');
      ref(k, 'x', x, ['float32']);
      shaped(k, 'x', x, nchw(info, 'x'));
      return epilogueCall(k, [x], nchw(info, 'y'), program, extras, () => run(kind, x, info, program, extras));
    };
  }
  if (inner.reduceEpilogue) {
    const run = inner.reduceEpilogue.bind(inner);
    checked.reduceEpilogue = (op, x, outDtype, program, extras): DataId[] => {
      const k = 'reduceEpilogue';
      need(op in REDUCE_DEFS, k, () => 'unknown reduction');
      ref(k, 'x', x, ['float32']);
      need(x.shape.length === 3 && x.shape.every((d) => d >= 1), k, () => `x ${fmt(x.shape)} is not the [outer, r, inner] layout with every size ≥ 1`);
      need(outDtype === 'float32' && reduceOutDtype(op, x.dtype) === 'float32', k, () => `outDtype ${outDtype}; epilogues follow float32 reductions only`);
      return epilogueCall(k, [x], [x.shape[0]!, x.shape[2]!], program, extras, () => run(op, x, outDtype, program, extras));
    };
  }
  if (inner.conv2dEpilogue) {
    const run = inner.conv2dEpilogue.bind(inner);
    checked.conv2dEpilogue = (x, w, info, program, extras): DataId[] => {
      const k = 'conv2dEpilogue';
      conv(k, info);
      shaped(k, 'x', x, nchw(info, 'x'));
      shaped(k, 'w', w, nchw(info, 'w'));
      for (const [name, t] of [['x', x], ['w', w]] as const) ref(k, name, t, ['float32']);
      return epilogueCall(k, [x, w], nchw(info, 'y'), program, extras, () => run(x, w, info, program, extras));
    };
  }
  return checked;
}

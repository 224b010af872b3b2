import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import type { DType, TypedArray } from '../dtype.js';
import { checkedBackend, ContractViolation, type ContractLog } from './checked-backend.js';

/** A storage-only backend whose reduce returns `outLength` zeros (so tests can make it misbehave). */
function fakeBackend(outLength: (x: TensorRef) => number, mutate = false): Backend {
  const store = new Map<number, TypedArray>();
  let next = 1;
  const put = (a: TypedArray): number => {
    store.set(next, a);
    return next++;
  };
  const unsupported = (): never => {
    throw new Error('not used in these tests');
  };
  return {
    name: 'fake',
    write: (values) => put(values),
    read: (id) => Promise.resolve(store.get(id as number)!),
    readSync: (id) => store.get(id as number)!,
    dispose: (id) => void store.delete(id as number),
    memory: () => ({ bytes: 0, buffers: store.size }),
    reduce: (op, x, outDtype) => {
      if (mutate) store.get(x.id as number)![0] = 42;
      return put(outDtype === 'float32' ? new Float32Array(outLength(x)) : new Int32Array(outLength(x)));
    },
    unary: unsupported, unaryGrad: unsupported, binary: unsupported, where: unsupported, cast: unsupported, matmul: unsupported,
    conv2d: unsupported, conv2dBackInput: unsupported, conv2dBackFilter: unsupported, pool2d: unsupported,
    pool2dBack: unsupported, copy: unsupported, pad: unsupported, concat: unsupported, gather: unsupported,
    scatterAdd: unsupported, argsort: unsupported, layerNorm: unsupported, layerNormGrad: unsupported,
  };
}

function setup(outLength: (x: TensorRef) => number = (x) => x.shape[0]! * x.shape[2]!, mutate = false) {
  const log: ContractLog = { violations: [] };
  const b = checkedBackend(fakeBackend(outLength, mutate), log);
  const t = (n: number, shape: number[], dtype: DType = 'float32'): TensorRef => ({
    id: b.write(dtype === 'float32' ? new Float32Array(n) : new Int32Array(n), dtype), shape, dtype,
  });
  return { log, b, t };
}

describe('checkedBackend', () => {
  it('passes calls inside the contract through', () => {
    const { log, b, t } = setup();
    const out: DataId = b.reduce('sum', t(24, [2, 3, 4]), 'float32');
    expect(b.readSync!(out).length).toBe(8);
    expect(b.reduce('argmax', t(6, [1, 6, 1], 'int32'), 'int32')).toBeDefined();
    expect(log.violations).toEqual([]);
  });

  it('rejects a reduction outside the [outer, r, inner] layout, and logs it', () => {
    const { log, b, t } = setup();
    expect(() => b.reduce('sum', t(12, [3, 4]), 'float32')).toThrow(ContractViolation);
    expect(() => b.reduce('max', t(0, [3, 0, 1]), 'float32')).toThrow(/every size ≥ 1/);
    expect(log.violations).toHaveLength(2);
  });

  it('rejects an output dtype the reduce table does not give', () => {
    const { b, t } = setup();
    expect(() => b.reduce('sum', t(4, [1, 4, 1], 'int32'), 'float32')).toThrow(/the table says int32/);
    expect(() => b.reduce('argmin', t(4, [1, 4, 1]), 'float32')).toThrow(/outDtype float32/);
  });

  it('rejects a backend output of the wrong size', () => {
    const { b, t } = setup(() => 3);
    expect(() => b.reduce('sum', t(8, [2, 2, 2]), 'float32')).toThrow(/output has 3 elements, expected 4/);
  });

  it('rejects a kernel that writes into its input', () => {
    const { b, t } = setup(undefined, true);
    expect(() => b.reduce('sum', t(4, [1, 4, 1]), 'float32')).toThrow(/changed its input 0/);
  });

  it('rejects dead ids: a disposed input, a second dispose', () => {
    const { b, t } = setup();
    const x = t(4, [1, 4, 1]);
    b.dispose(x.id);
    expect(() => b.reduce('sum', x, 'float32')).toThrow(/not live/);
    expect(() => b.dispose(x.id)).toThrow(/disposed twice/);
  });

  it('rejects an argsort outside the [outer, n] float32 / int32 layout', () => {
    const { log, b, t } = setup();
    expect(() => b.argsort(t(6, [6]), false)).toThrow(/\[outer, n\] layout/);
    expect(() => b.argsort(t(0, [2, 0]), true)).toThrow(/both sizes ≥ 1/);
    expect(() => b.argsort(t(4, [2, 2]), 'yes' as unknown as boolean)).toThrow(/not a boolean/);
    expect(log.violations).toHaveLength(3);
  });

  it('checks fusedElementwiseSegments: a flat program, live refs, and per segment new outputs of its size', () => {
    const log: ContractLog = { violations: [] };
    const inner = fakeBackend(() => 1);
    let shortBy = 0;
    inner.fusedElementwiseSegments = (_program, segments) => segments.map((s) => [inner.write(new Float32Array(s.size - shortBy), 'float32')]);
    const b = checkedBackend(inner, log);
    const program = {
      inputs: [{ shape: [5], dtype: 'float32' as const }, { shape: [1], dtype: 'float32' as const }],
      outShape: [5], instructions: [{ kind: 'binary' as const, op: 'mul' as const, args: [0, 1] as const, dtype: 'float32' as const }], outputs: [2],
    };
    const ref = (n: number): TensorRef => ({ id: b.write(new Float32Array(n), 'float32'), shape: [n], dtype: 'float32' });
    const segments = [{ size: 3, inputs: [ref(3), ref(1)] }, { size: 7, inputs: [ref(7), ref(1)] }];
    const out = b.fusedElementwiseSegments!(program, segments);
    expect(out.map((ids) => b.readSync!(ids[0]!).length)).toEqual([3, 7]);
    expect(log.violations).toEqual([]);
    shortBy = 1;
    expect(() => b.fusedElementwiseSegments!(program, segments)).toThrow(/fusedElementwiseSegments: output 0 is float32 × 2, expected float32 × 3/);
    expect(() => b.fusedElementwiseSegments!(program, [{ size: 3, inputs: [ref(3), ref(3)] }])).toThrow(/segment 0 input 1 is float32 \[3\]/);
  });
});

import { describe, expect, it } from 'vitest';
import { BINARY_DEFS, BINARY_OPS, binaryKernelDtype, binaryOutDtype, type BinaryDef } from './binary-defs.js';
import { UNARY_DEFS, UNARY_OPS, unaryKernelDtype, type UnaryDef } from './unary-defs.js';

describe('op tables', () => {
  it('a unary op without one of its forms does not compile', () => {
    // @ts-expect-error: an int-capable op needs its int32 forms
    const missingInt = { input: 'numeric', ts: Math.abs, wgsl: 'abs(x)', as: 'Mathf.abs(x)' } satisfies UnaryDef;
    // @ts-expect-error: a float op needs its WGSL form
    const missingWgsl = { input: 'float', ts: Math.exp, as: '<f32>Math.exp(d)' } satisfies UnaryDef;
    // @ts-expect-error: a comparison needs its AssemblyScript form
    const missingAs = { kind: 'compare', ts: (a: number, b: number) => a < b, wgsl: 'a < b', wgslInt: 'a < b' } satisfies BinaryDef;
    expect([missingInt, missingWgsl, missingAs]).toHaveLength(3);
  });

  it('op lists follow the tables in code order', () => {
    expect(UNARY_OPS).toEqual(Object.keys(UNARY_DEFS));
    expect(BINARY_OPS).toEqual(Object.keys(BINARY_DEFS));
  });

  it('dtype rules: int32 stays int32 only where the op says so, logical ops compute in bool', () => {
    expect(unaryKernelDtype('neg', 'int32')).toBe('int32');
    expect(unaryKernelDtype('exp', 'int32')).toBe('float32');
    expect(unaryKernelDtype('neg', 'bool')).toBe('float32');
    expect(unaryKernelDtype('logicalNot', 'float32')).toBe('bool');
    expect(binaryKernelDtype('div', 'int32', 'int32')).toBe('float32');
    expect(binaryKernelDtype('add', 'bool', 'bool')).toBe('int32');
    expect(binaryKernelDtype('add', 'int32', 'float32')).toBe('float32');
    expect(binaryKernelDtype('less', 'bool', 'bool')).toBe('bool');
    expect(binaryKernelDtype('logicalAnd', 'float32', 'int32')).toBe('bool');
    expect(binaryOutDtype('less', 'float32')).toBe('bool');
    expect(binaryOutDtype('mul', 'int32')).toBe('int32');
  });

  it('TypeScript forms keep IEEE corner cases', () => {
    expect(Object.is(UNARY_DEFS.relu.ts(-0, 0), 0)).toBe(true);
    expect(UNARY_DEFS.relu.ts(NaN, 0)).toBeNaN();
    expect(UNARY_DEFS.sigmoid.ts(-1000, 0)).toBe(0);
    expect(UNARY_DEFS.softplus.ts(-1000, 0)).toBe(0);
    expect(BINARY_DEFS.add.tsInt(2147483647, 1)).toBe(-2147483648);
    expect(BINARY_DEFS.pow.tsInt(2, -1)).toBe(0);
  });
});

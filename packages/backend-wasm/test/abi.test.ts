/**
 * The host ↔ AssemblyScript ABI, held to core's tables: the generated reduce sources are current, the
 * `Info` geometry class reads Conv2dInfo's fields in core's order, and every built module exports
 * exactly the functions the host declares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONV2D_INFO_FIELDS, REDUCE_DEFS } from '@scratchnet/core';
import { reduceDispatchSource, reduceOpsSource } from '../scripts/abi-gen.mjs';
import { KERNELS, type KernelExports } from '../src/runtime.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(`${pkg}${path}`, 'utf8');

/** Every export the host calls (a missing or extra key here is a compile error against KernelExports). */
const HOST_EXPORTS = {
  gemm: true, gemmWorkBytes: true, gemmShared: true, gemmSharedWorkBytes: true, gemmBatch: true, gemmSharedCols: true, gemmSharedColsWorkBytes: true, unary: true, binary: true,
  where4: true, reduce: true, pool2d: true, pool2dBack: true, conv2d: true, conv2dBackInput: true,
  conv2dBackFilter: true, convWorkBytes: true, addInto: true, copy4: true, copy1: true,
  heapBase: true, isa: true, elementwiseAbi: true, peak: true, argsort: true,
  fused: true, unaryGrad: true, layerNorm: true, layerNormGrad: true,
} as const satisfies Record<keyof KernelExports, true>;

/** The core field each `name: i32; // coreField` line of assembly/info.ts claims to hold, in order. */
function infoFieldOrder(source: string): { fields: string[]; words: number } {
  const fields = [...source.matchAll(/^\s*\w+: i32; \/\/ (\w+)$/gm)].map((m) => m[1]!);
  const words = [...source.matchAll(/^\s*\w+: \w+;/gm)].length;
  return { fields, words };
}

/**
 * Names of a module's function exports, read from its export section (parsing, not compiling: the
 * relaxed-SIMD builds do not compile on every host that runs the tests).
 */
function functionExports(bytes: Uint8Array): string[] {
  let at = 8; // magic and version
  const leb = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = leb();
    if (id !== 7) {
      at += size;
      continue;
    }
    const names: string[] = [];
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      const name = new TextDecoder().decode(bytes.subarray(at, at + len));
      at += len;
      const kind = bytes[at++]!;
      leb();
      if (kind === 0) names.push(name);
    }
    return names;
  }
  return [];
}

describe('wasm ABI against core', () => {
  it('the generated reduce sources match core\'s REDUCE_DEFS (rebuild when this fails)', () => {
    const ops = reduceOpsSource(REDUCE_DEFS);
    const dispatch = reduceDispatchSource(REDUCE_DEFS);
    expect(read('assembly/generated/reduce-ops.ts')).toBe(ops);
    expect(read('assembly/generated/reduce-dispatch.ts')).toBe(dispatch);
    // The codes are the table's key order.
    Object.keys(REDUCE_DEFS).forEach((op, i) => expect(ops).toContain(`export const R_${op.toUpperCase()}: i32 = ${i};`));
  });

  it('Info reads the Conv2dInfo fields in core\'s order, one i32 word each', () => {
    const order = infoFieldOrder(read('assembly/info.ts'));
    expect(order.fields).toEqual([...CONV2D_INFO_FIELDS]);
    expect(order.words).toBe(CONV2D_INFO_FIELDS.length);
  });

  it('the drift check notices one swapped Info field', () => {
    const swapped = read('assembly/info.ts').replace('// padTop', '// padX').replace('// padLeft', '// padTop').replace('// padX', '// padLeft');
    expect(infoFieldOrder(swapped).fields).not.toEqual([...CONV2D_INFO_FIELDS]);
  });

  it('every built module exports exactly the functions the host declares (KERNELS among them)', () => {
    const builds = readdirSync(`${pkg}wasm`).filter((f) => f.endsWith('.wasm'));
    expect(builds.length).toBe(6);
    const declared = Object.keys(HOST_EXPORTS).sort();
    for (const k of KERNELS) expect(declared).toContain(k);
    for (const file of builds) {
      const fns = functionExports(new Uint8Array(readFileSync(`${pkg}wasm/${file}`))).sort();
      expect(fns, file).toEqual(declared);
    }
  });
});

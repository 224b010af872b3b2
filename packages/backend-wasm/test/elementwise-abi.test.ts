import { readFile } from 'node:fs/promises';
import { BINARY_OPS, UNARY_OPS, elementwiseAbiHash } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { checkElementwiseAbi, createWasmBackend } from '../src/create.js';

describe('generated elementwise kernels follow core\'s op tables', () => {
  it('the built module carries the fingerprint of the tables core has now', async () => {
    const backend = await createWasmBackend({ threads: 1 });
    try {
      expect(backend.runtime.exports.elementwiseAbi()).toBe(elementwiseAbiHash());
    } finally {
      backend.shutdown();
    }
  });

  it('a module generated from other tables is refused with a message that says to rebuild', () => {
    expect(() => checkElementwiseAbi({ elementwiseAbi: () => elementwiseAbiHash() ^ 1 })).toThrow(/rebuild @scratchnet\/backend-wasm/);
    expect(() => checkElementwiseAbi({ elementwiseAbi: () => elementwiseAbiHash() })).not.toThrow();
  });

  it('every op has its code in the generated dispatch, at its index in the table', async () => {
    const src = await readFile(new URL('../assembly/generated/elementwise-dispatch.ts', import.meta.url), 'utf8');
    UNARY_OPS.forEach((op, code) => {
      if (op === 'logicalNot') return; // bool op: computed on the host
      expect(src).toContain(`case ${code}: unaryRange(${code}, x, out, start, end, alpha); break; // ${op}\n`);
    });
    BINARY_OPS.forEach((op, code) => {
      if (op === 'logicalAnd' || op === 'logicalOr') return; // bool ops: computed on the host
      expect(src).toMatch(new RegExp(`case ${code}: (arith|compare)Run\\(${code}, a, sa, b, sb, out, o, len\\); break; // ${op}\\n`));
    });
  });
});

import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { NON_OP_EXPORTS, REQUIRED_OPS } from './required-ops.js';

describe('required-ops list', () => {
  const exported = Object.keys(core);

  it('names every public op of core: each export is a required op or a listed non-op', () => {
    const unlisted = exported.filter((name) => !REQUIRED_OPS.includes(name) && !NON_OP_EXPORTS.has(name));
    expect(unlisted).toEqual([]);
  });

  it('names only ops that core exports', () => {
    expect(REQUIRED_OPS.filter((op) => !exported.includes(op))).toEqual([]);
  });

  it('lists no export both as an op and as a non-op, and no non-op that core lacks', () => {
    expect(REQUIRED_OPS.filter((op) => NON_OP_EXPORTS.has(op))).toEqual([]);
    expect([...NON_OP_EXPORTS].filter((name) => !exported.includes(name))).toEqual([]);
  });
});

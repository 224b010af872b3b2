import { describe, expect, it } from 'vitest';
import { coverageProblems } from '../coverage.js';
import { REQUIRED_OPS } from '../required-ops.js';
import { conformanceCases } from './index.js';

describe('conformance case table', () => {
  it('covers every required op, with a gradient case for each differentiable op', () => {
    expect(coverageProblems(conformanceCases)).toEqual([]);
  });

  it('lists each required op once', () => {
    expect(new Set(REQUIRED_OPS).size).toBe(REQUIRED_OPS.length);
  });

  it('has references whose output can be computed for every compare case (no backend needed)', async () => {
    const { generateInput } = await import('./inputs.js');
    const { SuiteRng } = await import('../prng.js');
    for (const c of conformanceCases) {
      if (c.kind !== 'compare') continue;
      const rng = new SuiteRng(1);
      expect(() => c.ref(...c.inputs.map((s) => generateInput(s, rng))), `${c.op} › ${c.name}`).not.toThrow();
    }
  });
});

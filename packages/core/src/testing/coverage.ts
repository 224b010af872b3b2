import type { ConformanceCase } from './cases/types.js';
import { DIFFERENTIABLE_OPS, REQUIRED_OPS } from './required-ops.js';

/** True when a case includes a gradient check. */
export function hasGradientCheck(c: ConformanceCase): boolean {
  if (c.kind === 'compare') return c.grad !== undefined && c.grad !== false && !(Array.isArray(c.grad) && c.grad.length === 0);
  if (c.kind === 'property') return c.checksGradient === true;
  return false;
}

/**
 * Problems with a case table: required ops without a case, differentiable ops without a gradient
 * case, cases for unknown ops, duplicate case names. Empty when the table is complete.
 */
export function coverageProblems(cases: readonly ConformanceCase[]): string[] {
  const problems: string[] = [];
  const required = new Set(REQUIRED_OPS);
  for (const op of REQUIRED_OPS) {
    const mine = cases.filter((c) => c.op === op);
    if (mine.length === 0) problems.push(`${op}: no conformance case`);
    else if (DIFFERENTIABLE_OPS.has(op) && !mine.some(hasGradientCheck)) problems.push(`${op}: differentiable but no gradient case`);
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (!required.has(c.op)) problems.push(`case '${c.name}' covers '${c.op}', which is not in REQUIRED_OPS`);
    const key = `${c.op} › ${c.name}`;
    if (seen.has(key)) problems.push(`duplicate case ${key}`);
    seen.add(key);
  }
  return problems;
}

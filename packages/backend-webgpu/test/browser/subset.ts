/**
 * The part of core's conformance suite the browser test runs in Chromium (SwiftShader is slow): every
 * case of the ops below, and one case in four of everything else. Shared by the page and the test.
 */
import type { ConformanceCase } from '@scratchnet/core/testing';

const ALWAYS = new Set(['matmul', 'conv2d', 'maxPool2d', 'avgPool2d', 'sum', 'argmax', 'gather', 'softmax', 'where', 'cast', 'pow', 'erf']);

/** A test to run in the page: a case's title and whether it is the gradient check. */
export interface BrowserCase {
  readonly index: number;
  readonly title: string;
  readonly gradient: boolean;
}

/** Picks the browser subset from the suite's case list (same order and titles as runConformanceSuite). */
export function browserSubset(cases: readonly ConformanceCase[], hasGradient: (c: ConformanceCase) => boolean): BrowserCase[] {
  const out: BrowserCase[] = [];
  cases.forEach((c, index) => {
    if (c.kind !== 'compare') return;
    if (!ALWAYS.has(c.op) && index % 4 !== 0) return;
    const title = `${c.op} › ${c.name}`;
    out.push({ index, title, gradient: false });
    if (hasGradient(c) && (ALWAYS.has(c.op) || index % 8 === 0)) out.push({ index, title: `${title} › gradient`, gradient: true });
  });
  return out;
}

/**
 * The browser page of the WebGPU test: selects the webgpu backend through navigator.gpu and runs the
 * browser subset of core's conformance suite with the suite's own runners (against the float64
 * reference), then publishes the results on `window.__results` for the test to collect.
 */
import * as sn from '@scratchnet/core';
import { caseSeed, conformanceCases, hasGradientCheck, runCompareCase, runGradientCase } from '@scratchnet/core/testing';
import type { CompareCase } from '@scratchnet/core/testing';
import '../../src/index.js';
import { browserSubset } from './subset.js';

interface PageResults {
  adapter: Record<string, unknown>;
  results: Record<string, string | null>;
  /** Cases the page's backend cannot run, with the case's own reason (e.g. no float16 without shader-f16). */
  skipped: Record<string, string>;
  fatal?: string;
}

const BASE_SEED = 0x5eed;

async function main(): Promise<PageResults> {
  const out: PageResults = { adapter: {}, results: {}, skipped: {} };
  try {
    await sn.setBackend('webgpu');
    out.adapter = sn.getBackend().info?.() ?? {};
    for (const bc of browserSubset(conformanceCases, hasGradientCheck)) {
      const c = conformanceCases[bc.index] as CompareCase;
      const seed = caseSeed(bc.title, BASE_SEED);
      const unsupported = c.unsupported?.(sn.getBackend()) ?? null;
      if (unsupported !== null) {
        out.results[bc.title] = null;
        out.skipped[bc.title] = unsupported;
        continue;
      }
      try {
        await (bc.gradient ? runGradientCase(c, seed) : runCompareCase(c, seed));
        out.results[bc.title] = null;
      } catch (e) {
        out.results[bc.title] = e instanceof Error ? e.message : String(e);
      }
    }
  } catch (e) {
    out.fatal = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return out;
}

const w = window as unknown as { __results?: PageResults };
void main().then((r) => {
  w.__results = r;
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '../index.js';
import { conformanceCases } from './cases/index.js';
import type { ConformanceCase } from './cases/types.js';
import { coverageProblems, hasGradientCheck } from './coverage.js';
import { runCompareCase, runErrorCase, runGradientCase, runPropertyCase } from './execute.js';
import { caseSeed, fmtSeed } from './prng.js';
import { REQUIRED_OPS } from './required-ops.js';
import { ResultLog, writeReport } from './report.js';
import { runEngineSuite } from './engine-suite.js';
import { checkedBackend, type ContractLog } from './checked-backend.js';

/** Generous: a slow backend (or a debug build) must not fail on time alone. */
const CASE_TIMEOUT_MS = 60_000;

export interface ConformanceOptions {
  /** The registered backend to test. */
  backend: string;
  /** Op names or case titles (`op › name`) to skip. */
  skip?: string[];
  /** Base seed (default: env SCRATCHNET_CONFORMANCE_SEED, else 0x5eed). */
  seed?: number;
  /** Also run the engine half of the contract (memory, scopes, migration); default true. */
  engine?: boolean;
  /**
   * Compiled mode: every compare case and gradient check runs through `compile` instead (a first call
   * records, the replay's results are checked against the reference); property and error cases and the
   * engine suite are left to the eager run. Ops that must read values on the host ({@link COMPILE_REFUSED_OPS})
   * must be refused by compile with its host-read error.
   */
  compiled?: boolean;
}

/**
 * Ops whose result depends on reading tensor values on the host (output shapes that depend on the data,
 * host-side sorting...): compile must refuse them with a clear error rather than freeze a first answer.
 */
export const COMPILE_REFUSED_OPS: ReadonlySet<string> = new Set<string>([]);

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}

function baseSeedFrom(options: ConformanceOptions): number {
  if (options.seed !== undefined) return options.seed >>> 0;
  const fromEnv = env('SCRATCHNET_CONFORMANCE_SEED');
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : 0x5eed;
}

/** The test title of a case. */
export function caseTitle(c: ConformanceCase): string {
  return `${c.op} › ${c.name}`;
}

async function runCase(c: ConformanceCase, seed: number): Promise<void> {
  switch (c.kind) {
    case 'compare': return runCompareCase(c, seed);
    case 'error': return runErrorCase(c, seed);
    case 'property': return runPropertyCase(c, seed);
  }
}

/**
 * Registers the conformance suite for `options.backend` as vitest tests: one test per case and one per
 * gradient check, each on fresh seeded-random inputs compared with the float64 reference, plus a
 * coverage test and a leak test. Call it at the top level of a backend package's test file, after
 * importing the module that registers the backend.
 */
export function runConformanceSuite(options: ConformanceOptions): void {
  const { backend } = options;
  const skip = new Set(options.skip ?? []);
  const baseSeed = baseSeedFrom(options);
  const log = new ResultLog();
  const contract: ContractLog = { violations: [] };
  // Every case runs through the checking proxy: a kernel call outside the contract fails the case.
  const checkedName = `${backend} (contract-checked)`;
  let startTensors = 0;

  const mode = options.compiled ? 'compiled' : 'eager';
  if (options.engine !== false && mode === 'eager') runEngineSuite({ backend });

  describe(`conformance${mode === 'compiled' ? ' (compiled)' : ''}: ${backend}`, () => {
    beforeAll(async () => {
      await sn.setBackend(backend);
      const inner = sn.getBackend();
      sn.registerBackend(checkedName, () => checkedBackend(inner, contract), { priority: -100 });
      await sn.setBackend(checkedName);
      startTensors = sn.memory().numTensors;
    });

    afterAll(async () => {
      await sn.setBackend(backend);
      await sn.removeBackend(checkedName);
      // The report (core README's coverage table) is of the eager suite; the compiled run of the same
      // backend would otherwise overwrite it under the same name, whichever finished last.
      const path = env('SCRATCHNET_CONFORMANCE_REPORT');
      if (path && mode === 'eager') await writeReport(path, backend, log, REQUIRED_OPS);
    });

    const register = (c: ConformanceCase, title: string, body: (seed: number) => Promise<void>): void => {
      if (skip.has(c.op) || skip.has(caseTitle(c)) || skip.has(title)) {
        log.record(c.op, title, 'skipped');
        it.skip(title, () => undefined);
        return;
      }
      const seed = caseSeed(title, baseSeed);
      it(title, async (ctx) => {
        const unsupported = c.unsupported ? c.unsupported(sn.getBackend()) : null;
        if (unsupported !== null) {
          log.record(c.op, title, 'skipped');
          ctx.skip(`${backend}: ${unsupported}`);
        }
        try {
          const before = sn.memory().numTensors;
          const seen = contract.violations.length;
          await body(seed);
          if (contract.violations.length > seen) {
            throw new Error(`core called a kernel outside its contract:\n  ${contract.violations.slice(seen).join('\n  ')}`);
          }
          const after = sn.memory().numTensors;
          if (after !== before) {
            throw new Error(`live tensor count went from ${before} to ${after} across the case (tensors leaked, or counted wrongly)`);
          }
          log.record(c.op, title, 'passed');
        } catch (e) {
          log.record(c.op, title, 'failed');
          const msg = e instanceof Error ? `${e.name === 'ConformanceFailure' ? '' : `${e.name}: `}${e.message}` : String(e);
          const wrapped = new Error(
            `[${backend}] ${title} (seed ${fmtSeed(seed)}; base seed ${baseSeed}, rerun with SCRATCHNET_CONFORMANCE_SEED=${baseSeed})\n  ${msg}`,
          );
          if (e instanceof Error && e.stack) wrapped.stack = `${wrapped.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
          throw wrapped;
        }
      }, CASE_TIMEOUT_MS);
    };

    // Compiled mode: a refused op must fail with compile's host-read error, every other case must pass replayed.
    const compiledOr = (c: ConformanceCase, body: () => Promise<void>): Promise<void> => {
      if (!COMPILE_REFUSED_OPS.has(c.op)) return body();
      return body().then(
        () => { throw new Error(`${c.op} is listed in COMPILE_REFUSED_OPS but compiled fine: remove it from the list`); },
        (e: unknown) => {
          if (!(e instanceof sn.CompileError) || !/read tensor values on the host/.test(e.message)) throw e;
        },
      );
    };
    for (const c of conformanceCases) {
      const title = caseTitle(c);
      if (mode === 'compiled') {
        if (c.kind !== 'compare') continue;
        register(c, `compiled › ${title}`, (seed) => compiledOr(c, () => runCompareCase(c, seed, 'compiled')));
        if (hasGradientCheck(c)) register(c, `compiled › ${title} › gradient`, (seed) => compiledOr(c, () => runGradientCase(c, seed, 'compiled')));
        continue;
      }
      register(c, title, (seed) => runCase(c, seed));
      if (c.kind === 'compare' && hasGradientCheck(c)) {
        register(c, `${title} › gradient`, (seed) => runGradientCase(c, seed));
      }
    }

    if (mode === 'eager') {
      it('covers every required op with a case, and every differentiable op with a gradient case', () => {
        expect(coverageProblems(conformanceCases)).toEqual([]);
      });
    }

    it('ran every case through the contract-checking backend', () => {
      expect(sn.getBackendName()).toBe(checkedName);
      expect(contract.violations).toEqual([]);
    });

    it('leaks no tensors', () => {
      expect(sn.memory().numTensors).toBe(startTensors);
    });
  });
}

/**
 * Checks of tensor values that core cannot make when an op runs because the values cannot be read
 * synchronously there (a GPU backend). The check runs when the values arrive; a failure is reported,
 * with the error the synchronous check would have thrown, by the next read of tensor data
 * (`data()`, `array()`, `dataSync()`), much as a GPU reports a device error at the next readback.
 * So a program that breaks an op's contract fails on every backend with the same error: at once where
 * the values are readable, at the next read otherwise.
 */
import type { TypedArray } from '../dtype.js';
import { ScratchNetError } from '../errors.js';

/** One check in flight or settled. */
interface DeferredCheck {
  /** Settles (never rejects) once `error` is final. */
  readonly done: Promise<void>;
  settled: boolean;
  /** What the check found: null when the values passed. */
  error: Error | null;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new ScratchNetError(String(e));
}

/** Checks not yet reported: in flight, or failed and waiting for a read to report them. */
const pending = new Set<DeferredCheck>();

/**
 * Runs `check` on values that are still being read; a returned error is thrown by the next read of
 * tensor data. A failed read counts as a failed check (its error is reported the same way).
 */
export function deferCheck(values: Promise<TypedArray>, check: (values: TypedArray) => Error | null): void {
  const entry: DeferredCheck = {
    settled: false,
    error: null,
    done: values.then(
      (v) => {
        try {
          entry.error = check(v);
        } catch (e) {
          entry.error = asError(e);
        }
      },
      (e: unknown) => {
        entry.error = asError(e);
      },
    ).then(() => {
      entry.settled = true;
      if (entry.error === null) pending.delete(entry);
    }),
  };
  pending.add(entry);
}

/** Throws the first failure among `checks`, forgetting it (each failure is reported once). */
function throwFirstFailure(checks: readonly DeferredCheck[]): void {
  for (const c of checks) {
    if (c.settled && c.error !== null) {
      pending.delete(c);
      throw c.error;
    }
  }
}

/** The checks a read started now must wait for (empty in the common case, so reads pay nothing). */
export function checksBeforeRead(): DeferredCheck[] {
  return pending.size === 0 ? [] : [...pending];
}

/** Waits for `checks` (from {@link checksBeforeRead}) and throws the first failure among them. */
export async function reportDeferredErrors(checks: readonly DeferredCheck[]): Promise<void> {
  if (checks.length === 0) return;
  await Promise.all(checks.map((c) => c.done));
  throwFirstFailure(checks);
}

/** For synchronous reads: throws the first failure that has already settled (in-flight checks cannot be awaited). */
export function reportSettledErrors(): void {
  if (pending.size > 0) throwFirstFailure([...pending]);
}

/** Waits until every check in flight has settled, without reporting (so later synchronous reads see them). */
export async function settleDeferredChecks(): Promise<void> {
  if (pending.size > 0) await Promise.all([...pending].map((c) => c.done));
}

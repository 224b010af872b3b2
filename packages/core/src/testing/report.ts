/**
 * Per-op results of one suite run, merged into a JSON file shared by every backend:
 * `{ "version": 1, "backends": { "<name>": { "updated": ISO date, "ops": { "<op>": { "passed": n, "failed": n, "skipped": n, "failedCases": [...] } } } } }`.
 */
export interface OpResult {
  passed: number;
  failed: number;
  skipped: number;
  failedCases: string[];
}

export interface CoverageReport {
  version: 1;
  backends: Record<string, { updated: string; ops: Record<string, OpResult> }>;
}

/** Collects results of one backend's run. */
export class ResultLog {
  readonly ops = new Map<string, OpResult>();

  private slot(op: string): OpResult {
    let r = this.ops.get(op);
    if (!r) {
      r = { passed: 0, failed: 0, skipped: 0, failedCases: [] };
      this.ops.set(op, r);
    }
    return r;
  }

  record(op: string, title: string, outcome: 'passed' | 'failed' | 'skipped'): void {
    const r = this.slot(op);
    r[outcome] += 1;
    if (outcome === 'failed') r.failedCases.push(title);
  }
}

/** Merges one backend's results into the report at `path` (creating it), replacing that backend's entry. */
export async function writeReport(path: string, backend: string, log: ResultLog, allOps: readonly string[]): Promise<void> {
  const fs = await import('node:fs/promises');
  let report: CoverageReport = { version: 1, backends: {} };
  try {
    const parsed = JSON.parse(await fs.readFile(path, 'utf8')) as Partial<CoverageReport>;
    if (parsed && typeof parsed === 'object' && parsed.backends) report = { version: 1, backends: parsed.backends };
  } catch {
    // No report yet (or unreadable): start a fresh one.
  }
  const ops: Record<string, OpResult> = {};
  for (const op of [...allOps, ...[...log.ops.keys()].filter((o) => !allOps.includes(o))]) {
    ops[op] = log.ops.get(op) ?? { passed: 0, failed: 0, skipped: 0, failedCases: [] };
  }
  report.backends[backend] = { updated: new Date().toISOString(), ops };
  await fs.writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}

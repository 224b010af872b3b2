import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints one closing line `N passed, N failed, N skipped` after a vitest run, so that CI can
 * count tests without parsing vitest's own summary.
 */
export default class CountReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') this.passed += 1;
    else if (state === 'failed') this.failed += 1;
    else this.skipped += 1;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    // A module that failed to load has no test cases but must still count as a failure.
    for (const m of testModules) if (m.state() === 'failed' && m.children.size === 0) this.failed += 1;
    process.stdout.write(`\n${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped\n`);
  }
}

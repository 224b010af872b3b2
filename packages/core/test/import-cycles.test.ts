/**
 * The lint rule that keeps import cycles out (scripts/eslint-no-import-cycle.mjs, on in the root
 * eslint.config.js): it must report a cycle, ignore type-only imports, and find none in core.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it, onTestFinished } from 'vitest';
import local from '../../../scripts/eslint-no-import-cycle.mjs';

const config: Linter.Config[] = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { local },
    rules: { 'local/no-import-cycle': 'error' },
  },
];

/** The rule's messages for `file`, linted with `root` as ESLint's working directory. */
function cycleMessages(file: string, root: string): string[] {
  const linter = new Linter({ cwd: root });
  return linter.verify(readFileSync(file, 'utf8'), config, { filename: file }).map((m) => m.message);
}

describe('local/no-import-cycle', () => {
  it('reports a value-import cycle, naming the path, and ignores type-only imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-cycle-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b + 1;\n");
    writeFileSync(join(dir, 'b.ts'), "import { c } from './c.js';\nexport const b = c;\n");
    writeFileSync(join(dir, 'c.ts'), "import { a } from './a.js';\nexport const c = 2;\nexport const useA = (): number => a();\n");
    writeFileSync(join(dir, 'd.ts'), "import type { e } from './e.js';\nexport const d = 1;\nexport type E = typeof e;\n");
    writeFileSync(join(dir, 'e.ts'), "import { d } from './d.js';\nexport const e = d;\n");
    const [msg, ...rest] = cycleMessages(join(dir, 'a.ts'), dir);
    expect(rest).toEqual([]);
    expect(msg).toMatch(/^Import cycle: a\.ts → b\.ts → c\.ts → a\.ts\./);
    expect(cycleMessages(join(dir, 'e.ts'), dir)).toEqual([]);
  });

  // Parsing every module of core takes a few seconds on a loaded machine.
  it('finds no cycle among core\'s modules', { timeout: 60_000 }, () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(src, f));
    expect(files.length).toBeGreaterThan(40);
    const found = files.flatMap((f) => cycleMessages(f, src));
    expect(found).toEqual([]);
  });
});

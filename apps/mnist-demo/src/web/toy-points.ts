/**
 * The playground's own points: reading them from CSV, adding one, and deciding when training
 * stops. Pure (no DOM), so that Node tests it.
 */
import type { ToyData } from '../shared/toy.js';

/** At most this many classes (one colour each). */
export const MAX_CLASSES = 3;

/**
 * Reads `x,y,label` lines (x and y in [-1, 1], label 0, 1 or 2; a header line and blank lines are
 * skipped; `;` or tabs may separate the fields).
 * @throws Error naming the line and what is wrong with it.
 */
export function parseToyCsv(text: string): ToyData {
  const xs: number[] = [];
  const ys: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const fields = line.trim().split(/\s*[,;\t]\s*/);
    if (line.trim() === '' || (i === 0 && fields.some((f) => f !== '' && Number.isNaN(Number(f))))) return;
    const where = `line ${i + 1} ('${line.trim()}')`;
    if (fields.length !== 3) throw new Error(`CSV ${where}: expected 3 fields x,y,label, got ${fields.length}`);
    const [x, y, label] = fields.map(Number) as [number, number, number];
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1 || Math.abs(y) > 1) throw new Error(`CSV ${where}: x and y must be numbers in [-1, 1]`);
    if (!Number.isInteger(label) || label < 0 || label >= MAX_CLASSES) throw new Error(`CSV ${where}: label must be 0, 1 or 2`);
    xs.push(x, y);
    ys.push(label);
  });
  if (ys.length < 2) throw new Error(`CSV: need at least 2 points, got ${ys.length}`);
  return { xs: Float32Array.from(xs), ys: Int32Array.from(ys), classes: Math.max(2, ...ys.map((c) => c + 1)) };
}

/** The points with one more, of class `label`. */
export function addPoint(data: ToyData, x: number, y: number, label: number): ToyData {
  const xs = new Float32Array(data.xs.length + 2);
  xs.set(data.xs);
  xs[data.xs.length] = x;
  xs[data.xs.length + 1] = y;
  const ys = new Int32Array(data.ys.length + 1);
  ys.set(data.ys);
  ys[data.ys.length] = label;
  return { xs, ys, classes: Math.max(data.classes, label + 1) };
}

/** When training stops on its own: after `maxSteps` steps, or once the accuracy reaches `targetAccuracy` (0..1). */
export interface StopRule {
  maxSteps?: number;
  targetAccuracy?: number;
}

/** Why training should stop now, or null to go on. */
export function stopReason(steps: number, accuracy: number, rule: StopRule): string | null {
  if (rule.targetAccuracy !== undefined && accuracy >= rule.targetAccuracy) {
    return `reached ${(100 * accuracy).toFixed(1)}% accuracy (target ${(100 * rule.targetAccuracy).toFixed(1)}%)`;
  }
  if (rule.maxSteps !== undefined && steps >= rule.maxSteps) return `stopped after ${steps} steps (the step limit)`;
  return null;
}

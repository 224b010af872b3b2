/** The web app's DOM-free pieces: form checks, marker-label stacking, the playground's own points. */
import { describe, expect, it } from 'vitest';
import { TRAINING_FIELDS, checkFields } from '../src/web/form.js';
import { labelBox, labelRows } from '../src/web/label-rows.js';
import { addPoint, parseToyCsv, stopReason } from '../src/web/toy-points.js';

const good = { lr: '0.003', epochs: '6', batch: '64', 'max-batches': '' };

describe('training form', () => {
  it('accepts good values and reads an empty batches/epoch as all', () => {
    expect(checkFields(TRAINING_FIELDS, good)).toEqual({ ok: true, values: { lr: 0.003, epochs: 6, batch: 64, 'max-batches': undefined } });
  });

  it('refuses 0 epochs, a negative learning rate, a fractional batch and an empty epoch count, naming each', () => {
    const r = checkFields(TRAINING_FIELDS, { lr: '-0.1', epochs: '0', batch: '2.5', 'max-batches': '0' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.id)).toEqual(['lr', 'epochs', 'batch', 'max-batches']);
    expect(r.errors[0]!.message).toBe("learning rate must be a number above 0 and at most 10; got '-0.1'");
    expect(r.errors[1]!.message).toBe("epochs must be a whole number from 1 to 50; got '0'");
    expect(r.errors[3]!.message).toMatch(/or empty for all/);
    const empty = checkFields(TRAINING_FIELDS, { ...good, epochs: '' });
    expect(empty.ok).toBe(false);
  });
});

describe('switch-marker labels', () => {
  it('stack labels that would overlap and reuse a row once there is room', () => {
    // Two markers 50 batches apart are a few pixels apart on a long run: the second label goes one row down.
    expect(labelRows([{ left: 100, width: 80 }, { left: 110, width: 80 }, { left: 300, width: 80 }, { left: 195, width: 40 }])).toEqual([0, 1, 0, 1]);
    expect(labelRows([{ left: 100, width: 80 }, { left: 120, width: 80 }, { left: 140, width: 80 }])).toEqual([0, 1, 2]);
  });

  it('put a label left of its line when it would run past the plot', () => {
    expect(labelBox(100, 50, 40, 400)).toEqual({ left: 103, width: 50 });
    expect(labelBox(380, 50, 40, 400)).toEqual({ left: 327, width: 50 });
    expect(labelBox(60, 50, 40, 80)).toEqual({ left: 40, width: 50 });
  });
});

describe('playground points', () => {
  it('reads CSV with a header, blank lines and other separators', () => {
    const d = parseToyCsv('x,y,label\n-0.5,0.25,0\n\n0.5;-0.5;1\n0\t0\t2\n');
    expect(Array.from(d.xs)).toEqual([-0.5, 0.25, 0.5, -0.5, 0, 0]);
    expect(Array.from(d.ys)).toEqual([0, 1, 2]);
    expect(d.classes).toBe(3);
  });

  it('names the line at fault', () => {
    expect(() => parseToyCsv('0,0,0\n2,0,1')).toThrow("CSV line 2 ('2,0,1'): x and y must be numbers in [-1, 1]");
    expect(() => parseToyCsv('0,0,0\n0,0,5')).toThrow(/line 2 .*label must be 0, 1 or 2/);
    expect(() => parseToyCsv('0,0\n')).toThrow(/line 1 .*expected 3 fields/);
    expect(() => parseToyCsv('0,0,1')).toThrow(/at least 2 points, got 1/);
  });

  it('adds a point, growing the class count when needed', () => {
    const d = addPoint({ xs: Float32Array.of(0, 0), ys: Int32Array.of(0), classes: 2 }, 0.5, -0.5, 2);
    expect(Array.from(d.xs)).toEqual([0, 0, 0.5, -0.5]);
    expect(Array.from(d.ys)).toEqual([0, 2]);
    expect(d.classes).toBe(3);
  });

  it('stops at the target accuracy or the step limit', () => {
    expect(stopReason(10, 0.5, {})).toBeNull();
    expect(stopReason(10, 0.96, { targetAccuracy: 0.95 })).toMatch(/reached 96\.0% accuracy \(target 95\.0%\)/);
    expect(stopReason(200, 0.5, { maxSteps: 200, targetAccuracy: 0.95 })).toMatch(/after 200 steps/);
    expect(stopReason(199, 0.5, { maxSteps: 200 })).toBeNull();
  });
});

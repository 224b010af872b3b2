/**
 * The training form's values, checked: a value out of range is refused with a message naming the
 * field and what it accepts, never replaced silently. Pure (no DOM), so that Node tests it.
 */

/** A field of the training form: its element id, its label, and what it accepts. */
export interface FieldRule {
  readonly id: string;
  readonly label: string;
  readonly kind: 'integer' | 'positive';
  readonly min?: number;
  readonly max?: number;
  /** An empty value is allowed (and read as `undefined`). */
  readonly optional?: boolean;
}

/** The MNIST page's training fields. */
export const TRAINING_FIELDS: readonly FieldRule[] = [
  { id: 'lr', label: 'learning rate', kind: 'positive', max: 10 },
  { id: 'epochs', label: 'epochs', kind: 'integer', min: 1, max: 50 },
  { id: 'batch', label: 'batch', kind: 'integer', min: 1, max: 1024 },
  { id: 'max-batches', label: 'batches / epoch', kind: 'integer', min: 1, optional: true },
];

/** The checked values by field id, or the problems found (one message per bad field). */
export type FormResult = { ok: true; values: Record<string, number | undefined> } | { ok: false; errors: { id: string; message: string }[] };

/** Checks raw field texts against their rules. */
export function checkFields(rules: readonly FieldRule[], raw: Readonly<Record<string, string>>): FormResult {
  const values: Record<string, number | undefined> = {};
  const errors: { id: string; message: string }[] = [];
  for (const r of rules) {
    const text = (raw[r.id] ?? '').trim();
    if (text === '' && r.optional) {
      values[r.id] = undefined;
      continue;
    }
    const v = Number(text);
    const range = r.kind === 'positive'
      ? `a number above 0${r.max === undefined ? '' : ` and at most ${r.max}`}`
      : `a whole number from ${r.min ?? 1}${r.max === undefined ? ' up' : ` to ${r.max}`}`;
    const bad = text === '' || !Number.isFinite(v)
      || (r.kind === 'positive' && v <= 0)
      || (r.kind === 'integer' && !Number.isInteger(v))
      || (r.min !== undefined && v < r.min)
      || (r.max !== undefined && v > r.max);
    if (bad) errors.push({ id: r.id, message: `${r.label} must be ${range}${r.optional ? ' (or empty for all)' : ''}; got '${text}'` });
    else values[r.id] = v;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

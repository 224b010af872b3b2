/**
 * The page's numeric fields, checked: a bad value is refused with a message naming the field and
 * what it accepts (never replaced silently). Pure, so Node tests it.
 */

/** A numeric field: its element id, its label, and the values it takes. */
export interface NumberField {
  readonly id: string;
  readonly label: string;
  readonly integer: boolean;
  /** Smallest value; with `aboveMin` the value must be strictly greater. */
  readonly min: number;
  readonly aboveMin?: boolean;
  readonly max: number;
  /** Empty means "none" (read as undefined). */
  readonly optional?: boolean;
}

/** The model and training fields. */
export const TRAIN_FIELDS: readonly NumberField[] = [
  { id: 'layers', label: 'layers', integer: true, min: 1, max: 8 },
  { id: 'heads', label: 'heads', integer: true, min: 1, max: 16 },
  { id: 'width', label: 'width', integer: true, min: 8, max: 512 },
  { id: 'context', label: 'context', integer: true, min: 2, max: 128 },
  { id: 'steps', label: 'steps', integer: true, min: 1, max: 100_000 },
  { id: 'batch', label: 'batch', integer: true, min: 1, max: 512 },
  { id: 'lr', label: 'learning rate', integer: false, min: 0, aboveMin: true, max: 1 },
];

/** The sampling fields. */
export const SAMPLE_FIELDS: readonly NumberField[] = [
  { id: 'temperature', label: 'temperature', integer: false, min: 0, max: 5 },
  { id: 'top-k', label: 'top-k', integer: true, min: 1, max: 1000, optional: true },
  { id: 'seed', label: 'seed', integer: true, min: 0, max: 2 ** 31 - 1 },
];

/** A refused field. */
export interface FieldError {
  readonly id: string;
  readonly message: string;
}

/** The checked values by id, or every refusal. */
export type Checked = { ok: true; values: Record<string, number | undefined> } | { ok: false; errors: FieldError[] };

function accepts(f: NumberField): string {
  const kind = f.integer ? 'a whole number' : 'a number';
  const low = f.aboveMin ? `above ${f.min}` : `from ${f.min}`;
  return `${kind} ${low} ${f.aboveMin ? 'and at most' : 'to'} ${f.max}${f.optional ? ', or empty for none' : ''}`;
}

/** Checks the raw texts of `fields`; `width` must also be divisible by `heads` when both are present. */
export function checkNumbers(fields: readonly NumberField[], raw: Readonly<Record<string, string>>): Checked {
  const values: Record<string, number | undefined> = {};
  const errors: FieldError[] = [];
  for (const f of fields) {
    const text = (raw[f.id] ?? '').trim();
    if (text === '' && f.optional) {
      values[f.id] = undefined;
      continue;
    }
    const v = Number(text);
    const ok = text !== '' && Number.isFinite(v) && (!f.integer || Number.isInteger(v)) && (f.aboveMin ? v > f.min : v >= f.min) && v <= f.max;
    if (ok) values[f.id] = v;
    else errors.push({ id: f.id, message: `${f.label} must be ${accepts(f)}; got '${text}'` });
  }
  const { width, heads } = values;
  if (width !== undefined && heads !== undefined && width % heads !== 0) {
    errors.push({ id: 'width', message: `width must be divisible by heads (${heads}); got ${width}` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** Characters of `prompt` that the tokenizer does not know (`known` tells), in order, each once. */
export function unknownCharacters(prompt: string, known: (ch: string) => boolean): string[] {
  return [...new Set([...prompt].filter((ch) => !known(ch)))];
}

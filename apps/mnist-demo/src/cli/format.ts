/** Text formatting for the terminal: numbers, tables and the confusion matrix. */

/** `12345` → `12,345`. */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Seconds with one decimal, e.g. `12.3 s`. */
export function seconds(millis: number): string {
  return `${(millis / 1000).toFixed(1)} s`;
}

/** A fraction as a percentage with two decimals, e.g. `97.35%`. */
export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/**
 * Lays out rows as a text table: the first row is the header, columns are padded to their widest
 * cell (numbers right-aligned), with a rule under the header.
 */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const numeric = (c: string): boolean => /^[-+]?[\d,.]+( ?[%s]|x)?$/.test(c);
  const line = (r: readonly string[]): string =>
    indent + r.map((c, i) => (numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * The confusion matrix as text: one row per true class, one column per predicted class, and the
 * per-class recall at the end of each row.
 */
export function confusionTable(matrix: readonly (readonly number[])[], names: readonly string[]): string {
  const header = ['true\\pred', ...names, 'recall'];
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return [names[i]!, ...row.map(String), total ? percent(row[i]! / total) : '-'];
  });
  return table([header, ...rows]);
}

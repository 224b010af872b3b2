// Table cells shared by the benchmarks.

/** A number with `d` decimals, or 'n/a'. */
export const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

/** A rate or time as "median (min–max)"; '—' when absent. */
export function spread(r, d = 1) {
  return r ? `${fmt(r.median, d)} (${fmt(r.min, d)}–${fmt(r.max, d)})` : '—';
}

/** Prints one row of right-aligned cells. */
export function row(cells, widths) {
  console.log(cells.map((c, i) => String(c).padStart(widths[i] ?? 10)).join(' |'));
}

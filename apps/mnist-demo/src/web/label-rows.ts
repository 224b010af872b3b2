/** Stacking of switch-marker labels in the charts (no DOM: unit-tested in Node). */

/** Height of one row of marker labels, in pixels. */
export const LABEL_LINE = 13;

/**
 * Gives each label (its left edge and width in pixels, in marker order) the first row where it does
 * not overlap a label already placed, so that markers close together stack their labels instead of
 * printing them on top of each other.
 */
export function labelRows(labels: readonly { left: number; width: number }[]): number[] {
  const rowEnds: number[] = [];
  return labels.map(({ left, width }) => {
    let row = rowEnds.findIndex((end) => left >= end + 4);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = left + width;
    return row;
  });
}

/**
 * Where a marker's label goes: just right of its line, or just left of it when it would run past
 * the plot's right edge (a switch near the end of a run), never left of the plot.
 */
export function labelBox(px: number, width: number, plotLeft: number, plotRight: number): { left: number; width: number } {
  const right = px + 3;
  const left = right + width <= plotRight ? right : Math.max(plotLeft, px - 3 - width);
  return { left, width };
}

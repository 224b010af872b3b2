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

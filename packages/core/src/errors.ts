/** Base class of every error ScratchNet throws on purpose. */
export class ScratchNetError extends Error {
  override name = 'ScratchNetError';
}

/** Shapes that do not fit an op: mismatched dimensions, bad ranks, negative or fractional sizes. */
export class ShapeError extends ScratchNetError {
  override name = 'ShapeError';
}

/** A dtype an op does not accept, or two dtypes that do not go together. */
export class DTypeError extends ScratchNetError {
  override name = 'DTypeError';
}

/** An argument outside what an op accepts: an axis out of range, a bad option value. */
export class ArgumentError extends ScratchNetError {
  override name = 'ArgumentError';
}

/** A tensor used after it was disposed. */
export class DisposedError extends ScratchNetError {
  override name = 'DisposedError';
}

/** A backend that is unknown, unavailable, or cannot do what was asked (e.g. a synchronous read). */
export class BackendError extends ScratchNetError {
  override name = 'BackendError';
}

/** Formats a shape as `[2,3]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

import { ScratchNetError } from '../errors.js';

/** A function given to `compile` did something a recorded program cannot replay faithfully. */
export class CompileError extends ScratchNetError {
  /**
   * True when the function had already assigned Variables when recording stopped (those assignments
   * stand), so running the same call again eagerly would apply them twice.
   */
  assignedVariables = false;

  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

import { ScratchNetError } from '../errors.js';

/** A function given to `compile` did something a recorded program cannot replay faithfully. */
export class CompileError extends ScratchNetError {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

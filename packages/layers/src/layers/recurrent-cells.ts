/**
 * Single-step recurrent cells with PyTorch's definitions, parameter names (`weight_ih`,
 * `weight_hh`, `bias_ih`, `bias_hh`), gate order and initialisation: RNNCell, LSTMCell, GRUCell.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, add, expandDims, fmtShape, matmul, squeeze, tidy, zeros } from '@scratchnet/core';
import { Module, registerModule } from '../module.js';
import { checkPositiveInt } from './checks.js';
import {
  cellStep, createCellWeights, initGenerator, rnnMode, type CellState, type CellWeights, type RNNNonlinearity, type RecurrentMode,
} from './recurrent-steps.js';

/** Options of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}. */
export interface RecurrentCellOptions {
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Seed for the initial weights. */
  seed?: number;
}

/** Options of {@link RNNCell}. */
export interface RNNCellOptions extends RecurrentCellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** The shared part of the three cells: weights, input and state checks, one step. */
abstract class RecurrentCell<S> extends Module<[input: Tensor, hx?: S | null], S> {
  /** W_ih, W_hh, b_ih, b_hh. */
  protected readonly weights: CellWeights;

  protected constructor(
    layer: string, protected readonly mode: RecurrentMode, readonly inputSize: number, readonly hiddenSize: number,
    protected readonly cellOptions: RecurrentCellOptions,
  ) {
    super();
    checkPositiveInt(layer, 'inputSize', inputSize);
    checkPositiveInt(layer, 'hiddenSize', hiddenSize);
    if (typeof cellOptions !== 'object' || cellOptions === null) throw new ArgumentError(`${layer}: options must be an object`);
    this.weights = createCellWeights(
      (n, t) => this.addParameter(n, t), '', mode, inputSize, hiddenSize, cellOptions.bias ?? true, initGenerator(cellOptions.seed),
    );
  }

  /** W_ih [G·H, inputSize]. */
  get weightIh(): Tensor {
    return this.weights.weightIh;
  }

  /** W_hh [G·H, hiddenSize]. */
  get weightHh(): Tensor {
    return this.weights.weightHh;
  }

  /** Checks the input ([B, inputSize] or unbatched [inputSize]) and returns it batched. */
  protected batchedInput(input: Tensor): { x: Tensor; unbatched: boolean } {
    const layer = this.className;
    if (!(input instanceof Tensor)) throw new ArgumentError(`${layer}: input must be a Tensor`);
    if (input.dtype !== 'float32') throw new DTypeError(`${layer}: input must have dtype float32, got ${input.dtype} (shape ${fmtShape(input.shape)})`);
    if (input.rank !== 1 && input.rank !== 2) {
      throw new ShapeError(`${layer}: expected input of shape [batch, inputSize] or unbatched [inputSize], got shape ${fmtShape(input.shape)}`);
    }
    if (input.shape[input.rank - 1] !== this.inputSize) {
      throw new ShapeError(`${layer}: input ${fmtShape(input.shape)} has ${input.shape[input.rank - 1]} features in its last dimension, expected inputSize ${this.inputSize}`);
    }
    return input.rank === 1 ? { x: expandDims(input, 0), unbatched: true } : { x: input, unbatched: false };
  }

  /** Checks one state tensor ([B, H], or [H] for an unbatched input) and returns it batched; zeros when absent. */
  protected batchedState(arg: string, s: Tensor | null | undefined, batch: number, unbatched: boolean): Tensor {
    if (s === undefined || s === null) return zeros([batch, this.hiddenSize]);
    const want = unbatched ? [this.hiddenSize] : [batch, this.hiddenSize];
    if (!(s instanceof Tensor)) throw new ArgumentError(`${this.className}: ${arg} must be a Tensor`);
    if (s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`${this.className}: ${arg} has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)} for input batch ${unbatched ? '(unbatched)' : batch} and hiddenSize ${this.hiddenSize}`);
    }
    return unbatched ? expandDims(s, 0) : s;
  }

  /** One step from batched input and state. */
  protected step(x: Tensor, state: CellState): CellState {
    const w = this.weights;
    let gx = matmul(x, w.weightIh, { transposeB: true });
    if (w.biasIh) gx = add(gx, w.biasIh);
    return cellStep(this.mode, gx, state, w.weightHh, w.biasHh);
  }

  protected getConfig(): Record<string, unknown> {
    return { inputSize: this.inputSize, hiddenSize: this.hiddenSize, ...this.cellOptions };
  }
}

/** Removes the batch axis again for an unbatched call. */
const unbatch = (t: Tensor, unbatched: boolean): Tensor => (unbatched ? squeeze(t, 0) : t);

/**
 * An Elman RNN cell, as `torch.nn.RNNCell`: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or ReLU).
 * `forward(input [B, inputSize], h? [B, hiddenSize])` returns h' [B, hiddenSize]; the state
 * defaults to zeros; unbatched [inputSize] inputs give [hiddenSize].
 */
export class RNNCell extends RecurrentCell<Tensor> {
  /** The nonlinearity, 'tanh' or 'relu'. */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, readonly options: RNNCellOptions = {}) {
    super('RNNCell', rnnMode('RNNCell', options?.nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }

  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return tidy(() => {
      const { x, unbatched } = this.batchedInput(input);
      const h = this.batchedState('hx', hx, x.shape[0]!, unbatched);
      return unbatch(this.step(x, { h }).h, unbatched);
    });
  }
}

/**
 * A GRU cell, as `torch.nn.GRUCell` (gate order r, z, n; r multiplies W_hn·h + b_hn):
 * r = σ(W_ir·x + b_ir + W_hr·h + b_hr), z = σ(W_iz·x + b_iz + W_hz·h + b_hz),
 * n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h.
 */
export class GRUCell extends RecurrentCell<Tensor> {
  constructor(inputSize: number, hiddenSize: number, readonly options: RecurrentCellOptions = {}) {
    super('GRUCell', 'GRU', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return tidy(() => {
      const { x, unbatched } = this.batchedInput(input);
      const h = this.batchedState('hx', hx, x.shape[0]!, unbatched);
      return unbatch(this.step(x, { h }).h, unbatched);
    });
  }
}

/**
 * An LSTM cell, as `torch.nn.LSTMCell` (gate order i, f, g, o in W_ih and W_hh):
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). `forward(input, [h, c]?)` returns [h', c'].
 */
export class LSTMCell extends RecurrentCell<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, readonly options: RecurrentCellOptions = {}) {
    super('LSTMCell', 'LSTM', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ArgumentError('LSTMCell: hx must be a pair [h, c] of Tensors (or omitted for zeros)');
    }
    return tidy(() => {
      const { x, unbatched } = this.batchedInput(input);
      const b = x.shape[0]!;
      const h = this.batchedState('h', hx?.[0], b, unbatched);
      const c = this.batchedState('c', hx?.[1], b, unbatched);
      const next = this.step(x, { h, c });
      return [unbatch(next.h, unbatched), unbatch(next.c!, unbatched)];
    });
  }
}

registerModule('RNNCell', RNNCell, (c) => new RNNCell(c.inputSize as number, c.hiddenSize as number, c));
registerModule('GRUCell', GRUCell, (c) => new GRUCell(c.inputSize as number, c.hiddenSize as number, c));
registerModule('LSTMCell', LSTMCell, (c) => new LSTMCell(c.inputSize as number, c.hiddenSize as number, c));

/**
 * One time step of each recurrent cell, in PyTorch's definitions, shared by the cells
 * (RNNCell, LSTMCell, GRUCell) and the sequence layers (RNN, LSTM, GRU).
 *
 * Every step receives `gx`, the input projection x·W_ihᵀ (+ biases) for this step, already
 * computed: the sequence layers project all time steps in one matmul and pass a slice, so a step
 * costs only the recurrent matmul h·W_hhᵀ and the gate arithmetic.
 */
import {
  ArgumentError, RandomGenerator, add, matmul, mul, randomUniform, relu, sigmoid, split, sub, tanh, type Tensor, type Variable,
} from '@scratchnet/core';

/** The four recurrent cell kinds: Elman RNN with tanh or ReLU, LSTM and GRU. */
export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** Nonlinearity of an Elman RNN: 'tanh' (default) or 'relu', as PyTorch's `nonlinearity`. */
export type RNNNonlinearity = 'tanh' | 'relu';

/** How many gate blocks of `hiddenSize` rows W_ih and W_hh stack: 1, 4 (i, f, g, o) or 3 (r, z, n). */
export function gateCount(mode: RecurrentMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/** The mode of an Elman RNN with the given nonlinearity; the error names the layer. */
export function rnnMode(layer: string, nonlinearity: unknown): RecurrentMode {
  if (nonlinearity === undefined || nonlinearity === 'tanh') return 'RNN_TANH';
  if (nonlinearity === 'relu') return 'RNN_RELU';
  throw new ArgumentError(`${layer}: nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(nonlinearity)}`);
}

/** The recurrent state of one cell: h, and the cell state c for LSTM. */
export interface CellState {
  h: Tensor;
  c?: Tensor;
}

/** The weights of one layer and direction: W_ih [G·H, in], W_hh [G·H, H], b_ih and b_hh [G·H] (or null). */
export interface CellWeights {
  weightIh: Variable;
  weightHh: Variable;
  biasIh: Variable | null;
  biasHh: Variable | null;
}

/** Registers a parameter; the owning module passes its protected `addParameter`. */
export type AddParameter = (name: string, initial: Tensor) => Variable;

/**
 * Creates and registers the weights of one cell under PyTorch's names (`weight_ih{suffix}`,
 * `weight_hh{suffix}`, `bias_ih{suffix}`, `bias_hh{suffix}`), every one drawn from
 * U(−1/√hiddenSize, 1/√hiddenSize) as PyTorch initialises recurrent layers.
 */
export function createCellWeights(
  addParameter: AddParameter, suffix: string, mode: RecurrentMode, inputSize: number, hiddenSize: number, bias: boolean,
  gen: RandomGenerator | undefined,
): CellWeights {
  const rows = gateCount(mode) * hiddenSize;
  const k = 1 / Math.sqrt(hiddenSize);
  const draw = (shape: number[]): Tensor => randomUniform(shape, { min: -k, max: k, seed: gen });
  return {
    weightIh: addParameter(`weight_ih${suffix}`, draw([rows, inputSize])),
    weightHh: addParameter(`weight_hh${suffix}`, draw([rows, hiddenSize])),
    biasIh: bias ? addParameter(`bias_ih${suffix}`, draw([rows])) : null,
    biasHh: bias ? addParameter(`bias_hh${suffix}`, draw([rows])) : null,
  };
}

/** A seeded generator for a layer's initial weights, or undefined for the global stream. */
export function initGenerator(seed: number | undefined): RandomGenerator | undefined {
  return seed === undefined ? undefined : new RandomGenerator(seed);
}

/**
 * Whether b_hh can be added to the input projection once instead of at every step: true for the
 * Elman RNN and LSTM, whose gates add both biases; false for GRU, whose candidate gate multiplies
 * (W_hn·h + b_hn) by r.
 */
export function foldsHiddenBias(mode: RecurrentMode): boolean {
  return mode !== 'GRU';
}

/**
 * One step of a cell. `gx` [B, G·H] is x·W_ihᵀ + b_ih (plus b_hh where {@link foldsHiddenBias}
 * allows and the caller folded it, in which case `hiddenBias` is null).
 *
 * - RNN: h' = act(gx + h·W_hhᵀ + b_hh)
 * - LSTM: [i, f, g, o] = gx + h·W_hhᵀ + b_hh; c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c')
 * - GRU: r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h
 */
export function cellStep(mode: RecurrentMode, gx: Tensor, state: CellState, weightHh: Tensor, hiddenBias: Tensor | null): CellState {
  let gh = matmul(state.h, weightHh, { transposeB: true });
  if (hiddenBias) gh = add(gh, hiddenBias);
  switch (mode) {
    case 'RNN_TANH':
      return { h: tanh(add(gx, gh)) };
    case 'RNN_RELU':
      return { h: relu(add(gx, gh)) };
    case 'LSTM': {
      const [i, f, g, o] = split(add(gx, gh), 4, -1) as [Tensor, Tensor, Tensor, Tensor];
      const c = add(mul(sigmoid(f), state.c!), mul(sigmoid(i), tanh(g)));
      return { h: mul(sigmoid(o), tanh(c)), c };
    }
    case 'GRU': {
      const [xr, xz, xn] = split(gx, 3, -1) as [Tensor, Tensor, Tensor];
      const [hr, hz, hn] = split(gh, 3, -1) as [Tensor, Tensor, Tensor];
      const r = sigmoid(add(xr, hr));
      const z = sigmoid(add(xz, hz));
      const n = tanh(add(xn, mul(r, hn)));
      // (1 − z)·n + z·h, written as n + z·(h − n).
      return { h: add(n, mul(z, sub(state.h, n))) };
    }
  }
}

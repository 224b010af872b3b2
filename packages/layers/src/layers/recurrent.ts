/**
 * Multi-layer recurrent layers with PyTorch's definitions: RNN (tanh or ReLU), LSTM and GRU, each
 * optionally bidirectional, batch-first, with dropout between layers, initial states, and
 * sequences of different lengths (the equivalent of a packed sequence).
 */
import {
  ArgumentError, DTypeError, ShapeError, Tensor, add, concat, dropout, expandDims, fmtShape, matmul, permute, reshape,
  split, squeeze, stack, tensor, tidy, where, zeros,
  type RandomGenerator,
} from '@scratchnet/core';
import { Module, registerModule } from '../module.js';
import { checkPositiveInt, checkRange } from './checks.js';
import {
  cellStep, createCellWeights, foldsHiddenBias, initGenerator, rnnMode, type CellState, type CellWeights, type RNNNonlinearity,
  type RecurrentMode,
} from './recurrent-steps.js';

/** Options of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's, in camelCase). */
export interface RecurrentOptions {
  /** Stacked recurrent layers; layer k > 0 reads layer k − 1's output (default 1). */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, time, features] instead of [time, batch, features] (default false). States stay [layers·directions, batch, hidden]. */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output except the last one's, in training mode (default 0). */
  dropout?: number;
  /** Add a second direction that reads the sequence backwards; outputs concatenate both (default false). */
  bidirectional?: boolean;
  /** Seed for the initial weights and the dropout masks. */
  seed?: number;
}

/** Options of {@link RNN}. */
export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** Per-call options of the recurrent layers' `forward`. */
export interface RecurrentForwardOptions {
  /**
   * The valid length of each batch element's sequence (1 ≤ length ≤ T), as PyTorch's
   * `pack_padded_sequence(input, lengths, enforce_sorted=False)` would record it: outputs past a
   * sequence's length are zero, the final state is the state after the sequence's own last step,
   * and the backward direction starts at that last step. Padding values never reach the result.
   */
  lengths?: readonly number[] | Int32Array;
}

/** LSTM's state: [h, c], each [numLayers·numDirections, batch, hiddenSize]. */
export type LSTMState = [h: Tensor, c: Tensor];

/** Final states of every layer and direction, before stacking. */
interface RunResult {
  output: Tensor;
  h: Tensor;
  c: Tensor | null;
}

/**
 * The shared machinery of RNN, LSTM and GRU. Per layer and direction, the input projection of all
 * time steps is one matmul, x·W_ihᵀ over [T·B, in] (with b_ih, and b_hh where the cell adds it
 * unchanged), and each step then computes only the recurrent part h·W_hhᵀ and the gates.
 */
abstract class RecurrentLayer<S> extends Module<[input: Tensor, hx?: S | null, options?: RecurrentForwardOptions], [Tensor, S]> {
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether biases are learned. */
  readonly bias: boolean;
  /** Whether input and output are [batch, time, features]. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers. */
  readonly dropout: number;
  /** Whether a backward direction is added. */
  readonly bidirectional: boolean;
  /** 2 when bidirectional, else 1. */
  readonly numDirections: number;
  private readonly cells: CellWeights[] = [];
  private readonly dropoutGenerator: RandomGenerator | undefined;

  protected constructor(
    protected readonly mode: RecurrentMode, readonly inputSize: number, readonly hiddenSize: number,
    protected readonly layerOptions: RecurrentOptions,
  ) {
    super();
    const layer = this.className;
    if (typeof layerOptions !== 'object' || layerOptions === null) throw new ArgumentError(`${layer}: options must be an object`);
    checkPositiveInt(layer, 'inputSize', inputSize);
    checkPositiveInt(layer, 'hiddenSize', hiddenSize);
    this.numLayers = layerOptions.numLayers ?? 1;
    checkPositiveInt(layer, 'numLayers', this.numLayers);
    this.dropout = layerOptions.dropout ?? 0;
    checkRange(layer, 'dropout', this.dropout, 0, 1);
    this.bias = layerOptions.bias ?? true;
    this.batchFirst = layerOptions.batchFirst ?? false;
    this.bidirectional = layerOptions.bidirectional ?? false;
    this.numDirections = this.bidirectional ? 2 : 1;
    const gen = initGenerator(layerOptions.seed);
    this.dropoutGenerator = initGenerator(layerOptions.seed === undefined ? undefined : layerOptions.seed + 1);
    for (let l = 0; l < this.numLayers; l++) {
      const inSize = l === 0 ? inputSize : hiddenSize * this.numDirections;
      for (let d = 0; d < this.numDirections; d++) {
        const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
        this.cells.push(createCellWeights((n, t) => this.addParameter(n, t), suffix, mode, inSize, hiddenSize, this.bias, gen));
      }
    }
  }

  /** The weights of layer `layer`, forward direction or (`reverse`) backward direction. */
  cellWeights(layer: number, reverse = false): CellWeights {
    const w = this.cells[layer * this.numDirections + (reverse ? 1 : 0)];
    if (!w || (reverse && !this.bidirectional)) {
      throw new ArgumentError(`${this.className}: no layer ${layer}${reverse ? ' reverse direction' : ''} (numLayers ${this.numLayers}, bidirectional ${this.bidirectional})`);
    }
    return w;
  }

  /** Runs every layer and direction; h0 / c0 are PyTorch-shaped or absent (zeros). */
  protected run(input: Tensor, h0: Tensor | null | undefined, c0: Tensor | null | undefined, options: RecurrentForwardOptions = {}): RunResult {
    this.checkInput(input);
    if (typeof options !== 'object' || options === null) throw new ArgumentError(`${this.className}: forward options must be an object`);
    const unbatched = input.rank === 2;
    return tidy(() => {
      let x = unbatched ? expandDims(input, 1) : this.batchFirst ? permute(input, [1, 0, 2]) : input;
      const [T, B] = x.shape as [number, number];
      const masks = stepMasks(this.className, options.lengths, T, B, unbatched);
      const hInit = this.initialStates('h0', h0, B, unbatched);
      const cInit = this.mode === 'LSTM' ? this.initialStates('c0', c0, B, unbatched) : null;
      const hN: Tensor[] = [];
      const cN: Tensor[] = [];
      for (let l = 0; l < this.numLayers; l++) {
        const outs: Tensor[] = [];
        for (let d = 0; d < this.numDirections; d++) {
          const k = l * this.numDirections + d;
          const init: CellState = { h: hInit[k]!, ...(cInit ? { c: cInit[k]! } : {}) };
          const { ys, state } = runDirection(this.mode, x, this.cells[k]!, init, d === 1, masks);
          outs.push(stack(ys, 0));
          hN.push(state.h);
          if (state.c) cN.push(state.c);
        }
        x = outs.length === 1 ? outs[0]! : concat(outs, -1);
        if (l < this.numLayers - 1 && this.dropout > 0 && this.training) {
          x = dropout(x, this.dropout, { training: true, seed: this.dropoutGenerator });
        }
      }
      const finalState = (states: Tensor[]): Tensor => (unbatched ? reshape(stack(states, 0), [states.length, this.hiddenSize]) : stack(states, 0));
      const output = unbatched ? squeeze(x, 1) : this.batchFirst ? permute(x, [1, 0, 2]) : x;
      return { output, h: finalState(hN), c: cN.length ? finalState(cN) : null };
    });
  }

  private checkInput(input: Tensor): void {
    const layer = this.className;
    if (!(input instanceof Tensor)) throw new ArgumentError(`${layer}: input must be a Tensor`);
    if (input.dtype !== 'float32') throw new DTypeError(`${layer}: input must have dtype float32, got ${input.dtype} (shape ${fmtShape(input.shape)})`);
    if (input.rank !== 2 && input.rank !== 3) {
      const layout = this.batchFirst ? '[batch, time, inputSize]' : '[time, batch, inputSize]';
      throw new ShapeError(`${layer}: expected input of shape ${layout} or unbatched [time, inputSize], got shape ${fmtShape(input.shape)}`);
    }
    if (input.shape[input.rank - 1] !== this.inputSize) {
      throw new ShapeError(`${layer}: input ${fmtShape(input.shape)} has ${input.shape[input.rank - 1]} features in its last dimension, expected inputSize ${this.inputSize}`);
    }
    const timeAxis = input.rank === 3 && this.batchFirst ? 1 : 0;
    if (input.shape[timeAxis] === 0) throw new ShapeError(`${layer}: input ${fmtShape(input.shape)} has no time steps`);
  }

  /** Splits a PyTorch-shaped initial state into one [B, H] tensor per layer and direction (zeros when absent). */
  private initialStates(arg: string, s: Tensor | null | undefined, batch: number, unbatched: boolean): Tensor[] {
    const count = this.numLayers * this.numDirections;
    if (s === undefined || s === null) return Array.from({ length: count }, () => zeros([batch, this.hiddenSize]));
    const want = unbatched ? [count, this.hiddenSize] : [count, batch, this.hiddenSize];
    if (!(s instanceof Tensor)) throw new ArgumentError(`${this.className}: ${arg} must be a Tensor`);
    if (s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(
        `${this.className}: ${arg} has shape ${fmtShape(s.shape)}, expected ${fmtShape(want)} ` +
        `(numLayers·numDirections ${count}${unbatched ? '' : `, batch ${batch}`}, hiddenSize ${this.hiddenSize})`,
      );
    }
    return split(s, count, 0).map((t) => reshape(t, [batch, this.hiddenSize]));
  }

  protected getConfig(): Record<string, unknown> {
    return {
      inputSize: this.inputSize, hiddenSize: this.hiddenSize, numLayers: this.numLayers, bias: this.bias, batchFirst: this.batchFirst,
      dropout: this.dropout, bidirectional: this.bidirectional, ...(this.layerOptions.seed === undefined ? {} : { seed: this.layerOptions.seed }),
    };
  }
}

/**
 * For each time step, a bool mask [B, 1] of the batch elements still inside their sequence, or
 * null where all are (no masking needed). Null overall without lengths.
 */
function stepMasks(layer: string, lengths: RecurrentForwardOptions['lengths'], T: number, B: number, unbatched: boolean): (Tensor | null)[] | null {
  if (lengths === undefined) return null;
  if (!Array.isArray(lengths) && !(lengths instanceof Int32Array)) {
    throw new ArgumentError(`${layer}: lengths must be an array of integers (one per batch element), got ${typeof lengths}`);
  }
  const lens: number[] = Array.from(lengths as ArrayLike<number>);
  if (lens.length !== B) {
    throw new ShapeError(`${layer}: lengths has ${lens.length} entries, the input has batch ${B}${unbatched ? ' (unbatched)' : ''}`);
  }
  for (let b = 0; b < B; b++) {
    const n = lens[b]!;
    if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${layer}: lengths[${b}] must be a positive integer, got ${String(n)}`);
    if (n > T) throw new ShapeError(`${layer}: lengths[${b}] = ${n} is longer than the input's ${T} time steps`);
  }
  const shortest = Math.min(...lens);
  return Array.from({ length: T }, (_, t) => (t < shortest ? null : tensor(lens.map((n) => t < n), [B, 1], 'bool')));
}

/**
 * One direction of one layer over x [T, B, in]: the input projection of every step in one matmul,
 * then the recurrence. Returns the per-step outputs (in time order) and the final state. With
 * masks, a batch element past its length keeps its state and outputs zeros, so the reverse
 * direction starts from the initial state at the element's own last step.
 */
function runDirection(
  mode: RecurrentMode, x: Tensor, w: CellWeights, init: CellState, reverse: boolean, masks: (Tensor | null)[] | null,
): { ys: Tensor[]; state: CellState } {
  const [T, B, inSize] = x.shape as [number, number, number];
  let gx = matmul(reshape(x, [T * B, inSize]), w.weightIh, { transposeB: true });
  const fold = foldsHiddenBias(mode);
  if (w.biasIh) gx = add(gx, fold && w.biasHh ? add(w.biasIh, w.biasHh) : w.biasIh);
  const hiddenBias = fold ? null : w.biasHh;
  const steps = splitSteps(gx, T, B);
  const ys = new Array<Tensor>(T);
  let state = init;
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    const next = cellStep(mode, steps[t]!, state, w.weightHh, hiddenBias);
    const m = masks?.[t] ?? null;
    if (m === null) {
      state = next;
      ys[t] = next.h;
    } else {
      state = { h: where(m, next.h, state.h), ...(next.c ? { c: where(m, next.c, state.c!) } : {}) };
      ys[t] = where(m, next.h, 0);
    }
  }
  return { ys, state };
}

/**
 * The T per-step row blocks [B, ·] of x [T·B, ·], split by halving. The gradient of a slice is the
 * slice's gradient padded to the sliced tensor's size, so T slices of x would cost T full-size pads
 * and adds in the backward pass (O(T²)); halving keeps every level's pads at x's size, O(T·log T).
 */
function splitSteps(x: Tensor, T: number, B: number): Tensor[] {
  if (T === 1) return [x];
  const first = Math.ceil(T / 2);
  const [a, b] = split(x, [first * B, (T - first) * B], 0) as [Tensor, Tensor];
  return [...splitSteps(a, first, B), ...splitSteps(b, T - first, B)];
}

/**
 * A multi-layer Elman RNN, as `torch.nn.RNN`: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)
 * (or ReLU). `forward(input [T, B, inputSize], h0?)` returns [output [T, B, D·hiddenSize],
 * hN [numLayers·D, B, hiddenSize]] (D = 2 when bidirectional). The input projection of all time steps
 * is one matmul per layer and direction; only h·W_hhᵀ runs per step.
 *
 * @example
 * const rnn = new RNN(8, 16, { numLayers: 2, batchFirst: true });
 * const [out, hN] = rnn.forward(x); // x [B, T, 8] → out [B, T, 16], hN [2, B, 16]
 */
export class RNN extends RecurrentLayer<Tensor> {
  /** The nonlinearity, 'tanh' or 'relu'. */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super(rnnMode('RNN', options?.nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }

  /** Runs the sequence; `h0` [numLayers·D, B, hiddenSize] defaults to zeros. Returns [output, hN]. */
  forward(input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions): [Tensor, Tensor] {
    const r = this.run(input, h0, null, options);
    return [r.output, r.h];
  }

  /** The shared options plus the nonlinearity. */
  protected override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), nonlinearity: this.nonlinearity };
  }
}

/**
 * A multi-layer LSTM, as `torch.nn.LSTM` (gate order i, f, g, o):
 * c_t = σ(f)·c_{t−1} + σ(i)·tanh(g), h_t = σ(o)·tanh(c_t). `forward(input, [h0, c0]?)` returns
 * [output [T, B, D·hiddenSize], [hN, cN]] with states [numLayers·D, B, hiddenSize]. The input
 * projection of all time steps is one matmul per layer and direction; only h·W_hhᵀ runs per step.
 * (PyTorch's `proj_size` is not supported.)
 *
 * @example
 * const lstm = new LSTM(10, 20, { numLayers: 2, bidirectional: true });
 * const [out, [hN, cN]] = lstm.forward(x, null, { lengths: [5, 3, 4] });
 */
export class LSTM extends RecurrentLayer<LSTMState> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }

  /** Runs the sequence; `hx` = [h0, c0] (each [numLayers·D, B, hiddenSize]) defaults to zeros. Returns [output, [hN, cN]]. */
  forward(input: Tensor, hx?: LSTMState | null, options?: RecurrentForwardOptions): [Tensor, LSTMState] {
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ArgumentError('LSTM: hx must be a pair [h0, c0] of Tensors (or omitted for zeros)');
    }
    const r = this.run(input, hx?.[0], hx?.[1], options);
    return [r.output, [r.h, r.c!]];
  }
}

/**
 * A multi-layer GRU, as `torch.nn.GRU` (gate order r, z, n; r multiplies W_hn·h + b_hn):
 * n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h. `forward(input, h0?)` returns
 * [output, hN] shaped as {@link RNN}'s. The input projection of all time steps is one matmul per
 * layer and direction; only h·W_hhᵀ (+ b_hh) runs per step.
 */
export class GRU extends RecurrentLayer<Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', inputSize, hiddenSize, options);
  }

  /** Runs the sequence; `h0` [numLayers·D, B, hiddenSize] defaults to zeros. Returns [output, hN]. */
  forward(input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions): [Tensor, Tensor] {
    const r = this.run(input, h0, null, options);
    return [r.output, r.h];
  }
}

registerModule('RNN', RNN, (c) => new RNN(c.inputSize as number, c.hiddenSize as number, c));
registerModule('LSTM', LSTM, (c) => new LSTM(c.inputSize as number, c.hiddenSize as number, c));
registerModule('GRU', GRU, (c) => new GRU(c.inputSize as number, c.hiddenSize as number, c));

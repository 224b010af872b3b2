import { ArgumentError, RandomGenerator, ShapeError, fmtShape, keep, slice, reshape, type Tensor } from '@scratchnet/core';
import { Embedding } from '../layers/embedding.js';
import { Linear } from '../layers/linear.js';
import { LSTM } from '../layers/recurrent.js';
import { Dropout } from '../layers/shape-layers.js';
import { Module, registerModule } from '../module.js';
import type { DecodingState, IncrementalDecoder } from '../text/generate.js';
import type { LSTMState } from '../layers/recurrent.js';

/** Options of {@link LSTMLanguageModel}. */
export interface LSTMLanguageModelOptions {
  /** Width of the token embedding (default 64). */
  embeddingDim?: number;
  /** Width of each LSTM layer (default 256). */
  hiddenSize?: number;
  /** Stacked LSTM layers (default 2). */
  numLayers?: number;
  /** Dropout on the embedding, between layers and before the output (default 0.1). */
  dropout?: number;
  /** Seed of the initial weights and dropout masks. */
  seed?: number;
}

/**
 * A recurrent language model (PyTorch's word_language_model shape): token embedding, a multi-layer
 * LSTM (batch first) and a linear output, mapping int32 ids [batch, T] to logits [batch, T, vocab].
 * Implements {@link IncrementalDecoder}: `generate` carries the LSTM state from token to token.
 */
export class LSTMLanguageModel extends Module<[Tensor], Tensor> implements IncrementalDecoder {
  readonly embedding: Embedding;
  readonly drop: Dropout;
  readonly lstm: LSTM;
  readonly head: Linear;

  constructor(readonly vocabSize: number, readonly options: LSTMLanguageModelOptions = {}) {
    super();
    const { embeddingDim = 64, hiddenSize = 256, numLayers = 2, dropout = 0.1, seed } = options;
    for (const [name, v] of [['vocabSize', vocabSize], ['embeddingDim', embeddingDim], ['hiddenSize', hiddenSize], ['numLayers', numLayers]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`LSTMLanguageModel: ${name} must be a positive integer, got ${String(v)}`);
    }
    const gen = seed === undefined ? undefined : new RandomGenerator(seed);
    const childSeed = (): number | undefined => (gen ? Math.floor(gen.uniform(1)[0]! * 2 ** 31) : undefined);
    this.embedding = this.addChild('embedding', new Embedding(vocabSize, embeddingDim, { seed: childSeed() }));
    this.drop = this.addChild('drop', new Dropout(dropout, { seed: childSeed() }));
    this.lstm = this.addChild('lstm', new LSTM(embeddingDim, hiddenSize, { numLayers, dropout, batchFirst: true, seed: childSeed() }));
    this.head = this.addChild('head', new Linear(hiddenSize, vocabSize, { seed: childSeed() }));
  }

  forward(ids: Tensor): Tensor {
    return this.run(ids, null)[0];
  }

  private run(ids: Tensor, state: LSTMState | null): [Tensor, LSTMState] {
    if (ids.rank !== 2 || ids.dtype !== 'int32') throw new ShapeError(`LSTMLanguageModel: ids must be int32 [batch, length], got ${ids.dtype} ${fmtShape(ids.shape)}`);
    const [out, next] = this.lstm.forward(this.drop.forward(this.embedding.forward(ids)), state);
    return [this.head.forward(this.drop.forward(out)), next];
  }

  /** Starts incremental decoding (batch 1): each step runs the new tokens from the carried LSTM state. */
  beginDecoding(): DecodingState {
    let state: LSTMState | null = null;
    const release = (): void => state?.forEach((t) => t.dispose());
    return {
      step: (ids: Tensor): Tensor => {
        if (ids.rank !== 2 || ids.shape[0] !== 1) throw new ShapeError(`LSTMLanguageModel.beginDecoding: step takes ids [1, n], got ${fmtShape(ids.shape)}`);
        const [logits, next] = this.run(ids, state);
        release();
        state = [keep(next[0]), keep(next[1])];
        const n = ids.shape[1]!;
        return reshape(slice(logits, [0, n - 1, 0], [1, 1, this.vocabSize]), [1, this.vocabSize]);
      },
      dispose: release,
    };
  }

  protected getConfig(): Record<string, unknown> {
    return { vocabSize: this.vocabSize, ...this.options };
  }
}

registerModule('LSTMLanguageModel', LSTMLanguageModel, (c) => new LSTMLanguageModel(c.vocabSize as number, c));

/** The two language models the demo trains, built the same way by the CLI and the web page. */
import { GPT, LSTMLanguageModel } from '@scratchnet/layers';

/** Which model to build. */
export type ModelKind = 'gpt' | 'lstm';

/** The size of a model: the GPT reads all of it, the LSTM its width (hidden = 2 × width) and up to 2 layers. */
export interface ModelSize {
  layers: number;
  heads: number;
  width: number;
  context: number;
  dropout: number;
  /** Seed of the initial weights. */
  seed: number;
  /** Activation checkpointing of each GPT block (less memory, one more forward pass). */
  checkpoint?: boolean;
}

/** A language model over `vocab` token ids. */
export function buildLanguageModel(kind: ModelKind, vocab: number, size: ModelSize): GPT | LSTMLanguageModel {
  if (kind === 'lstm') {
    return new LSTMLanguageModel(vocab, { embeddingDim: 64, hiddenSize: 2 * size.width, numLayers: Math.min(size.layers, 2), dropout: size.dropout, seed: size.seed });
  }
  return new GPT(vocab, {
    contextLength: size.context, dModel: size.width, numLayers: size.layers, numHeads: size.heads, dropout: size.dropout, seed: size.seed,
    checkpoint: size.checkpoint ?? false,
  });
}

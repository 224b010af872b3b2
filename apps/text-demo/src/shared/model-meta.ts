/**
 * What a text-demo model file carries besides its weights: the tokenizer (so a loaded model reads and
 * writes text exactly as it was trained) and the corpus it learnt. Checked on load, the same way in
 * the CLI and in the browser.
 */
import { GPT, LSTMLanguageModel, tokenizerFromJSON, type LoadedModel, type ModelMetadata, type Tokenizer, type TokenizerJSON } from '@scratchnet/layers';

/** The corpora a model can have learnt. */
export type CorpusName = 'names' | 'brown' | 'text';

/** The metadata saved with a model. */
export function textModelMetadata(tokenizer: Tokenizer, corpus: CorpusName): ModelMetadata {
  return { tokenizer: tokenizer.toJSON(), corpus };
}

/** A loaded text-demo model with its tokenizer. */
export interface TextModel {
  model: GPT | LSTMLanguageModel;
  tokenizer: Tokenizer;
  /** The corpus it was trained on, when the file says. */
  corpus: CorpusName | undefined;
}

/** A model file's parts, or an Error naming `source` when it is not a text-demo model (the loaded model is then disposed). */
export function readTextModel(loaded: LoadedModel, source: string): TextModel {
  const meta = (loaded.metadata ?? {}) as Record<string, unknown>;
  if (!meta.tokenizer || !(loaded.model instanceof GPT || loaded.model instanceof LSTMLanguageModel)) {
    loaded.model.dispose();
    throw new Error(`${source} is not a text-demo model (no tokenizer in its metadata, or not a GPT / LSTMLanguageModel)`);
  }
  const corpus = meta.corpus === 'names' || meta.corpus === 'brown' || meta.corpus === 'text' ? meta.corpus : undefined;
  return { model: loaded.model, tokenizer: tokenizerFromJSON(meta.tokenizer as TokenizerJSON), corpus };
}

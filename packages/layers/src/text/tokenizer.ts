/** What every tokenizer offers, and its JSON form (saved in a model file's metadata). */

/** A tokenizer: text to token ids and back, with a JSON form to save next to the model. */
export interface Tokenizer {
  /** Number of distinct token ids (ids are 0..vocabSize-1). */
  readonly vocabSize: number;
  /** The ids of `text`. */
  encode(text: string): number[];
  /** The text of `ids`. */
  decode(ids: ArrayLike<number>): string;
  /** The id of a special token such as `'<eos>'`, or undefined when the tokenizer has none by that name. */
  specialId(name: string): number | undefined;
  /** A plain-JSON description from which {@link tokenizerFromJSON} rebuilds an equal tokenizer. */
  toJSON(): TokenizerJSON;
}

/** The JSON form of a character tokenizer. */
export interface CharTokenizerJSON {
  readonly kind: 'char';
  /** The characters (Unicode code points) in id order, after the special tokens. */
  readonly chars: string[];
  readonly specials: string[];
}

/** The JSON form of a byte-level BPE tokenizer. */
export interface BpeTokenizerJSON {
  readonly kind: 'bpe';
  /** Merges in rank order: [left id, right id]; merge i makes id 256 + specials.length + i. */
  readonly merges: [number, number][];
  readonly specials: string[];
}

/** The JSON form of any tokenizer. */
export type TokenizerJSON = CharTokenizerJSON | BpeTokenizerJSON;

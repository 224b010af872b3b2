import { ArgumentError } from '@scratchnet/core';
import type { CharTokenizerJSON, Tokenizer } from './tokenizer.js';

/** Options of {@link CharTokenizer.train}. */
export interface CharTokenizerOptions {
  /** Special tokens (e.g. `['<eos>']`), given the first ids in this order. */
  specials?: readonly string[];
}

function checkSpecials(specials: readonly string[], where: string): string[] {
  const list = [...specials];
  if (list.some((s) => typeof s !== 'string' || s.length === 0) || new Set(list).size !== list.length) {
    throw new ArgumentError(`${where}: specials must be distinct non-empty strings, got ${JSON.stringify(specials)}`);
  }
  return list;
}

/**
 * One token per character (Unicode code point): the vocabulary is the set of characters of the
 * training text, sorted, after the special tokens. Encoding a character it has never seen is an
 * error naming the character and its position.
 */
export class CharTokenizer implements Tokenizer {
  private readonly ids: Map<string, number>;
  private readonly specials: string[];

  private constructor(private readonly chars: string[], specials: string[]) {
    this.specials = specials;
    this.ids = new Map(chars.map((c, i) => [c, specials.length + i]));
  }

  /** Learns the vocabulary of `text` (a string, or many). */
  static train(text: string | readonly string[], options: CharTokenizerOptions = {}): CharTokenizer {
    const specials = checkSpecials(options.specials ?? [], 'CharTokenizer.train');
    const seen = new Set<string>();
    for (const t of typeof text === 'string' ? [text] : text) {
      if (typeof t !== 'string') throw new ArgumentError(`CharTokenizer.train: text must be a string or an array of strings, got ${typeof t}`);
      for (const c of t) seen.add(c);
    }
    return new CharTokenizer([...seen].sort(), specials);
  }

  /** Rebuilds a tokenizer from {@link CharTokenizer.toJSON}'s output. */
  static fromJSON(json: CharTokenizerJSON): CharTokenizer {
    if (json?.kind !== 'char' || !Array.isArray(json.chars) || json.chars.some((c) => typeof c !== 'string' || [...c].length !== 1)) {
      throw new ArgumentError('CharTokenizer.fromJSON: expected { kind: "char", chars: [single characters], specials }');
    }
    return new CharTokenizer([...json.chars], checkSpecials(json.specials ?? [], 'CharTokenizer.fromJSON'));
  }

  get vocabSize(): number {
    return this.specials.length + this.chars.length;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    let pos = 0;
    for (const c of text) {
      const id = this.ids.get(c);
      if (id === undefined) throw new ArgumentError(`CharTokenizer.encode: character ${JSON.stringify(c)} at position ${pos} is not in the vocabulary of ${this.chars.length} characters`);
      out.push(id);
      pos++;
    }
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new ArgumentError(`CharTokenizer.decode: id ${id} at position ${i} is out of range (vocabulary of ${this.vocabSize})`);
      s += id < this.specials.length ? this.specials[id]! : this.chars[id - this.specials.length]!;
    }
    return s;
  }

  specialId(name: string): number | undefined {
    const i = this.specials.indexOf(name);
    return i < 0 ? undefined : i;
  }

  toJSON(): CharTokenizerJSON {
    return { kind: 'char', chars: [...this.chars], specials: [...this.specials] };
  }
}

export { checkSpecials };

import { ArgumentError } from '@scratchnet/core';
import { BpeTokenizer } from './bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import type { Tokenizer, TokenizerJSON } from './tokenizer.js';

/** Rebuilds a tokenizer from its JSON form (e.g. the `tokenizer` entry of a loaded model's metadata). */
export function tokenizerFromJSON(json: TokenizerJSON): Tokenizer {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'char') return CharTokenizer.fromJSON(json as TokenizerJSON & { kind: 'char' });
  if (kind === 'bpe') return BpeTokenizer.fromJSON(json as TokenizerJSON & { kind: 'bpe' });
  throw new ArgumentError(`tokenizerFromJSON: unknown tokenizer kind ${JSON.stringify(kind)} (expected "char" or "bpe")`);
}

/** Text: tokenizers, next-token windows, sampling and generation. */
export type { Tokenizer, TokenizerJSON, CharTokenizerJSON, BpeTokenizerJSON } from './tokenizer.js';
export { CharTokenizer, type CharTokenizerOptions } from './char-tokenizer.js';
export { BpeTokenizer, type BpeTokenizerOptions } from './bpe-tokenizer.js';
export { tokenizerFromJSON } from './tokenizer-json.js';
export { TextWindows } from './text-windows.js';
export { sampleLogits, type SamplingOptions } from './sampling.js';
export { generate, type GenerateOptions, type DecodingState, type IncrementalDecoder } from './generate.js';

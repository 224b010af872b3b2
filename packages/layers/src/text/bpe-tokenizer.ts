import { ArgumentError } from '@scratchnet/core';
import { checkSpecials } from './char-tokenizer.js';
import type { BpeTokenizerJSON, Tokenizer } from './tokenizer.js';

/** Options of {@link BpeTokenizer.train}. */
export interface BpeTokenizerOptions {
  /** The vocabulary size to reach: 256 bytes + the specials + the merges learnt (at least 256 + specials). */
  vocabSize: number;
  /** Special tokens (e.g. `['<eos>']`), given the ids right after the 256 bytes. */
  specials?: readonly string[];
}

/**
 * Pieces that merges never cross: a run of letters, of digits or of other symbols, each with at most
 * one leading space, or a run of whitespace (as GPT-2's byte-level BPE splits text before merging).
 */
const PIECE = /[ ]?\p{L}+|[ ]?\p{N}+|[ ]?[^\s\p{L}\p{N}]+|\s+/gu;

const utf8 = new TextEncoder();
const PAIR = 1 << 20;
const pairKey = (a: number, b: number): number => a * PAIR + b;

/** Replaces each (a, b) in `ids` by `id`, left to right. */
function mergeInto(ids: number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(ids[i]!);
  }
  return out;
}

/**
 * Byte-level byte-pair encoding: text is UTF-8 bytes (ids 0–255, so any text encodes), split into
 * pieces (see PIECE), and the most frequent adjacent pair of ids is merged into a new id, again and
 * again, until the vocabulary has `vocabSize` ids. Ties go to the smaller pair, so training is
 * deterministic. Special tokens are never produced by `encode`: append their ids yourself.
 */
export class BpeTokenizer implements Tokenizer {
  private readonly ranks = new Map<number, number>();
  private readonly bytesOf: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();
  private readonly firstMergeId: number;

  private constructor(private readonly merges: [number, number][], private readonly specials: string[]) {
    for (let b = 0; b < 256; b++) this.bytesOf.push(Uint8Array.of(b));
    for (const s of specials) this.bytesOf.push(utf8.encode(s));
    this.firstMergeId = 256 + specials.length;
    merges.forEach(([a, b], i) => {
      const id = this.firstMergeId + i;
      if (!(a < id && b < id) || a < 0 || b < 0 || !Number.isInteger(a) || !Number.isInteger(b)) {
        throw new ArgumentError(`BpeTokenizer: merge ${i} [${a}, ${b}] refers to an id that does not exist before it`);
      }
      this.ranks.set(pairKey(a, b), i);
      const left = this.bytesOf[a]!;
      const right = this.bytesOf[b]!;
      const joined = new Uint8Array(left.length + right.length);
      joined.set(left);
      joined.set(right, left.length);
      this.bytesOf.push(joined);
    });
  }

  /** Learns merges from `text` (a string, or many) until the vocabulary has `options.vocabSize` ids. */
  static train(text: string | readonly string[], options: BpeTokenizerOptions): BpeTokenizer {
    const specials = checkSpecials(options?.specials ?? [], 'BpeTokenizer.train');
    const target = options?.vocabSize;
    if (!Number.isInteger(target) || target < 256 + specials.length || target > PAIR) {
      throw new ArgumentError(`BpeTokenizer.train: vocabSize must be an integer from ${256 + specials.length} (bytes + specials) to ${PAIR}, got ${String(target)}`);
    }
    const counts = new Map<string, number>();
    for (const t of typeof text === 'string' ? [text] : text) {
      if (typeof t !== 'string') throw new ArgumentError(`BpeTokenizer.train: text must be a string or an array of strings, got ${typeof t}`);
      for (const m of t.matchAll(PIECE)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
    const pieces = [...counts.keys()].map((p) => Array.from(utf8.encode(p)));
    const freq = [...counts.values()];
    const pairCount = new Map<number, number>();
    const holders = new Map<number, Set<number>>();
    const tally = (p: number, sign: 1 | -1): void => {
      const ids = pieces[p]!;
      for (let i = 0; i + 1 < ids.length; i++) {
        const k = pairKey(ids[i]!, ids[i + 1]!);
        pairCount.set(k, (pairCount.get(k) ?? 0) + sign * freq[p]!);
        if (sign > 0) {
          let set = holders.get(k);
          if (!set) holders.set(k, (set = new Set()));
          set.add(p);
        }
      }
    };
    pieces.forEach((_, p) => tally(p, 1));
    const merges: [number, number][] = [];
    for (let id = 256 + specials.length; id < target; id++) {
      let best = -1;
      let bestCount = 0;
      for (const [k, c] of pairCount) if (c > bestCount || (c === bestCount && c > 0 && k < best)) [best, bestCount] = [k, c];
      if (bestCount < 2) break; // Nothing repeats: further merges would only memorise single pieces.
      const a = Math.floor(best / PAIR);
      const b = best % PAIR;
      merges.push([a, b]);
      for (const p of holders.get(best) ?? []) {
        tally(p, -1);
        pieces[p] = mergeInto(pieces[p]!, a, b, id);
        tally(p, 1);
      }
      pairCount.delete(best);
      holders.delete(best);
    }
    return new BpeTokenizer(merges, specials);
  }

  /** Rebuilds a tokenizer from {@link BpeTokenizer.toJSON}'s output. */
  static fromJSON(json: BpeTokenizerJSON): BpeTokenizer {
    if (json?.kind !== 'bpe' || !Array.isArray(json.merges) || json.merges.some((m) => !Array.isArray(m) || m.length !== 2)) {
      throw new ArgumentError('BpeTokenizer.fromJSON: expected { kind: "bpe", merges: [[left, right], ...], specials }');
    }
    return new BpeTokenizer(json.merges.map(([a, b]) => [a, b]), checkSpecials(json.specials ?? [], 'BpeTokenizer.fromJSON'));
  }

  get vocabSize(): number {
    return this.firstMergeId + this.merges.length;
  }

  /** The merges learnt, in the order they apply. */
  get mergeCount(): number {
    return this.merges.length;
  }

  encode(text: string): number[] {
    if (typeof text !== 'string') throw new ArgumentError(`BpeTokenizer.encode: text must be a string, got ${typeof text}`);
    const out: number[] = [];
    for (const m of text.matchAll(PIECE)) out.push(...this.encodePiece(m[0]));
    return out;
  }

  private encodePiece(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    let ids = Array.from(utf8.encode(piece));
    for (;;) {
      let bestRank = Infinity;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = this.ranks.get(pairKey(ids[i]!, ids[i + 1]!));
        if (r !== undefined && r < bestRank) bestRank = r;
      }
      if (bestRank === Infinity) break;
      const [a, b] = this.merges[bestRank]!;
      ids = mergeInto(ids, a, b, this.firstMergeId + bestRank);
    }
    if (this.cache.size < 100_000) this.cache.set(piece, ids);
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const bytes = Number.isInteger(id) ? this.bytesOf[id] : undefined;
      if (!bytes) throw new ArgumentError(`BpeTokenizer.decode: id ${id} at position ${i} is out of range (vocabulary of ${this.vocabSize})`);
      parts.push(bytes);
      length += bytes.length;
    }
    const all = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return new TextDecoder('utf-8').decode(all);
  }

  specialId(name: string): number | undefined {
    const i = this.specials.indexOf(name);
    return i < 0 ? undefined : 256 + i;
  }

  toJSON(): BpeTokenizerJSON {
    return { kind: 'bpe', merges: this.merges.map(([a, b]) => [a, b]), specials: [...this.specials] };
  }
}

/**
 * Text → sparse TF-IDF vector over hashed word and character n-grams.
 *
 * Hashing keeps the feature space fixed without storing strings; after fitting, only the buckets seen in
 * training become columns (`FeatureSpace`), so weights and IDF are dense over a few tens of thousands of
 * columns instead of 2^20 buckets. Word and character blocks are L2-normalised separately and weighted,
 * so the many character n-grams do not drown the few words.
 */

export interface FeatureOptions {
  /** Buckets = 2^hashBits. */
  hashBits: number;
  /** Word n-gram lengths, inclusive. */
  wordNgrams: [number, number];
  /** Character n-gram lengths within padded words (char_wb), inclusive. */
  charNgrams: [number, number];
  /** Weight of the character block relative to the word block (each L2-normalised first). */
  charWeight: number;
  /** Buckets seen in fewer training texts are dropped. */
  minDf: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { hashBits: 20, wordNgrams: [1, 2], charNgrams: [2, 5], charWeight: 1, minDf: 1 };

/** Hashed terms of one text: bucket → raw count, per block. */
export interface TermCounts {
  word: Map<number, number>;
  char: Map<number, number>;
}

/** A sparse row in column space; values are L2-normalised per block and weighted. */
export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

const WORD_SEED = 0x811c9dc5;
const CHAR_SEED = 0x01000193 ^ WORD_SEED;
const FNV_PRIME = 0x01000193;

/** Lowercase, ё→е and accents stripped (café → cafe), keeping й, which NFD would split into и + breve. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/и\u0306/g, 'й')
    .replace(/\p{M}/gu, '')
    .normalize('NFC');
}

/** Words: runs of letters and digits of the normalised text. */
export function tokenise(normalised: string): string[] {
  return normalised.match(/[\p{L}\p{N}]+/gu) ?? [];
}

const fnvStep = (h: number, code: number) => Math.imul(h ^ code, FNV_PRIME);

/** murmur3's finaliser: FNV's low bits are weak, and buckets take the low bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashWord(word: string): number {
  let h = WORD_SEED;
  for (let i = 0; i < word.length; i++) h = fnvStep(h, word.charCodeAt(i));
  return h;
}

const bump = (counts: Map<number, number>, bucket: number) => counts.set(bucket, (counts.get(bucket) ?? 0) + 1);

/** Hashed word and char_wb n-gram counts of `text`; deterministic across processes and platforms. */
export function countTerms(text: string, options: FeatureOptions): TermCounts {
  const mask = 2 ** options.hashBits - 1;
  const words = tokenise(normaliseText(text));
  const word = new Map<number, number>();
  const char = new Map<number, number>();
  const wordHashes = words.map(hashWord);
  const [wMin, wMax] = options.wordNgrams;
  for (let i = 0; i < wordHashes.length; i++) {
    let h = 0;
    for (let n = 1; n <= wMax && i + n <= wordHashes.length; n++) {
      h = fnvStep(h, wordHashes[i + n - 1]!) ^ n;
      if (n >= wMin) bump(word, mix(h) & mask);
    }
  }
  const [cMin, cMax] = options.charNgrams;
  for (const w of words) {
    const padded = ` ${w} `;
    // Incremental FNV: every n-gram starting at `start` extends the previous one by one character.
    for (let start = 0; start + cMin <= padded.length; start++) {
      let h = CHAR_SEED;
      for (let end = start; end < padded.length && end - start < cMax; end++) {
        h = fnvStep(h, padded.charCodeAt(end));
        if (end - start + 1 >= cMin) bump(char, mix(h) & mask);
      }
    }
  }
  return { word, char };
}

/**
 * The fitted column space: which buckets are columns, and their IDF. Built once at training from the
 * texts' term counts; `vectorise` is then pure and cheap (one typed-array lookup per term).
 */
export class FeatureSpace {
  private readonly columnOf: Int32Array;

  constructor(
    readonly options: FeatureOptions,
    /** Bucket of each column, ascending. */
    readonly buckets: Uint32Array,
    readonly idf: Float32Array,
  ) {
    this.columnOf = new Int32Array(2 ** options.hashBits).fill(-1);
    buckets.forEach((b, col) => (this.columnOf[b] = col));
  }

  get columns(): number {
    return this.buckets.length;
  }

  /** Smooth IDF (ln((1+n)/(1+df)) + 1) over the buckets that appear in at least `minDf` texts. */
  static fit(docs: TermCounts[], options: FeatureOptions): FeatureSpace {
    const df = new Map<number, number>();
    for (const d of docs) for (const b of [...d.word.keys(), ...d.char.keys()]) df.set(b, (df.get(b) ?? 0) + 1);
    const buckets = Uint32Array.from([...df].filter(([, n]) => n >= options.minDf).map(([b]) => b)).sort();
    const idf = Float32Array.from(buckets, (b) => Math.log((1 + docs.length) / (1 + df.get(b)!)) + 1);
    return new FeatureSpace(options, buckets, idf);
  }

  /** Sublinear tf × idf, each block L2-normalised and weighted; unknown buckets are dropped. */
  vectorise(terms: TermCounts): SparseRow {
    const word = this.block(terms.word, 1);
    const char = this.block(terms.char, this.options.charWeight);
    const indices = new Int32Array(word.length + char.length);
    const values = new Float32Array(indices.length);
    [...word, ...char].forEach(([col, v], i) => ((indices[i] = col), (values[i] = v)));
    return { indices, values };
  }

  private block(counts: Map<number, number>, weight: number): [number, number][] {
    const out: [number, number][] = [];
    let norm = 0;
    for (const [bucket, tf] of counts) {
      const col = this.columnOf[bucket]!;
      if (col < 0) continue;
      const v = (1 + Math.log(tf)) * this.idf[col]!;
      out.push([col, v]);
      norm += v * v;
    }
    const scale = norm > 0 ? weight / Math.sqrt(norm) : 0;
    for (const e of out) e[1] *= scale;
    return out;
  }
}

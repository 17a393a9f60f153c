import { countTerms, FeatureSpace, type FeatureOptions } from './classifier.features.js';
import { scoreRow, softmaxInPlace, type SoftmaxWeights } from './classifier.softmax.js';

export interface Prediction {
  label: string;
  /** Calibrated probability that `label` is right (temperature-scaled softmax). */
  confidence: number;
  /** The most probable labels, best first. */
  scores: Array<{ label: string; p: number }>;
}

/** Bumped whenever the byte layout changes; older layouts are refused rather than misread. */
const FORMAT_VERSION = 1;
const MAGIC = 'SBCL';

/**
 * A trained conversation classifier: hashed TF-IDF features → softmax over the account's labels.
 * Immutable; `serialise()` gives the bytes stored in `classifier_models.model`.
 */
export class Classifier {
  constructor(
    readonly labels: readonly string[],
    readonly space: FeatureSpace,
    private readonly softmax: QuantisedWeights,
    readonly temperature = 1,
  ) {}

  /** Uncalibrated class scores of `text` (before temperature and softmax). */
  logits(text: string): Float64Array {
    const z = new Float64Array(this.labels.length);
    scoreRow(this.softmax, this.space.vectorise(countTerms(text, this.space.options)), z);
    return z;
  }

  /** Calibrated class probabilities of `text`, in label order. */
  probabilities(text: string): Float64Array {
    const p = this.logits(text);
    softmaxInPlace(p, this.temperature);
    return p;
  }

  predict(text: string, top = 3): Prediction {
    const p = this.probabilities(text);
    const ranked = Array.from(p.keys())
      .sort((a, b) => p[b]! - p[a]! || a - b)
      .slice(0, Math.max(1, top));
    const scores = ranked.map((k) => ({ label: this.labels[k]!, p: p[k]! }));
    return { label: scores[0]!.label, confidence: scores[0]!.p, scores };
  }

  withTemperature(temperature: number): Classifier {
    return new Classifier(this.labels, this.space, this.softmax, temperature);
  }

  /**
   * Compact bytes for a bytea column: a versioned header, then weights as int8 with one float scale per
   * feature column (training already rounded them to that grid, so the round trip predicts identically).
   */
  serialise(): Buffer {
    const { classes: K, weights, bias, scales } = this.softmax;
    const columns = this.space.columns;
    const header = Buffer.from(
      JSON.stringify({ labels: this.labels, features: this.space.options, temperature: this.temperature, columns }),
    );
    const buckets = encodeAscending(this.space.buckets);
    const out = Buffer.alloc(4 + 1 + 4 + header.length + buckets.length + 4 * (2 * columns + K) + columns * K);
    let at = out.write(MAGIC, 0, 'latin1');
    at = out.writeUInt8(FORMAT_VERSION, at);
    at = out.writeUInt32LE(header.length, at);
    at += header.copy(out, at);
    at += buckets.copy(out, at);
    for (const v of this.space.idf) at = out.writeFloatLE(v, at);
    for (const v of bias) at = out.writeFloatLE(v, at);
    for (const v of scales) at = out.writeFloatLE(v, at);
    const codes = new Int8Array(out.buffer, out.byteOffset + at, columns * K);
    for (let c = 0; c < columns; c++) {
      const scale = scales[c]!;
      if (scale > 0) for (let k = 0; k < K; k++) codes[c * K + k] = Math.round(weights[c * K + k]! / scale);
    }
    return out;
  }

  static deserialise(bytes: Uint8Array): Classifier {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < 9 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('Not a classifier model');
    const version = buf.readUInt8(4);
    if (version !== FORMAT_VERSION) throw new Error(`Unsupported classifier model format ${version} (expected ${FORMAT_VERSION})`);
    const headerEnd = 9 + buf.readUInt32LE(5);
    const header = JSON.parse(buf.toString('utf8', 9, headerEnd)) as {
      labels: string[];
      features: FeatureOptions;
      temperature: number;
      columns: number;
    };
    const { labels, columns } = header;
    const K = labels.length;
    let at = headerEnd;
    const buckets = new Uint32Array(columns);
    at = decodeAscending(buf, at, buckets);
    const idf = new Float32Array(columns);
    for (let c = 0; c < columns; c++, at += 4) idf[c] = buf.readFloatLE(at);
    const bias = new Float32Array(K);
    for (let k = 0; k < K; k++, at += 4) bias[k] = buf.readFloatLE(at);
    const scales = new Float32Array(columns);
    for (let c = 0; c < columns; c++, at += 4) scales[c] = buf.readFloatLE(at);
    if (buf.length !== at + columns * K) throw new Error('Truncated classifier model');
    const codes = new Int8Array(buf.buffer, buf.byteOffset + at, columns * K);
    const weights = new Float32Array(columns * K);
    for (let c = 0; c < columns; c++) for (let k = 0; k < K; k++) weights[c * K + k] = Math.fround(codes[c * K + k]! * scales[c]!);
    const softmax = { classes: K, weights, bias, scales };
    return new Classifier(labels, new FeatureSpace(header.features, buckets, idf), softmax, header.temperature);
  }
}

/** Softmax weights rounded to an int8 grid with one step per feature column. */
export interface QuantisedWeights extends SoftmaxWeights {
  scales: Float32Array;
}

/**
 * Rounds the weights in place to the int8 grid `serialise` stores (the largest |weight| of a column maps
 * to ±127), so the model returned by training and the one read back from the database predict the same,
 * and calibration is fitted on what will be used. On a BANKING77 validation split the int8 and float
 * weights predicted the same label for every text.
 */
export function quantiseWeights(model: SoftmaxWeights): QuantisedWeights {
  const { classes: K, weights } = model;
  const scales = new Float32Array(weights.length / K);
  for (let c = 0; c < scales.length; c++) {
    let max = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(weights[c * K + k]!));
    const scale = (scales[c] = Math.fround(max / 127));
    for (let k = 0; k < K; k++) weights[c * K + k] = scale > 0 ? Math.fround(Math.round(weights[c * K + k]! / scale) * scale) : 0;
  }
  return { ...model, scales };
}

/** Sorted buckets as LEB128 varints of their gaps (~2–3 bytes each instead of 4). */
function encodeAscending(values: Uint32Array): Buffer {
  const bytes: number[] = [];
  let previous = 0;
  for (const v of values) {
    let gap = v - previous;
    previous = v;
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    bytes.push(gap);
  }
  return Buffer.from(bytes);
}

function decodeAscending(buf: Buffer, at: number, into: Uint32Array): number {
  let previous = 0;
  for (let i = 0; i < into.length; i++) {
    let gap = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buf[at++]!;
      gap += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    into[i] = previous += gap;
  }
  return at;
}

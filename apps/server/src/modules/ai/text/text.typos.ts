/** Shorter terms have too many one-letter neighbours ("кот" ~ "кит", "код", "рот") to guess from. */
export const TYPO_MIN_LENGTH = 5;
/**
 * Longer terms are neither corrected nor corrected to. A term of n letters has n deletion variants of
 * n − 1 letters each, so its neighbourhood costs n² work: a 100,000-letter "word" would stall the process
 * for minutes. No real word (Russian or English) comes near 40 letters; codes and pasted junk do.
 */
export const TYPO_MAX_LENGTH = 40;
const DIGIT = /\d/;

/**
 * Vocabulary terms one edit away from a misspelt term, by symmetric deletion (Garbe's SymSpell, edit
 * distance 1): every vocabulary term is filed under each of its one-letter deletions, so a lookup costs
 * |term| + 1 map reads instead of a scan of the vocabulary. Covers a missing, an extra, a wrong letter and
 * two swapped neighbours ("достафка", "доствка", "дсотавка" → "доставка"). Terms with digits are never
 * corrected: order 12345 is not order 12346.
 */
export class TypoNeighbourhood {
  /** Deletion variant → vocabulary terms that produce it (a bare string while there is only one). */
  private readonly variants = new Map<string, string | string[]>();

  /** Deletion variants filed (a measure of the structure's size). */
  get size(): number {
    return this.variants.size;
  }

  /** Files a vocabulary term under its deletions; terms too short to be corrected to are skipped. */
  add(term: string): void {
    if (!correctable(term)) return;
    for (const variant of deletions(term)) {
      const filed = this.variants.get(variant);
      if (filed === undefined) this.variants.set(variant, term);
      else if (typeof filed === 'string') {
        if (filed !== term) this.variants.set(variant, [filed, term]);
      } else if (!filed.includes(term)) filed.push(term);
    }
  }

  /** Forgets a term that left the vocabulary (its last document was removed). */
  delete(term: string): void {
    if (!correctable(term)) return;
    for (const variant of deletions(term)) {
      const filed = this.variants.get(variant);
      if (filed === term) this.variants.delete(variant);
      else if (Array.isArray(filed)) {
        const rest = filed.filter((t) => t !== term);
        if (rest.length === 1) this.variants.set(variant, rest[0]!);
        else this.variants.set(variant, rest);
      }
    }
  }

  /**
   * Vocabulary terms within one edit (Damerau: a swap of neighbours counts as one) of `term`.
   * `known` says whether a term is in the vocabulary: a deletion of the query may itself be a term.
   */
  near(term: string, known: (t: string) => boolean): string[] {
    if (!correctable(term)) return [];
    const found = new Set<string>();
    const collect = (variant: string) => {
      const filed = this.variants.get(variant);
      if (filed === undefined) return;
      for (const t of typeof filed === 'string' ? [filed] : filed) if (t !== term && withinOneEdit(term, t)) found.add(t);
    };
    collect(term); // the vocabulary term has an extra letter
    for (const variant of deletions(term)) {
      if (known(variant)) found.add(variant); // the query has an extra letter
      collect(variant); // a wrong letter or a swap: both lose one letter to the same variant
    }
    return [...found];
  }
}

/** Terms of a length worth correcting (both ways: a query term and the vocabulary terms it may mean). */
function correctable(term: string): boolean {
  return term.length >= TYPO_MIN_LENGTH && term.length <= TYPO_MAX_LENGTH && !DIGIT.test(term);
}

function deletions(term: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < term.length; i++) out.add(term.slice(0, i) + term.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance ≤ 1, decided in one pass (no matrix). */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one substitution (or equal)
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // one swap
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

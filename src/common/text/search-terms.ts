/**
 * Building blocks for PostgreSQL full-text search that works for Korean (and CJK generally) as well as Latin text.
 *
 * The `simple` text-search config splits on whitespace and punctuation only, so a Korean word with a particle attached
 * (`환불을`, `환불해주세요`) never matches a query for `환불`, and trigram indexes cannot serve 2-syllable words. We
 * therefore tokenize in the application: documents are indexed as words plus overlapping CJK bigrams, and CJK query
 * words are turned into the bigrams that must all be present.
 *
 * Every term produced here consists only of Unicode letters, marks and numbers, so PostgreSQL's default parser sees
 * each one as a single `word`/`asciiword`/`numword` token: it never merges terms across the separating spaces and
 * never splits a term at punctuation, which keeps bigrams intact on both the tsvector and the tsquery side.
 */

/** Longer words are truncated: they are almost always garbage (hashes, base64) and bloat the index. */
export const MAX_WORD_LENGTH = 64;
/** More ANDed terms cannot make a query meaningfully more selective, and a cap keeps tsquery size bounded. */
export const MAX_QUERY_TERMS = 64;

const WORD_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
// Script_Extensions rather than Script so that the katakana prolonged sound mark (ー) and iteration marks (々)
// stay inside the run they belong to.
const CJK_CLASS = '\\p{scx=Hang}\\p{scx=Hani}\\p{scx=Hira}\\p{scx=Kana}';
const SEGMENT_PATTERN = new RegExp(`[${CJK_CLASS}]+|[^${CJK_CLASS}]+`, 'gu');
const CJK_START = new RegExp(`^[${CJK_CLASS}]`, 'u');
const MIN_NON_CJK_WORD_LENGTH = 2;

interface Segment {
  text: string;
  chars: string[];
  cjk: boolean;
}

/** NFKC (full-width → ASCII, jamo → syllables), lowercase, drop invisible formatting characters, collapse whitespace. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Tokens to index for a document: words plus overlapping bigrams of every CJK run, deduplicated, in text order. */
export function searchDocumentTerms(text: string, maxTerms = 4000): string[] {
  const terms = new Set<string>();
  if (maxTerms <= 0) return [];
  for (const segment of segments(text)) {
    for (const term of documentTermsOf(segment)) {
      terms.add(term);
      if (terms.size >= maxTerms) return [...terms];
    }
  }
  return [...terms];
}

/**
 * For each query word, the terms that must all match. All groups are ANDed as well; the grouping is kept so that
 * callers can tell which terms came from which word (e.g. for highlighting).
 */
export function searchQueryTerms(query: string, maxTerms = MAX_QUERY_TERMS): string[][] {
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const segment of segments(query)) {
    const group = queryTermsOf(segment).filter((term) => !seen.has(term));
    const room = maxTerms - seen.size;
    const kept = group.slice(0, Math.max(room, 0));
    kept.forEach((term) => seen.add(term));
    if (kept.length > 0) groups.push(kept);
    if (seen.size >= maxTerms) break;
  }
  return groups;
}

/**
 * A tsquery string for `to_tsquery('simple', $1)`, or null when the query has no searchable terms. Latin/number terms
 * and single CJK characters are prefix matches (search-as-you-type); CJK bigrams are exact, as they are complete.
 */
export function toTsQuery(query: string): string | null {
  const terms = searchQueryTerms(query).flat();
  if (terms.length === 0) return null;
  return terms.map((term) => quoteTsQueryTerm(term) + (isPrefixTerm(term) ? ':*' : '')).join(' & ');
}

/** Text for `to_tsvector('simple', $1)`: the document terms separated by spaces. */
export function toTsVectorText(text: string): string {
  return searchDocumentTerms(text).join(' ');
}

function* segments(text: string): Generator<Segment> {
  for (const [word] of normalizeForSearch(text).matchAll(WORD_PATTERN)) {
    // Split where CJK meets other scripts so that `주문12345번` yields `주문`, `12345` and `번`.
    for (const [part] of word.matchAll(SEGMENT_PATTERN)) {
      const chars = Array.from(part).slice(0, MAX_WORD_LENGTH);
      const cjk = CJK_START.test(part);
      if (chars.length < (cjk ? 1 : MIN_NON_CJK_WORD_LENGTH)) continue;
      yield { text: chars.join(''), chars, cjk };
    }
  }
}

function documentTermsOf(segment: Segment): string[] {
  return segment.cjk ? [segment.text, ...bigrams(segment.chars)] : [segment.text];
}

function queryTermsOf(segment: Segment): string[] {
  return segment.cjk && segment.chars.length >= 2 ? bigrams(segment.chars) : [segment.text];
}

function bigrams(chars: string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) result.push(chars[i] + chars[i + 1]);
  return result;
}

function isPrefixTerm(term: string): boolean {
  return !CJK_START.test(term) || Array.from(term).length === 1;
}

// Terms only ever contain letters, marks and numbers; escaping anyway keeps this safe if that ever changes.
function quoteTsQueryTerm(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

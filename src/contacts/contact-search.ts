import { normalizeForSearch } from '../common/text/search-terms';

/** One word of a search: every word must match a contact's name or one of its identity values. */
export interface SearchTerm {
  /** `%word%` with LIKE wildcards escaped, for ILIKE. */
  like: string;
  /** For phone-like searches: `%digits%` matched against identity values (stored in E.164). */
  digits: string | null;
}

const MAX_WORDS = 8;
const MAX_LENGTH = 200;
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/** Escapes `\`, `%` and `_` so user input matches literally in LIKE/ILIKE (default escape `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Turns a search box entry into terms for a partial, case-insensitive match. Korean works as
 * substrings (`민준` finds `김민준`) because matching is by substring, not by word. A phone
 * number typed the local way (`010-1234-5678`) also finds the stored `+821012345678`.
 */
export function contactSearchTerms(search: string | null | undefined): SearchTerm[] {
  const text = normalizeForSearch((search ?? '').slice(0, MAX_LENGTH));
  if (!text) return [];
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 4) return [{ like: `%${escapeLike(text)}%`, digits: `%${digits}%` }];
  }
  return text
    .split(' ')
    .slice(0, MAX_WORDS)
    .map((word) => ({ like: `%${escapeLike(word)}%`, digits: null }));
}

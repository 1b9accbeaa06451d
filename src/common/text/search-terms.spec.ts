import {
  MAX_QUERY_TERMS,
  MAX_WORD_LENGTH,
  normalizeForSearch,
  searchDocumentTerms,
  searchQueryTerms,
  toTsQuery,
  toTsVectorText,
} from './search-terms';

// One quoted operand, optionally a prefix match; quotes inside are doubled and backslashes escaped.
const OPERAND = String.raw`'(?:[^'\\]|''|\\\\)+'(?::\*)?`;
const TSQUERY_SHAPE = new RegExp(`^${OPERAND}(?: & ${OPERAND})*$`, 'u');

// Characters chosen to hit tsquery syntax, SQL quoting, surrogate handling and every script branch.
const HOSTILE_ALPHABET = [
  ...`&|!():*<>'"\\\\-_.,;/@#%\`~^[]{}=+?`,
  ...[' ', '\t', '\n', '\0', '\u00a0', '\u200b', '\u00ad', '\ufeff', '\ud800', '\udfff'],
  ...['a', 'Z', '7', 'é', 'ß', 'İ', 'ﬁ', '①', '²', '٣', '\u0301', '\u0e48'],
  ...['환', '불', '요', '청', 'ㄱ', '\u1100', '\u1161', 'あ', 'ア', 'ー', 'ｱ', '東', '々', '𠀀'],
  ...['😀', '🏽', '\u200d', '\ufe0f'],
];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32: deterministic so a failing case reproduces.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomHostileString(random: () => number, length: number): string {
  return Array.from({ length }, () => HOSTILE_ALPHABET[Math.floor(random() * HOSTILE_ALPHABET.length)]).join('');
}

describe('normalizeForSearch', () => {
  it('applies NFKC, lowercases and collapses whitespace', () => {
    expect(normalizeForSearch('  ＡＢＣ１２３\t\n Ｒｅｆｕｎｄ  ')).toBe('abc123 refund');
  });

  it('composes conjoining Hangul jamo into syllables', () => {
    expect(normalizeForSearch('\u1112\u116A\u11AB\u1107\u116E\u11AF')).toBe('환불');
  });

  it('drops invisible formatting characters that would otherwise split words', () => {
    expect(normalizeForSearch('환\u200B불 re\u00ADfund')).toBe('환불 refund');
  });

  it('returns an empty string for blank input', () => {
    expect(normalizeForSearch(' \n\t ')).toBe('');
  });
});

describe('searchDocumentTerms', () => {
  it('indexes a Korean word with a particle as the word plus its bigrams', () => {
    expect(searchDocumentTerms('환불을')).toEqual(['환불을', '환불', '불을']);
  });

  it('covers conjugated verbs so a stem query can match', () => {
    const terms = searchDocumentTerms('환불해주세요');
    expect(terms).toEqual(expect.arrayContaining(['환불해주세요', '환불', '불해', '해주', '주세', '세요']));
  });

  it('handles mixed Korean and English', () => {
    expect(searchDocumentTerms('환불 refund 요청')).toEqual(['환불', 'refund', '요청']);
  });

  it('splits numbers from attached Korean and drops punctuation', () => {
    expect(searchDocumentTerms('주문 #12345번 확인')).toEqual(['주문', '12345', '번', '확인']);
  });

  it('keeps Latin letters and digits together like PostgreSQL does', () => {
    expect(searchDocumentTerms('iPhone15 order-42')).toEqual(['iphone15', 'order', '42']);
  });

  it('drops one-character non-CJK words but keeps one-character CJK words', () => {
    expect(searchDocumentTerms('a 5 x 차 好')).toEqual(['차', '好']);
  });

  it('produces bigrams for Japanese kana and kanji, keeping the prolonged sound mark', () => {
    expect(searchDocumentTerms('サーバーが東京都')).toEqual([
      'サーバーが東京都',
      'サー',
      'ーバ',
      'バー',
      'ーが',
      'が東',
      '東京',
      '京都',
    ]);
  });

  it('treats half-width katakana like full-width', () => {
    expect(searchDocumentTerms('ｻｰﾊﾞｰ')).toEqual(searchDocumentTerms('サーバー'));
  });

  it('ignores emoji and symbols', () => {
    expect(searchDocumentTerms('😀 환불 🙏🏽 ok ✅')).toEqual(['환불', 'ok']);
  });

  it('handles CJK characters outside the BMP as single characters', () => {
    expect(searchDocumentTerms('𠀀𠀁')).toEqual(['𠀀𠀁']);
    expect(searchDocumentTerms('𠀀𠀁𠀂')).toEqual(['𠀀𠀁𠀂', '𠀀𠀁', '𠀁𠀂']);
  });

  it('deduplicates terms', () => {
    expect(searchDocumentTerms('환불 환불 Refund refund 환불환불')).toEqual(['환불', 'refund', '환불환불', '불환']);
  });

  it('truncates very long words', () => {
    const [term] = searchDocumentTerms('x'.repeat(10_000));
    expect(term).toBe('x'.repeat(MAX_WORD_LENGTH));
  });

  it('caps the number of terms on very long input', () => {
    const words = Array.from({ length: 50_000 }, (_, i) => `w${i}`).join(' ');
    expect(searchDocumentTerms(words)).toHaveLength(4000);
    expect(searchDocumentTerms(words, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `w${i}`));
    expect(searchDocumentTerms(words, 0)).toEqual([]);
  });

  it('caps long CJK runs at the word length limit before making bigrams', () => {
    const terms = searchDocumentTerms('가'.repeat(1000));
    expect(terms).toEqual(['가'.repeat(MAX_WORD_LENGTH), '가가']);
  });

  it('returns nothing for empty or punctuation-only input', () => {
    expect(searchDocumentTerms('')).toEqual([]);
    expect(searchDocumentTerms(' !?@#$%^&*()  ')).toEqual([]);
  });
});

describe('searchQueryTerms', () => {
  it('turns a multi-syllable Korean word into its bigrams', () => {
    expect(searchQueryTerms('환불요청')).toEqual([['환불', '불요', '요청']]);
  });

  it('keeps a two-syllable word as a single bigram', () => {
    expect(searchQueryTerms('환불')).toEqual([['환불']]);
  });

  it('keeps a single CJK character', () => {
    expect(searchQueryTerms('차')).toEqual([['차']]);
  });

  it('groups mixed Korean and English words', () => {
    expect(searchQueryTerms('환불 Refund')).toEqual([['환불'], ['refund']]);
  });

  it('handles order numbers', () => {
    expect(searchQueryTerms('주문 #12345')).toEqual([['주문'], ['12345']]);
  });

  it('drops empty groups and terms already asked for', () => {
    expect(searchQueryTerms(' !! a 환불 환불 ')).toEqual([['환불']]);
    expect(searchQueryTerms('')).toEqual([]);
  });

  it('caps the total number of terms', () => {
    const query = Array.from({ length: 200 }, (_, i) => `q${i}`).join(' ');
    expect(searchQueryTerms(query).flat()).toHaveLength(MAX_QUERY_TERMS);
    expect(searchQueryTerms('가나다라마', 2)).toEqual([['가나', '나다']]);
  });
});

describe('toTsQuery', () => {
  it('prefix-matches Latin words and single CJK characters, matches bigrams exactly', () => {
    expect(toTsQuery('환불요청 refund 차')).toBe("'환불' & '불요' & '요청' & 'refund':* & '차':*");
  });

  it('prefix-matches numbers', () => {
    expect(toTsQuery('#12345')).toBe("'12345':*");
  });

  it('returns null when nothing is searchable', () => {
    expect(toTsQuery('')).toBeNull();
    expect(toTsQuery('  ')).toBeNull();
    expect(toTsQuery('&|!():*<>\'"\\')).toBeNull();
    expect(toTsQuery('😀')).toBeNull();
  });

  it('neutralizes tsquery operators and quotes in the input', () => {
    expect(toTsQuery("it's (a|b) & !c:* <-> d")).toBe("'it':*");
    expect(toTsQuery("o'brien\\x y")).toBe("'brien':*");
  });

  it('always yields a well-formed operand list for hostile input', () => {
    const random = seededRandom(12345);
    for (let i = 0; i < 2000; i++) {
      const result = toTsQuery(randomHostileString(random, 1 + Math.floor(random() * 40)));
      if (result !== null) expect(result).toMatch(TSQUERY_SHAPE);
    }
  });
});

describe('toTsVectorText', () => {
  it('joins document terms with spaces', () => {
    expect(toTsVectorText('환불을 요청합니다')).toBe('환불을 환불 불을 요청합니다 요청 청합 합니 니다');
  });

  it('contains only letters, marks, numbers and single spaces for hostile input', () => {
    const random = seededRandom(678);
    for (let i = 0; i < 500; i++) {
      const text = toTsVectorText(randomHostileString(random, 200));
      expect(text).toMatch(/^(?:[\p{L}\p{M}\p{N}]+(?: [\p{L}\p{M}\p{N}]+)*)?$/u);
    }
  });

  it('returns an empty string for empty input', () => {
    expect(toTsVectorText('')).toBe('');
  });
});

import { Client } from 'pg';
import { toTsQuery, toTsVectorText } from './search-terms';

// Checks the terms against PostgreSQL's real parser and `simple` dictionary. Only SELECT expressions are evaluated,
// so any database will do; it must be reachable (the test fails rather than silently skipping).
const DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const HOSTILE_ALPHABET = [
  ...`&|!():*<>'"\\-_.,;/@#%\`~^[]{}=+?$`,
  ...[' ', '\t', '\n', '\0', '\u00a0', '\u200b', '\u00ad', '\ufeff', '\ud800', '\udfff'],
  ...['a', 'Z', '7', 'é', 'ß', 'İ', 'ﬁ', '①', '²', '٣', '\u0301', '\u0e48', 'ส'],
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

describe('search terms against PostgreSQL', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: DATABASE_URL });
    // "query contains only stop words" notices are expected for some fuzz inputs and are harmless.
    client.on('notice', () => undefined);
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  async function matches(doc: string, query: string): Promise<boolean> {
    const tsQuery = toTsQuery(query);
    if (tsQuery === null) throw new Error(`query ${JSON.stringify(query)} has no terms`);
    const { rows } = await client.query<{ matched: boolean }>(
      "SELECT to_tsvector('simple', $1) @@ to_tsquery('simple', $2) AS matched",
      [toTsVectorText(doc), tsQuery],
    );
    return rows[0].matched;
  }

  it.each([
    ['환불을 요청합니다', '환불'],
    ['환불을 요청합니다', '요청'],
    ['환불해주세요', '환불'],
    ['배송 지연 문의', '지연'],
    ['배송 지연 문의', '배송 문의'],
    ['환불요청 드립니다', '환불요청'],
    ['환불 요청 드립니다', '환불'],
    ['refunds please', 'refund'],
    ['Refund please', 'REFUND'],
    ['주문번호 #12345 환불 refund', '12345 환불 refund'],
    ['주문 12345번 확인', '12345번'],
    ['サーバーが落ちました', 'サーバー'],
    ['東京都に住んでいます', '東京'],
    ['ｻｰﾊﾞｰ エラー', 'サーバー'],
    ['고객님 😀 감사합니다', '감사'],
    ['차량 문의', '차'],
    ['Café crème', 'CAFÉ'],
  ])('%j matches %j', async (doc, query) => {
    expect(await matches(doc, query)).toBe(true);
  });

  it.each([
    ['환불', '배송'],
    ['환불을 요청합니다', '요청환불'],
    ['refund', 'refunds'],
    ['배송 지연 문의', '지연 환불'],
    ['サーバー', 'サーブ'],
  ])('%j does not match %j', async (doc, query) => {
    expect(await matches(doc, query)).toBe(false);
  });

  it('matches a single CJK character only where a term starts with it (callers handle the rest)', async () => {
    expect(await matches('자동차', '동')).toBe(true);
    expect(await matches('자동차', '차')).toBe(false);
  });

  it('keeps every indexed term intact through the PostgreSQL parser', async () => {
    const text = toTsVectorText('환불을 요청합니다 サーバーが東京都 refund12345 ส่งของ café i̇stanbul ١٢٣');
    const { rows } = await client.query<{ lexeme: string }>(
      "SELECT unnest(tsvector_to_array(to_tsvector('simple', $1))) AS lexeme",
      [text],
    );
    expect(rows.map((row) => row.lexeme).sort()).toEqual([...new Set(text.split(' '))].sort());
  });

  it('parses every fuzzed query and indexes every fuzzed document', async () => {
    const random = seededRandom(20240601);
    const queries: string[] = [];
    const docs: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const query = toTsQuery(randomHostileString(random, 1 + Math.floor(random() * 30)));
      if (query !== null) queries.push(query);
      docs.push(toTsVectorText(randomHostileString(random, 100)));
    }
    expect(queries.length).toBeGreaterThan(1000);
    // One statement for all inputs keeps the test fast; any syntax error fails the whole query.
    const { rows } = await client.query<{ parsed: number; indexed: number }>(
      `SELECT (SELECT count(to_tsquery('simple', q)) FROM unnest($1::text[]) AS q)::int AS parsed,
              (SELECT count(to_tsvector('simple', d)) FROM unnest($2::text[]) AS d)::int AS indexed`,
      [queries, docs],
    );
    expect(rows[0]).toEqual({ parsed: queries.length, indexed: docs.length });
  });

  it('parses a maximal query built from a very long input', async () => {
    const query = toTsQuery('가나다라마바사아자차카타파하'.repeat(100) + ' ' + 'word '.repeat(1000));
    const { rows } = await client.query<{ ok: boolean }>("SELECT to_tsquery('simple', $1) IS NOT NULL AS ok", [query]);
    expect(rows[0].ok).toBe(true);
  });
});

import { contactSearchTerms, escapeLike } from './contact-search';

describe('contact search terms', () => {
  it('escapes LIKE wildcards so they match literally', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(contactSearchTerms('100%')).toEqual([{ like: '%100\\%%', digits: null }]);
  });

  it('splits words, lower-cases and normalises full-width text', () => {
    expect(contactSearchTerms('  Kim   ＡＣＭＥ ')).toEqual([
      { like: '%kim%', digits: null },
      { like: '%acme%', digits: null },
    ]);
  });

  it('keeps Korean words whole for substring matching', () => {
    expect(contactSearchTerms('민준')).toEqual([{ like: '%민준%', digits: null }]);
  });

  it('matches phone numbers by their digits, without the local trunk zero', () => {
    expect(contactSearchTerms('010-1234-5678')).toEqual([{ like: '%010-1234-5678%', digits: '%1012345678%' }]);
    expect(contactSearchTerms('+82 10 1234')).toEqual([{ like: '%+82 10 1234%', digits: '%82101234%' }]);
    expect(contactSearchTerms('12')).toEqual([{ like: '%12%', digits: null }]);
  });

  it('returns nothing for an empty search and caps the number of words', () => {
    expect(contactSearchTerms('   ')).toEqual([]);
    expect(contactSearchTerms(undefined)).toEqual([]);
    expect(contactSearchTerms('a b c d e f g h i j k')).toHaveLength(8);
  });
});

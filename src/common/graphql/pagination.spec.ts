import { isTimestampText } from './pagination';

describe('isTimestampText (timestamps inside cursors)', () => {
  it.each([
    '2026-11-23 11:27:12.123456+00',
    '2026-11-23 11:27:12+05:30',
    '2024-02-29 00:00:00-03',
    '2026-11-23T11:27:12.123456Z',
  ])('accepts %s', (value) => expect(isTimestampText(value)).toBe(true));

  it.each([
    '2020-13-45 99:99:99+00',
    '2023-02-29 00:00:00+00',
    '2020-02-30T00:00:00.000000Z',
    '2020-01-01 24:00:00+00',
    '2020-01-01 00:00:00+99',
    '0000-01-01 00:00:00+00',
    '1',
    '2020-01-01',
    "2026-01-01 00:00:00+00'; --",
    42,
    null,
  ])('refuses %p', (value) => expect(isTimestampText(value)).toBe(false));
});

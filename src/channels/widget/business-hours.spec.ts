import { isOpen, scheduleProblems } from './business-hours';

describe('scheduleProblems', () => {
  it('accepts split shifts on one day, back-to-back intervals and a close at midnight', () => {
    const weekly = [
      { day: 1, open: '09:00', close: '12:00' },
      { day: 1, open: '13:00', close: '18:00' },
      { day: 2, open: '09:00', close: '12:00' },
      { day: 2, open: '12:00', close: '24:00' },
    ];
    expect(scheduleProblems(weekly, [{ date: '2026-12-25', name: 'Christmas' }])).toEqual([]);
    const schedule = { timezone: 'UTC', weekly, holidays: [] };
    expect(isOpen(schedule, new Date('2026-11-23T12:30:00Z'))).toBe(false); // Monday lunch break
    expect(isOpen(schedule, new Date('2026-11-23T13:30:00Z'))).toBe(true);
  });

  it('names overlapping intervals of the same day, whatever their order', () => {
    const problems = scheduleProblems(
      [
        { day: 3, open: '13:00', close: '18:00' },
        { day: 3, open: '09:00', close: '14:00' },
        { day: 4, open: '13:00', close: '18:00' },
      ],
      [],
    );
    expect(problems).toEqual([{ reason: 'overlap', day: 3, first: '09:00–14:00', second: '13:00–18:00' }]);
  });

  it('refuses an end before (or at) the start and times that are not times', () => {
    expect(
      scheduleProblems(
        [
          { day: 1, open: '18:00', close: '09:00' },
          { day: 2, open: '10:00', close: '10:00' },
          { day: 3, open: '25:00', close: '26:00' },
          { day: 7, open: '09:00', close: '10:00' },
        ],
        [],
      ).map((p) => p.reason),
    ).toEqual(['endBeforeStart', 'endBeforeStart', 'badTime', 'badTime']);
  });

  it('refuses impossible and repeated closed dates', () => {
    expect(
      scheduleProblems(
        [],
        [
          { date: '2026-02-30', name: '' },
          { date: '2026-05-05', name: 'Children’s Day' },
          { date: '2026-05-05', name: 'again' },
        ],
      ),
    ).toEqual([
      { reason: 'badDate', date: '2026-02-30' },
      { reason: 'duplicateDate', date: '2026-05-05' },
    ]);
  });
});

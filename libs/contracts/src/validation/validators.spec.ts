import { isCalendarDate } from './validators';

describe('isCalendarDate', () => {
  it('takes real dates of any four-digit year, years before 100 included', () => {
    for (const d of ['2024-02-29', '0050-01-01', '0001-12-31', '9999-12-31'])
      expect(isCalendarDate(d)).toBe(true);
  });

  it('refuses dates that do not exist and other shapes', () => {
    for (const d of ['2025-02-29', '2025-02-30', '0050-13-01', '2025-1-01', '20250101', 20250101])
      expect(isCalendarDate(d)).toBe(false);
  });
});

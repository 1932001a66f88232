import { describe, expect, it } from 'vitest';
import { parseSchedule } from './parse-schedule.js';

describe('parseSchedule', () => {
  it.each([
    ['every Monday at 9', { mode: 'cron', cron: '0 9 * * 1' }],
    ['every friday at 5:30pm', { mode: 'cron', cron: '30 17 * * 5' }],
    ['every day at 6pm', { mode: 'cron', cron: '0 18 * * *' }],
    ['daily at noon', { mode: 'cron', cron: '0 12 * * *' }],
    ['every weekday at 8am', { mode: 'cron', cron: '0 8 * * 1-5' }],
    ['hourly', { mode: 'cron', cron: '0 * * * *' }],
    ['nightly', { mode: 'cron', cron: '0 2 * * *' }],
    ['every 15 minutes', { mode: 'interval', everyMinutes: 15 }],
    ['every 2 hours', { mode: 'interval', everyMinutes: 120 }],
    ['every month', { mode: 'cron', cron: '0 9 1 * *' }],
  ])('%s', (text, parameters) => {
    expect(parseSchedule(`Please, ${text}, send the report`)?.parameters).toEqual(parameters);
  });

  it('says where the schedule is and ignores "every time"', () => {
    expect(parseSchedule('post it every Monday at 9')).toMatchObject({ text: 'every Monday at 9', start: 8, end: 25 });
    expect(parseSchedule('every time a row is added')).toBeUndefined();
  });
});

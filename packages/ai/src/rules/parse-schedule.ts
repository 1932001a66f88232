/** A schedule read from text: a cron expression or an interval, and where it was found. */
export interface ParsedSchedule {
  parameters: { mode: 'cron'; cron: string } | { mode: 'interval'; everyMinutes: number };
  /** The words it was read from, e.g. `every Monday at 9`. */
  text: string;
  start: number;
  end: number;
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function hourOf(h: string | undefined, m: string | undefined, ampm: string | undefined): [number, number] {
  let hour = h ? Number(h) : 9;
  if (ampm === 'pm' && hour < 12) hour += 12;
  if (ampm === 'am' && hour === 12) hour = 0;
  return [Math.min(hour, 23), m ? Math.min(Number(m), 59) : 0];
}

const AT = String.raw`(?:\s+at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?|\s+at\s+(noon|midnight))?`;
const PATTERNS: { re: RegExp; build: (m: RegExpMatchArray) => ParsedSchedule['parameters'] }[] = [
  {
    re: /\b(?:every|each)\s+(\d+)\s*(minute|min|hour|hr|day)s?\b/i,
    build: (m) => {
      const n = Number(m[1]);
      const unit = (m[2] ?? '').toLowerCase();
      return { mode: 'interval', everyMinutes: unit.startsWith('h') ? n * 60 : unit === 'day' ? n * 1440 : n };
    },
  },
  {
    re: new RegExp(String.raw`\b(?:every|each|on)\s+(${DAYS.join('|')})s?${AT}`, 'i'),
    build: (m) => cron(m, 2, `* * ${DAYS.indexOf((m[1] ?? '').toLowerCase())}`),
  },
  {
    re: new RegExp(String.raw`\b(?:every\s+weekday|on\s+weekdays|each\s+weekday)${AT}`, 'i'),
    build: (m) => cron(m, 1, '* * 1-5'),
  },
  {
    re: new RegExp(String.raw`\b(?:every\s+(?:day|morning)|daily|each\s+(?:day|morning))${AT}`, 'i'),
    build: (m) => cron(m, 1, '* * *'),
  },
  { re: /\b(?:every\s+night|nightly|each\s+night)\b/i, build: () => ({ mode: 'cron', cron: '0 2 * * *' }) },
  { re: /\b(?:every\s+hour|hourly|each\s+hour)\b/i, build: () => ({ mode: 'cron', cron: '0 * * * *' }) },
  { re: /\b(?:every\s+minute)\b/i, build: () => ({ mode: 'cron', cron: '* * * * *' }) },
  {
    re: new RegExp(String.raw`\b(?:every\s+week|weekly|each\s+week)${AT}`, 'i'),
    build: (m) => cron(m, 1, '* * 1'),
  },
  {
    re: new RegExp(String.raw`\b(?:every\s+month|monthly|each\s+month)${AT}`, 'i'),
    build: (m) => cron(m, 1, '1 * *'),
  },
];

function cron(m: RegExpMatchArray, at: number, rest: string): ParsedSchedule['parameters'] {
  const word = m[at + 3]?.toLowerCase();
  const [hour, minute] =
    word === 'noon' ? [12, 0] : word === 'midnight' ? [0, 0] : hourOf(m[at], m[at + 1], m[at + 2]?.toLowerCase());
  return { mode: 'cron', cron: `${minute} ${hour} ${rest}` };
}

/**
 * Finds a schedule in text ("every Monday at 9", "daily at 6pm", "every 15 minutes", "hourly")
 * and turns it into Schedule trigger parameters. A time of day without am/pm is read on a 24-hour
 * clock; a day without a time runs at 09:00.
 *
 * @example
 * ```ts
 * parseSchedule('every Monday at 9, post the report')?.parameters; // { mode: 'cron', cron: '0 9 * * 1' }
 * ```
 */
export function parseSchedule(text: string): ParsedSchedule | undefined {
  for (const { re, build } of PATTERNS) {
    const m = text.match(re);
    if (m?.index !== undefined) {
      return { parameters: build(m), text: m[0], start: m.index, end: m.index + m[0].length };
    }
  }
  return undefined;
}

export type Interval = 'day' | 'week' | 'month';

const DAY = 86_400_000;

/** The UTC start of the bucket holding `at`: the day, the ISO week (Monday), or the month. */
export function bucketStart(at: Date, interval: Interval): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (interval === 'day') return day;
  if (interval === 'week') return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextBucket(start: Date, interval: Interval): Date {
  if (interval === 'day') return new Date(start.getTime() + DAY);
  if (interval === 'week') return new Date(start.getTime() + 7 * DAY);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

export interface Bucket {
  /** Start of the bucket (a point's `t`). */
  start: Date;
  /** Exclusive end, clipped to the range. */
  end: Date;
  /** `YYYY-MM-DD` of the first and last day the bucket covers within the range. */
  firstDay: string;
  lastDay: string;
}

/** The buckets covering [from, to): the first starts at its interval boundary, the last is clipped at `to`. */
export function buckets(from: Date, to: Date, interval: Interval, max = 1_000): Bucket[] {
  const out: Bucket[] = [];
  for (let start = bucketStart(from, interval); start < to; start = nextBucket(start, interval)) {
    const end = new Date(Math.min(nextBucket(start, interval).getTime(), to.getTime()));
    const first = start < from ? from : start;
    out.push({ start, end, firstDay: dayOf(first), lastDay: dayOf(new Date(end.getTime() - 1)) });
    if (out.length > max) throw new RangeError(`more than ${max} points`);
  }
  return out;
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` → the day `n` days later. */
export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY));
}

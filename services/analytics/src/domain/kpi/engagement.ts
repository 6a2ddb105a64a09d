import { ratio } from './money.ts';

const DAY = 86_400_000;

export function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Active members as of the last day of the range: DAU (that day), WAU (the 7 days ending then),
 * MAU (30 days). Stickiness = average DAU over those 30 days ÷ MAU.
 * `activity` holds the days each member was active (a sign-in or any member action).
 */
export function activeMembers(
  activity: ReadonlyMap<string, ReadonlySet<string>>,
  asOf: Date,
): { dau: number; wau: number; mau: number; stickiness: number | null } {
  const window = (days: number) => {
    const members = new Set<string>();
    let dailySum = 0;
    for (let i = 0; i < days; i++) {
      const day = activity.get(dayKey(new Date(asOf.getTime() - i * DAY)));
      if (!day) continue;
      dailySum += day.size;
      for (const m of day) members.add(m);
    }
    return { members: members.size, dailySum };
  };
  const month = window(30);
  return activeFromCounts({
    dau: window(1).members,
    wau: window(7).members,
    mau: month.members,
    memberDays: month.dailySum,
  });
}

/**
 * The same figures from counts a database keeps: distinct members active on the last day, in the
 * last 7 and 30 days, and the member-days of those 30 days (Σ DAU). Stickiness = (Σ DAU / 30) ÷ MAU.
 */
export function activeFromCounts(counts: { dau: number; wau: number; mau: number; memberDays: number }): {
  dau: number;
  wau: number;
  mau: number;
  stickiness: number | null;
} {
  return {
    dau: counts.dau,
    wau: counts.wau,
    mau: counts.mau,
    stickiness: ratio(counts.memberDays / 30, counts.mau),
  };
}

/** Net Promoter Score: % promoters (9–10) − % detractors (0–6), rounded to an integer; null without answers. */
export function netPromoterScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return Math.round(((promoters - detractors) * 100) / scores.length);
}

/**
 * Free-to-paid conversion: of the members who joined during the range, the share who paid for a
 * subscription by its end.
 */
export function conversion(joined: ReadonlySet<string>, paid: ReadonlySet<string>): number | null {
  let converted = 0;
  for (const member of joined) if (paid.has(member)) converted += 1;
  return ratio(converted, joined.size);
}

/** CAC: creator-entered spend ÷ new paying customers, minor units (rounded half up); null without any. */
export function customerAcquisitionCost(spend: bigint, newCustomers: number): bigint | null {
  if (newCustomers === 0) return null;
  return (spend * 2n + BigInt(newCustomers)) / (BigInt(newCustomers) * 2n);
}

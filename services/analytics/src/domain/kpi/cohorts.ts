import { ratio } from './money.ts';
import { mrrAt, type SubscriptionChange } from './subscriptions.ts';

export interface CohortRow {
  /** `YYYY-MM`: the month of the customers' first payment. */
  cohort: string;
  size: number;
  /** retention[k] = share of the cohort paying at the end of month cohort+k (k = 0 is the first month). */
  retention: (number | null)[];
}

export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function endOfMonth(key: string): Date {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1) - 1);
}

function addMonths(key: string, n: number): string {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return monthKey(new Date(Date.UTC(y, m - 1 + n, 1)));
}

/**
 * Monthly retention cohorts (any currency): a customer belongs to the month of their first paying
 * subscription change, and counts as retained in a later month if they pay at its end.
 */
export function retentionCohorts(changes: readonly SubscriptionChange[], until: Date): CohortRow[] {
  const firstPaid = new Map<string, string>();
  for (const c of [...changes].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if ((c.status === 'active' || c.status === 'past_due') && c.mrr > 0n && !firstPaid.has(c.memberId)) {
      firstPaid.set(c.memberId, monthKey(c.at));
    }
  }
  const cohorts = new Map<string, string[]>();
  for (const [member, month] of firstPaid) cohorts.set(month, [...(cohorts.get(month) ?? []), member]);
  const lastMonth = monthKey(until);
  const payingAt = new Map<string, Set<string>>();
  const paying = (month: string) => {
    let set = payingAt.get(month);
    if (!set) {
      const at = month === lastMonth ? until : endOfMonth(month);
      set = new Set([...mrrAt(changes, at).byMember.values()].flatMap((m) => [...m.keys()]));
      payingAt.set(month, set);
    }
    return set;
  };
  return [...cohorts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, members]) => {
      const retention: (number | null)[] = [];
      for (let k = 0, month = cohort; month <= lastMonth; k++, month = addMonths(cohort, k)) {
        const set = paying(month);
        retention.push(ratio(members.filter((m) => set.has(m)).length, members.length));
      }
      return { cohort, size: members.length, retention };
    });
}

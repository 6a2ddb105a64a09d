import type { AnalyticsSummary } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import {
  activeCounts,
  attendance,
  joinedAndPaid,
  monthlySpend,
  mrrByMemberAt,
  npsScores,
  paidBefore,
  participation,
  tipVolume,
} from '../adapters/postgres/read-model.ts';
import {
  activeFromCounts,
  customerAcquisitionCost,
  logoChurnAcross,
  movementsFromStates,
  netPromoterScore,
  newCustomersAcross,
  ratio,
  revenueKpisFromMovements,
  spendInRange,
} from '../domain/kpi/index.ts';

const sortedRecord = <V>(entries: Iterable<[string, V]>): Record<string, V> =>
  Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The dashboard's figures for [from, to), computed from the projections only (no clock), so the
 * live tables and a rebuild give the same bytes. Definitions: services/analytics/README.md.
 */
export async function computeSummary(
  q: Queryable,
  communityId: string,
  from: Date,
  to: Date,
): Promise<AnalyticsSummary> {
  const asOfDay = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  const [start, end, active, conv, spend, scores, tips, att, gov] = await Promise.all([
    mrrByMemberAt(q, communityId, from),
    mrrByMemberAt(q, communityId, to),
    activeCounts(q, communityId, asOfDay),
    joinedAndPaid(q, communityId, from, to),
    monthlySpend(q, communityId),
    npsScores(q, communityId, from, to),
    tipVolume(q, communityId, from, to, false),
    attendance(q, communityId, from, to),
    participation(q, communityId, from, to),
  ]);
  // Customers paying at the end but not at the start: new, or back (paid at or before the start).
  const arrivals = new Set<string>();
  for (const [currency, members] of end) {
    for (const m of members.keys()) if (!start.get(currency)?.has(m)) arrivals.add(m);
  }
  const before = await paidBefore(q, communityId, from, [...arrivals]);
  const movements = movementsFromStates(start, end, before);
  const revenue = revenueKpisFromMovements(movements, from, to);
  const newCustomers = newCustomersAcross(movements);
  const spent = spendInRange(spend, from, to);

  const fiat = new Map<string, bigint>();
  const crypto = new Map<string, bigint>();
  let tipCount = 0;
  let reversed = 0;
  for (const t of tips) {
    tipCount += t.count;
    reversed += t.reversed;
    if (t.count === 0) continue;
    if (t.asset.startsWith('fiat:')) {
      const currency = t.asset.slice('fiat:'.length);
      fiat.set(currency, (fiat.get(currency) ?? 0n) + BigInt(t.amount));
    } else crypto.set(t.asset, (crypto.get(t.asset) ?? 0n) + BigInt(t.amount));
  }

  const revenueEntries = [...revenue.entries()];
  return {
    mrr: sortedRecord(revenueEntries.map(([c, k]) => [c, k.mrr.toString()])),
    arpu: sortedRecord(revenueEntries.map(([c, k]) => [c, k.arpu?.toString() ?? null])),
    ltv: sortedRecord(revenueEntries.map(([c, k]) => [c, k.ltv?.toString() ?? null])),
    churn: {
      logo: logoChurnAcross(start, end),
      revenue: sortedRecord(revenueEntries.map(([c, k]) => [c, k.revenueChurn])),
    },
    active: activeFromCounts(active),
    conversion: ratio(conv.paid, conv.joined),
    cac: sortedRecord(
      [...spent.entries()].map(([c, amount]) => [
        c,
        customerAcquisitionCost(amount, newCustomers)?.toString() ?? null,
      ]),
    ),
    nps: netPromoterScore(scores.map((s) => s.score)),
    tips: {
      count: tipCount,
      fiat: sortedRecord([...fiat.entries()].map(([c, v]) => [c, v.toString()])),
      crypto: sortedRecord([...crypto.entries()].map(([c, v]) => [c, v.toString()])),
      reversed,
    },
    events: { attendanceRate: ratio(att.attended, att.expected) },
    governance: { participation: ratio(gov.voters, gov.eligible) },
  };
}

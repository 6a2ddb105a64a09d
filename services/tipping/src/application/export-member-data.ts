import type { TippingMemberData } from '@coterie/contracts';
import { ledgerBalancesOf, tipsOfMember } from '../adapters/postgres/member-data-repository.ts';
import { linesOf, toTip } from '../adapters/postgres/tips-repository.ts';
import type { TippingDeps } from '../ports.ts';

/** Tips sent and received, rewards and ledger balances of the member, for `GET /v1/me/data`. */
export async function exportMemberData(
  deps: TippingDeps,
  input: { memberId: string },
): Promise<TippingMemberData> {
  const { sent, received } = await tipsOfMember(deps.pool, input.memberId);
  const lines = await linesOf(deps.pool, [...new Set([...sent, ...received].map((t) => t.id))]);
  const view = (rows: typeof sent) => rows.map((r) => toTip(r, lines.get(r.id) ?? []));
  return {
    sent: view(sent),
    received: view(received.filter((t) => t.kind === 'tip')),
    rewards: view(received.filter((t) => t.kind === 'reward')),
    balances: await ledgerBalancesOf(deps.pool, input.memberId),
  };
}

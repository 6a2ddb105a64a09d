import { useState } from 'react';
import { useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { MemberRow, Page, Proof } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { ErrorNote, formatDate, LoadError, Loading } from '../components/ui.tsx';
import { knownTokenInfo } from '../holdings.tsx';
import { shortAddress } from '../lib/gates.ts';
import { formatUnits } from '../lib/units.ts';

const PAGE_SIZE = 50;

/** One proof in words: "subscription", "holds 2 CTR", "allowlist (0x12…ab)", "moderator role". */
export function proofText(proof: Proof): string {
  switch (proof.type) {
    case 'subscription':
      return 'paid subscription';
    case 'allowlist':
      return `allowlist (${proof.address ? shortAddress(proof.address) : (proof.email ?? '')})`;
    case 'role':
      return `${proof.role} role`;
    case 'native':
      return `holds ${formatUnits(proof.balance, 18)} ETH`;
    default: {
      const info = knownTokenInfo(proof.chainId, proof.token);
      const symbol = info?.symbol || shortAddress(proof.token);
      if (proof.type === 'erc20' && info?.decimals !== undefined) {
        return `holds ${formatUnits(proof.balance, info.decimals)} ${symbol}`;
      }
      if (proof.type === 'erc721' && proof.tokenIds?.length)
        return `holds ${symbol} #${proof.tokenIds.join(', #')}`;
      const id = proof.type === 'erc1155' ? ` #${proof.tokenId}` : '';
      return `holds ${proof.balance ?? 'some'} ${symbol}${id}`;
    }
  }
}

function name(row: MemberRow): string {
  const m = row.member;
  if (!m) return 'A former member';
  return m.displayName || (m.wallets?.[0] ? shortAddress(m.wallets[0]) : undefined) || m.emails?.[0] || m.id;
}

export function MembersPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const path = `/v1/communities/${encodeURIComponent(slug)}/members`;
  const first = useApi<Page<MemberRow>>(`${path}?limit=${PAGE_SIZE}`);
  const [more, setMore] = useState<{ items: MemberRow[]; nextCursor: string | null } | undefined>();
  const rows = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = useAction(async () => {
    if (!cursor) return;
    const page = await api.get<Page<MemberRow>>(path, { query: { limit: PAGE_SIZE, cursor } });
    setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
  });
  return (
    <section aria-labelledby="members-title">
      <CommunityHeader slug={slug} />
      <h1 id="members-title">Members</h1>
      {first.error?.status === 403 ? (
        <p className="note note-info" role="status">
          Only the owner, admins and moderators see the members list.
        </p>
      ) : (
        <LoadError error={first.error} what="The members list" />
      )}
      {first.loading && !first.data ? <Loading /> : null}
      {first.data && rows.length === 0 ? <p>No members yet.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="members">
            <caption className="visually-hidden">
              Members, their tier, why they hold it, and their role
            </caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Tier</th>
                <th scope="col">Because of</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={row.member?.id ?? `gone-${i}`}>
                  <th scope="row">
                    {name(row)}
                    {row.member?.wallets?.[0] && row.member.displayName ? (
                      <span className="muted"> {shortAddress(row.member.wallets[0])}</span>
                    ) : null}
                  </th>
                  <td>{row.tier ? `${row.tier.name} (rank ${row.tier.rank})` : '—'}</td>
                  <td>{row.via.map(proofText).join('; ') || '—'}</td>
                  <td>{row.role ?? 'member'}</td>
                  <td>{formatDate(row.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <p>
          <button
            type="button"
            className="secondary"
            onClick={() => void loadMore.run()}
            disabled={loadMore.pending}
          >
            {loadMore.pending ? 'Loading…' : 'Load more'}
          </button>
        </p>
      ) : null}
      <ErrorNote error={loadMore.error} />
    </section>
  );
}

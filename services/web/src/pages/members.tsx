import { useParams } from 'wouter';
import { useApi } from '../api/hooks.tsx';
import type { MemberRow, Page } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { formatDate, LoadError, Loading } from '../components/ui.tsx';

export function MembersPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const members = useApi<Page<MemberRow>>(`/v1/communities/${encodeURIComponent(slug)}/members?limit=100`);
  return (
    <section aria-labelledby="members-title">
      <CommunityHeader slug={slug} />
      <h1 id="members-title">Members</h1>
      <LoadError error={members.error} what="The members list" />
      {members.loading && !members.data ? <Loading /> : null}
      {members.data ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Members, their tier and role</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Tier</th>
                <th scope="col">Via</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((row) => (
                <tr key={row.member.id}>
                  <td>{row.member.displayName || row.member.wallets?.[0] || row.member.id}</td>
                  <td>{row.tier?.name ?? '—'}</td>
                  <td>{row.via.map((p) => p.type).join(', ') || '—'}</td>
                  <td>{row.role ?? '—'}</td>
                  <td>{formatDate(row.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

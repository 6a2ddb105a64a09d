import { Link, useLocation } from 'wouter';
import { useApi } from '../api/hooks.tsx';
import type { Community } from '../api/types.ts';
import { useSession } from '../session.tsx';

/** The community's name and its sections; the manage links show to signed-in people (the API decides). */
export function CommunityHeader({ slug }: { slug: string }) {
  const { me } = useSession();
  const [location] = useLocation();
  const community = useApi<{ community: Community }>(`/v1/communities/${encodeURIComponent(slug)}`);
  const base = `/c/${encodeURIComponent(slug)}`;
  const sections = [
    { href: base, label: 'Overview' },
    { href: `${base}/events`, label: 'Events' },
    { href: `${base}/proposals`, label: 'Proposals' },
    { href: `${base}/tips`, label: 'Tips' },
  ];
  const manage = [
    { href: `${base}/manage/tiers`, label: 'Tiers' },
    { href: `${base}/members`, label: 'Members' },
    { href: `${base}/dashboard`, label: 'Dashboard' },
  ];
  const link = (s: { href: string; label: string }) => (
    <li key={s.href}>
      <Link href={s.href} aria-current={location === s.href ? 'page' : undefined}>
        {s.label}
      </Link>
    </li>
  );
  return (
    <div className="community-header">
      <p className="eyebrow">
        <Link href="/">Communities</Link> / <Link href={base}>{community.data?.community.name ?? slug}</Link>
      </p>
      <nav aria-label="Community sections" className="tabs">
        <ul>{sections.map(link)}</ul>
        {me ? <ul aria-label="Manage">{manage.map(link)}</ul> : null}
      </nav>
    </div>
  );
}

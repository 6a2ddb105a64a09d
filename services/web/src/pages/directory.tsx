import { Link } from 'wouter';
import { useApi } from '../api/hooks.tsx';
import type { Community, Page } from '../api/types.ts';
import { LoadError, Loading } from '../components/ui.tsx';
import { useSession } from '../session.tsx';

export function DirectoryPage() {
  const { me, config } = useSession();
  const list = useApi<Page<Community>>('/v1/communities?limit=100');
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="directory-title">
      <div className="page-title">
        <h1 id="directory-title">Communities</h1>
        {me ? (
          <Link href="/new" className="button">
            Create a community
          </Link>
        ) : null}
      </div>
      {config?.demo ? (
        <p className="note note-info">
          Demo: try <Link href={`/c/${config.demo.communitySlug}`}>the demo community</Link>; its token-gated
          tier opens to a dev-chain account holding CommunityToken.
        </p>
      ) : null}
      <LoadError error={list.error} what="The community directory" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <p>No communities yet.</p> : null}
      <ul className="cards" aria-label="Communities">
        {items.map((c) => (
          <li key={c.id} className="card">
            <h2>
              <Link href={`/c/${c.slug}`}>{c.name}</Link>
            </h2>
            <p className="muted">/{c.slug}</p>
            {c.description ? <p>{c.description}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

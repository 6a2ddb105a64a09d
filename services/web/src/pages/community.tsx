import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { Community, MembershipView, Proof, Tier } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { NpsPrompt } from '../components/nps-prompt.tsx';
import { ErrorNote, formatDate, LoadError, Loading, Status } from '../components/ui.tsx';
import { useHoldings } from '../holdings.tsx';
import { type Explanation, explainGate, type GateFacts, shortAddress, tokenKey } from '../lib/gates.ts';
import { formatMoney, formatUnits } from '../lib/units.ts';
import { useSession } from '../session.tsx';

function ExplanationView({ node }: { node: Explanation }) {
  return (
    <li className="why">
      <Status met={node.met} /> <span>{node.text}</span>
      {node.children ? (
        <ul>
          {node.children.map((child, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a gate's conditions have no ids and never reorder
            <ExplanationView key={i} node={child} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function describeProof(proof: Proof, facts: GateFacts): string {
  switch (proof.type) {
    case 'subscription':
      return 'an active paid subscription';
    case 'allowlist':
      return `the allowlist (${proof.address ? shortAddress(proof.address) : (proof.email ?? '')})`;
    case 'role':
      return `your ${proof.role} role`;
    case 'native':
      return `holding ${formatUnits(proof.balance, 18)} ETH`;
    default: {
      const info = facts.tokens.get(tokenKey(proof.chainId, proof.token));
      const symbol = info?.symbol || shortAddress(proof.token);
      if (proof.type === 'erc20' && info?.decimals !== undefined) {
        return `holding ${formatUnits(proof.balance, info.decimals)} ${symbol}`;
      }
      return `holding ${proof.balance ?? 'a'} ${symbol}${proof.type === 'erc1155' ? ` #${proof.tokenId}` : ''}`;
    }
  }
}

function TierCard({
  slug,
  tier,
  held,
  explanation,
  signedIn,
}: {
  slug: string;
  tier: Tier;
  held: boolean;
  explanation: Explanation;
  signedIn: boolean;
}) {
  const checkout = useAction(async () => {
    // Stripe sends the member back here; the page then waits for the subscription to land.
    const back = `${window.location.origin}/c/${encodeURIComponent(slug)}`;
    const { url } = await api.post<{ url: string }>(
      `/v1/communities/${encodeURIComponent(slug)}/tiers/${encodeURIComponent(tier.id)}/checkout`,
      { successUrl: `${back}?checkout=success`, cancelUrl: back },
    );
    window.location.assign(url);
  });
  const titleId = `tier-${tier.id}`;
  return (
    <li className={`card tier${held ? ' tier-held' : ''}`} aria-labelledby={titleId} data-tier={tier.name}>
      <div className="tier-head">
        <h3 id={titleId}>{tier.name}</h3>
        {held ? (
          <span className="badge badge-yes">Your tier</span>
        ) : signedIn ? (
          <span className="badge">No access</span>
        ) : null}
      </div>
      {tier.description ? <p>{tier.description}</p> : null}
      {tier.price ? (
        <p className="price">
          {formatMoney(tier.price)} / {tier.price.interval}
        </p>
      ) : null}
      {tier.perks.length > 0 ? (
        <>
          <h4>What it unlocks</h4>
          <ul className="perks">
            {tier.perks.map((perk) => (
              <li key={perk.label}>
                {perk.url ? (
                  <a href={perk.url} rel="noopener noreferrer" target="_blank">
                    {perk.label}
                  </a>
                ) : (
                  perk.label
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>{held ? 'Why you have it' : 'What it takes'}</h4>
      <ul className="why-list">
        <ExplanationView node={explanation} />
      </ul>
      {tier.price && !held ? (
        <div className="actions">
          {signedIn ? (
            <button type="button" onClick={() => void checkout.run()} disabled={checkout.pending}>
              {checkout.pending
                ? 'Opening checkout…'
                : `Join for ${formatMoney(tier.price)} / ${tier.price.interval}`}
            </button>
          ) : (
            <Link href={`/sign-in?next=/c/${slug}`} className="button">
              Sign in to join
            </Link>
          )}
        </div>
      ) : null}
      <ErrorNote error={checkout.error} />
    </li>
  );
}

export function CommunityPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me, config } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const community = useApi<{ community: Community }>(base);
  const tiers = useApi<{ items: Tier[] }>(`${base}/tiers`);
  // Back from Stripe Checkout: the webhooks may not have arrived yet, so ask again every
  // 1.5 s until a subscription shows (at most a minute).
  const [awaitingPayment, setAwaitingPayment] = useState(
    () => new URLSearchParams(window.location.search).get('checkout') === 'success',
  );
  const membership = useApi<MembershipView>(
    me ? `${base}/membership` : null,
    awaitingPayment ? { pollMs: 1_500 } : {},
  );
  const paid = membership.data?.via.some((proof) => proof.type === 'subscription') ?? false;
  useEffect(() => {
    if (!awaitingPayment) return;
    if (paid) {
      setAwaitingPayment(false);
      return;
    }
    const giveUp = setTimeout(() => setAwaitingPayment(false), 60_000);
    return () => clearTimeout(giveUp);
  }, [awaitingPayment, paid]);
  const wallets = me?.member.wallets ?? [];
  const holdings = useHoldings(tiers.data?.items, wallets);
  const [refreshedAt, setRefreshedAt] = useState<string | undefined>();

  const refresh = useAction(async () => {
    const view = await api.post<MembershipView>(`${base}/membership/refresh`);
    membership.set(view);
    setRefreshedAt(new Date().toISOString());
    await Promise.all([tiers.reload(), holdings.reload()]);
  });

  if (community.error) {
    return (
      <section>
        <h1>{community.error.status === 404 ? 'Community not found' : 'Community'}</h1>
        <LoadError error={community.error} what="Communities" />
        <p>
          <Link href="/">Browse communities</Link>
        </p>
      </section>
    );
  }
  const c = community.data?.community;
  const view = membership.data;
  const facts: GateFacts = {
    signedIn: Boolean(me),
    wallets,
    emails: me?.member.emails ?? [],
    balances: holdings.balances,
    tokens: holdings.tokens,
    proofs: view?.via ?? [],
    tierId: view?.tier?.id,
  };
  const sorted = [...(tiers.data?.items ?? [])].sort((a, b) => b.rank - a.rank);
  const wrongChain =
    holdings.chainId !== undefined &&
    config?.chains.length &&
    !config.chains.some((chain) => chain.chainId === holdings.chainId);

  return (
    <section aria-labelledby="community-title">
      <CommunityHeader slug={slug} />
      <h1 id="community-title">{c?.name ?? slug}</h1>
      {!c ? <Loading /> : null}
      {c?.description ? <p className="lead">{c.description}</p> : null}
      {c?.treasury ? (
        <p className="muted">
          Treasury: <code>{c.treasury.address}</code> on chain {c.treasury.chainId}
        </p>
      ) : null}

      <section aria-labelledby="access-title" className="panel" data-testid="access">
        <h2 id="access-title">Your access</h2>
        {me === null ? (
          <p>
            <Link href={`/sign-in?next=/c/${slug}`}>Sign in</Link> to see which tier you have and why.
          </p>
        ) : null}
        {me && awaitingPayment ? (
          <p role="status" data-testid="payment-pending">
            Confirming your payment with Stripe…
          </p>
        ) : null}
        {me && membership.error && !membership.error.routeMissing ? (
          <ErrorNote error={membership.error} />
        ) : null}
        {me && view ? (
          view.tier ? (
            <div data-testid="membership">
              <p>
                <Status met={true} /> You are a <strong>{view.tier.name}</strong> member
                {view.via.length > 0
                  ? ` through ${view.via.map((p) => describeProof(p, facts)).join(', ')}`
                  : ''}
                .
              </p>
            </div>
          ) : (
            <p data-testid="membership">
              <Status met={false} /> <strong>No access yet.</strong> Each tier below says what it takes and
              what you have.
            </p>
          )
        ) : null}
        {me && view ? (
          <p className="muted">
            Checked {formatDate(view.checkedAt)}
            {view.validUntil ? `; re-checked by ${formatDate(view.validUntil)}` : ''}.
          </p>
        ) : null}
        {wrongChain ? (
          <p className="note note-warn">
            Your wallet is on network {holdings.chainId}: switch it to {config?.chains[0]?.name} to see your
            balances.
          </p>
        ) : null}
        {me && wallets.length === 0 ? (
          <p className="muted">
            No wallet linked: token-gated tiers need one. <Link href="/me">Link a wallet</Link>.
          </p>
        ) : null}
        {me ? (
          <div className="actions">
            <button type="button" onClick={() => void refresh.run()} disabled={refresh.pending}>
              {refresh.pending ? 'Checking your holdings…' : 'Refresh my access'}
            </button>
            <span aria-live="polite" className="muted">
              {refreshedAt && !refresh.pending ? 'Access re-checked.' : ''}
            </span>
          </div>
        ) : null}
        <ErrorNote error={refresh.error} />
        {me && membership.error?.routeMissing ? (
          <LoadError error={membership.error} what="Memberships" />
        ) : null}
      </section>

      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Tiers</h2>
        <LoadError error={tiers.error} what="Tiers" />
        {tiers.data && sorted.length === 0 ? <p>This community has no tiers yet.</p> : null}
        <ul className="cards tiers">
          {sorted.map((tier) => (
            <TierCard
              key={tier.id}
              slug={slug}
              tier={tier}
              held={view?.tier?.id === tier.id}
              explanation={explainGate(tier.gate, facts, tier.id)}
              signedIn={Boolean(me)}
            />
          ))}
        </ul>
      </section>

      {me && view?.tier ? <NpsPrompt slug={slug} communityName={c?.name} /> : null}
    </section>
  );
}

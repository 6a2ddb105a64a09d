import { useEffect, useState } from 'react';
import { useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { Community, Page, Tip } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { ErrorNote, formatDate, LoadError } from '../components/ui.tsx';
import { encodeTransfer } from '../lib/abi.ts';
import { checkAddress } from '../lib/address.ts';
import { sendTransaction } from '../lib/eip1193.ts';
import { currencyDecimals, formatMoney, formatUnits, parseUnits } from '../lib/units.ts';
import { useSession } from '../session.tsx';
import { connectWallet, requireProvider } from '../wallet.tsx';

function tipAmount(tip: Tip): string {
  const a = tip.amount;
  if (!a) return '';
  if ('decimals' in a)
    return `${formatUnits(a.value, a.decimals)} ${a.token === 'native' ? 'ETH' : 'tokens'}`;
  return formatMoney(a);
}

export function TipsPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me, config } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const community = useApi<{ community: Community }>(base);
  const feed = useApi<Page<Tip>>(`${base}/tips`);
  const [period, setPeriod] = useState<'week' | 'month' | 'all'>('month');
  const board = useApi<Record<string, unknown>>(`${base}/tips/leaderboard?period=${period}`);
  const treasury = community.data?.community.treasury;

  const [mode, setMode] = useState<'crypto' | 'fiat'>('crypto');
  const [asset, setAsset] = useState<'native' | 'token'>('native');
  const [token, setToken] = useState(config?.demo?.contracts.CommunityToken ?? '');
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState('');
  const [tracking, setTracking] = useState<Tip | undefined>();

  useEffect(() => {
    if (tracking?.status !== 'pending') return;
    const timer = setInterval(async () => {
      const next = await api
        .get<{ tip: Tip } | Tip>(`${base}/tips/${encodeURIComponent(tracking.id)}`)
        .catch(() => undefined);
      const tip = next && 'tip' in next ? next.tip : (next as Tip | undefined);
      if (!tip) return;
      setTracking(tip);
      if (tip.status !== 'pending') void feed.reload();
    }, 2000);
    return () => clearInterval(timer);
  }, [tracking, base, feed]);

  const sendCrypto = useAction(async () => {
    if (!config) return;
    const recipient = to.trim()
      ? checkAddress(to)
      : treasury
        ? { ok: true as const, address: treasury.address }
        : undefined;
    if (!recipient) throw new Error('This community has no treasury wallet: enter a recipient address.');
    if (!recipient.ok) throw new Error(recipient.error);
    const parsed = parseUnits(amount, 18);
    if (!parsed.ok) throw new Error(parsed.error);
    const provider = requireProvider();
    const { address, chainId } = await connectWallet(provider, config);
    let txHash: `0x${string}`;
    if (asset === 'native') {
      txHash = await sendTransaction(provider, {
        from: address,
        to: recipient.address,
        value: `0x${BigInt(parsed.value).toString(16)}`,
      });
    } else {
      const tokenCheck = checkAddress(token);
      if (!tokenCheck.ok) throw new Error(`Token: ${tokenCheck.error}`);
      txHash = await sendTransaction(provider, {
        from: address,
        to: tokenCheck.address,
        data: encodeTransfer(recipient.address, parsed.value),
      });
    }
    const result = await api.post<{ tip: Tip }>(`${base}/tips/crypto`, {
      chainId,
      txHash,
      ...(message ? { message } : {}),
    });
    setTracking(result.tip);
  });
  const sendFiat = useAction(async () => {
    const parsed = parseUnits(amount, currencyDecimals('usd'));
    if (!parsed.ok) throw new Error(parsed.error);
    await api.post<{ tip: Tip; clientSecret: string }>(`${base}/tips`, {
      to: to.trim() || 'creator',
      amount: { value: parsed.value, currency: 'usd' },
      ...(message ? { message } : {}),
    });
    throw new Error(
      'The payment was created, but card entry (Stripe Elements) is not part of this build yet.',
    );
  });

  return (
    <section aria-labelledby="tips-title">
      <CommunityHeader slug={slug} />
      <h1 id="tips-title">Tips</h1>
      <LoadError error={feed.error} what="Tips" />
      {me && !feed.error?.routeMissing ? (
        <form
          className="panel"
          onSubmit={(e) => {
            e.preventDefault();
            void (mode === 'crypto' ? sendCrypto.run() : sendFiat.run());
          }}
        >
          <h2>Send a tip</h2>
          <fieldset>
            <legend>Pay with</legend>
            <label className="inline">
              <input
                type="radio"
                name="mode"
                checked={mode === 'crypto'}
                onChange={() => setMode('crypto')}
              />{' '}
              wallet (crypto)
            </label>
            <label className="inline">
              <input
                type="radio"
                name="mode"
                checked={mode === 'fiat'}
                disabled={!config?.stripe.enabled}
                onChange={() => setMode('fiat')}
              />{' '}
              card
              {config?.stripe.enabled ? '' : ' (not configured on this server)'}
            </label>
          </fieldset>
          <label htmlFor="tip-to">
            {mode === 'crypto'
              ? 'Recipient address (empty: the creator’s treasury)'
              : 'Member id (empty: the creator)'}
          </label>
          <input
            id="tip-to"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder={treasury?.address ?? ''}
          />
          {mode === 'crypto' ? (
            <>
              <label htmlFor="tip-asset">Asset</label>
              <select
                id="tip-asset"
                value={asset}
                onChange={(e) => setAsset(e.target.value as 'native' | 'token')}
              >
                <option value="native">ETH</option>
                <option value="token">ERC-20 token</option>
              </select>
              {asset === 'token' ? (
                <>
                  <label htmlFor="tip-token">Token address</label>
                  <input id="tip-token" value={token} onChange={(e) => setToken(e.target.value)} />
                </>
              ) : null}
            </>
          ) : null}
          <label htmlFor="tip-amount">Amount{mode === 'fiat' ? ' (USD)' : ''}</label>
          <input
            id="tip-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          <label htmlFor="tip-message">Message (optional)</label>
          <input
            id="tip-message"
            maxLength={280}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
          />
          <button type="submit" disabled={sendCrypto.pending || sendFiat.pending}>
            Send tip
          </button>
          <p role="status">
            {tracking
              ? tracking.status === 'pending'
                ? 'Tip sent: waiting for confirmations…'
                : tracking.status === 'confirmed'
                  ? 'Tip confirmed. Thank you!'
                  : `Tip rejected${tracking.reason ? `: ${tracking.reason}` : ''}.`
              : ''}
          </p>
          <ErrorNote error={sendCrypto.error ?? sendFiat.error} />
        </form>
      ) : null}
      <h2>Recent tips</h2>
      <ul className="plain">
        {(feed.data?.items ?? []).map((tip) => (
          <li key={tip.id}>
            {tipAmount(tip)} {tip.message ? `“${tip.message}”` : ''}{' '}
            <span className="muted">{formatDate(tip.createdAt)}</span>{' '}
            {tip.status && tip.status !== 'confirmed' ? <span className="badge">{tip.status}</span> : null}
          </li>
        ))}
      </ul>
      <h2>Leaderboard</h2>
      <label htmlFor="lb-period">Period</label>
      <select
        id="lb-period"
        value={period}
        onChange={(e) => setPeriod(e.target.value as 'week' | 'month' | 'all')}
      >
        <option value="week">this week</option>
        <option value="month">this month</option>
        <option value="all">all time</option>
      </select>
      <LoadError error={board.error} what="The leaderboard" />
      {board.data ? <pre className="json">{JSON.stringify(board.data, null, 2)}</pre> : null}
    </section>
  );
}

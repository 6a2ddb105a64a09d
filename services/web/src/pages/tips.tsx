import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { Community, Leaderboard, Money, Page, Tip, TokenAmount } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { ErrorNote, formatDate, LoadError, Loading } from '../components/ui.tsx';
import { knownTokenInfo, readTokenInfo } from '../holdings.tsx';
import { encodeTransfer } from '../lib/abi.ts';
import { checkAddress } from '../lib/address.ts';
import { sendTransaction } from '../lib/eip1193.ts';
import { shortAddress } from '../lib/gates.ts';
import { currencyDecimals, formatMoney, formatUnits, parseUnits } from '../lib/units.ts';
import { useSession } from '../session.tsx';
import { connectWallet, requireProvider } from '../wallet.tsx';

// Stripe.js and Elements load only when someone pays by card: never on the first load.
const CardPayment = lazy(() => import('../components/card-payment.tsx'));

const POLL_MS = 1000;

/** A random key for `Idempotency-Key` (crypto.randomUUID needs a secure context; this does not). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function formatTipAmount(amount: Money | TokenAmount | null | undefined): string {
  if (!amount) return '';
  if ('decimals' in amount) {
    const symbol =
      amount.token === 'native'
        ? 'ETH'
        : knownTokenInfo(amount.chainId, amount.token)?.symbol || shortAddress(amount.token);
    return `${formatUnits(amount.value, amount.decimals)} ${symbol}`;
  }
  return formatMoney(amount);
}

function who(id: string | null | undefined, myId: string | undefined): string {
  if (!id) return 'someone';
  if (id === 'creator') return 'the creator';
  if (id === myId) return 'you';
  return `member ${id.slice(0, 8)}`;
}

/** Polls a pending tip until it is confirmed, rejected or failed; says each step in `log`. */
function useTipWatch(base: string, onSettled: () => void) {
  const [tip, setTip] = useState<Tip | undefined>();
  const [log, setLog] = useState<{ key: string; text: string }[]>([]);
  const lastStatus = useRef<string | undefined>(undefined);
  const say = useCallback((key: string, text: string) => {
    setLog((steps) => (steps.some((s) => s.key === key) ? steps : [...steps, { key, text }]));
  }, []);
  const reset = useCallback(() => {
    setTip(undefined);
    setLog([]);
    lastStatus.current = undefined;
  }, []);

  useEffect(() => {
    if (tip?.status !== 'pending') return;
    let stopped = false;
    const timer = setTimeout(async () => {
      const next = await api
        .get<{ tip: Tip }>(`${base}/tips/${encodeURIComponent(tip.id)}`)
        .catch(() => undefined);
      if (!stopped) setTip(next?.tip ?? { ...tip });
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tip, base]);

  useEffect(() => {
    if (!tip || tip.status === lastStatus.current) return;
    lastStatus.current = tip.status;
    if (tip.status === 'confirmed') {
      say('confirmed', `Tip confirmed: ${formatTipAmount(tip.amount)}. Thank you!`);
      onSettled();
    } else if (tip.status === 'rejected' || tip.status === 'failed') {
      say('settled', `Tip ${tip.status}${tip.reason ? `: ${tip.reason}` : ''}.`);
      onSettled();
    } else if (tip.status === 'reversed') {
      say('settled', 'Tip reversed (refunded).');
    }
  }, [tip, say, onSettled]);

  return { tip, setTip, log, say, reset };
}

type Asset = 'native' | 'token';

export function TipsPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me, config } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const community = useApi<{ community: Community }>(base);
  const feed = useApi<Page<Tip>>(`${base}/tips`);
  const [period, setPeriod] = useState<'week' | 'month' | 'all'>('month');
  const board = useApi<Leaderboard>(`${base}/tips/leaderboard?period=${period}`);
  const treasury = community.data?.community.treasury;
  const stripeKey = config?.stripe.enabled ? config.stripe.publishableKey : undefined;

  const [mode, setMode] = useState<'crypto' | 'fiat'>('crypto');
  const [recipient, setRecipient] = useState<'creator' | 'member'>('creator');
  const [asset, setAsset] = useState<Asset>('native');
  const [token, setToken] = useState(config?.demo?.contracts.CommunityToken ?? '');
  const [memberTo, setMemberTo] = useState('');
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState('');
  const [payment, setPayment] = useState<{ clientSecret: string; amount: Money; tip: Tip } | undefined>();
  const idempotencyKey = useRef<string>(newIdempotencyKey());

  const reloadFeed = useCallback(() => {
    void feed.reload();
    void board.reload();
  }, [feed.reload, board.reload]);
  const watch = useTipWatch(base, reloadFeed);
  const confirmations = config?.chains[0]?.confirmations ?? 1;

  // Back from a payment method that redirects (3-D Secure, bank pages): keep watching that tip.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on arrival
  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get('tip');
    if (!id) return;
    void api
      .get<{ tip: Tip }>(`${base}/tips/${encodeURIComponent(id)}`)
      .then(({ tip }) => {
        watch.say('returned', 'Back from the payment page: checking the payment…');
        watch.setTip(tip);
      })
      .catch(() => {});
  }, []);

  const sendCrypto = useAction(async () => {
    if (!config) return;
    watch.reset();
    let to: `0x${string}`;
    if (recipient === 'creator') {
      if (!treasury) throw new Error('This community has no treasury wallet: tip a member instead.');
      to = treasury.address;
    } else {
      const check = checkAddress(memberTo);
      if (!check.ok) throw new Error(`Recipient: ${check.error}`);
      to = check.address;
    }
    const provider = requireProvider();
    const { address, chainId } = await connectWallet(provider, config);
    let txHash: `0x${string}`;
    if (asset === 'native') {
      const parsed = parseUnits(amount, 18);
      if (!parsed.ok) throw new Error(parsed.error);
      txHash = await sendTransaction(provider, {
        from: address,
        to,
        value: `0x${BigInt(parsed.value).toString(16)}`,
      });
    } else {
      const tokenCheck = checkAddress(token);
      if (!tokenCheck.ok) throw new Error(`Token: ${tokenCheck.error}`);
      const info = await readTokenInfo(chainId, tokenCheck.address, 'erc20');
      if (info?.decimals === undefined) throw new Error('That address does not answer like an ERC-20 token.');
      const parsed = parseUnits(amount, info.decimals);
      if (!parsed.ok) throw new Error(parsed.error);
      txHash = await sendTransaction(provider, {
        from: address,
        to: tokenCheck.address,
        data: encodeTransfer(to, parsed.value),
      });
    }
    watch.say('sent', `Transfer sent from your wallet (transaction ${shortAddress(txHash)}).`);
    const result = await api.post<{ tip: Tip }>(`${base}/tips/crypto`, {
      chainId,
      txHash,
      ...(recipient === 'creator' ? { to: 'creator' } : {}),
      ...(message.trim() ? { message: message.trim() } : {}),
    });
    if (result.tip.status === 'pending') {
      watch.say(
        'pending',
        `Tip pending: waiting for ${confirmations} confirmation${confirmations === 1 ? '' : 's'} on chain.`,
      );
    }
    watch.setTip(result.tip);
  });

  const startFiat = useAction(async () => {
    watch.reset();
    setPayment(undefined);
    const parsed = parseUnits(amount, currencyDecimals('usd'));
    if (!parsed.ok) throw new Error(parsed.error);
    if (recipient === 'member' && !memberTo.trim()) throw new Error('Enter the member id of the recipient.');
    const money = { value: parsed.value, currency: 'usd' };
    const result = await api.post<{ tip: Tip; clientSecret: string }>(
      `${base}/tips`,
      {
        to: recipient === 'creator' ? 'creator' : memberTo.trim(),
        amount: money,
        ...(message.trim() ? { message: message.trim() } : {}),
      },
      { headers: { 'idempotency-key': idempotencyKey.current } },
    );
    watch.say('created', `Payment of ${formatMoney(money)} created: enter your card below.`);
    setPayment({ clientSecret: result.clientSecret, amount: money, tip: result.tip });
  });

  const formChanged = () => {
    idempotencyKey.current = newIdempotencyKey();
    setPayment(undefined);
  };

  const tokenSymbol =
    token && config?.chains[0] ? knownTokenInfo(config.chains[0].chainId, token)?.symbol : undefined;

  return (
    <section aria-labelledby="tips-title">
      <CommunityHeader slug={slug} />
      <h1 id="tips-title">Tips</h1>
      <LoadError error={feed.error} what="Tips" />
      {me && !feed.error?.routeMissing ? (
        <form
          className="panel"
          aria-labelledby="send-tip-title"
          onSubmit={(e) => {
            e.preventDefault();
            void (mode === 'crypto' ? sendCrypto.run() : startFiat.run());
          }}
        >
          <h2 id="send-tip-title">Send a tip</h2>
          <fieldset>
            <legend>Pay with</legend>
            <label className="inline">
              <input
                type="radio"
                name="mode"
                checked={mode === 'crypto'}
                onChange={() => {
                  setMode('crypto');
                  formChanged();
                }}
              />{' '}
              my wallet (crypto)
            </label>
            <label className="inline">
              <input
                type="radio"
                name="mode"
                checked={mode === 'fiat'}
                disabled={!stripeKey}
                onChange={() => {
                  setMode('fiat');
                  formChanged();
                }}
              />{' '}
              card{stripeKey ? '' : ' (not available on this server)'}
            </label>
          </fieldset>
          <fieldset>
            <legend>To</legend>
            <label className="inline">
              <input
                type="radio"
                name="recipient"
                checked={recipient === 'creator'}
                onChange={() => {
                  setRecipient('creator');
                  formChanged();
                }}
              />{' '}
              the creator
            </label>
            <label className="inline">
              <input
                type="radio"
                name="recipient"
                checked={recipient === 'member'}
                onChange={() => {
                  setRecipient('member');
                  formChanged();
                }}
              />{' '}
              a member
            </label>
          </fieldset>
          {recipient === 'creator' && mode === 'crypto' ? (
            <p className="muted" data-testid="treasury">
              {treasury ? (
                <>
                  Sent to the community’s treasury <code>{treasury.address}</code>
                </>
              ) : (
                'This community has no treasury wallet yet: crypto tips can only go to members.'
              )}
            </p>
          ) : null}
          {recipient === 'member' ? (
            <>
              <label htmlFor="tip-to">
                {mode === 'crypto' ? 'The member’s wallet address' : 'The member’s id'}
              </label>
              <input
                id="tip-to"
                value={memberTo}
                autoComplete="off"
                onChange={(e) => {
                  setMemberTo(e.target.value);
                  formChanged();
                }}
              />
            </>
          ) : null}
          {mode === 'crypto' ? (
            <>
              <label htmlFor="tip-asset">Asset</label>
              <select id="tip-asset" value={asset} onChange={(e) => setAsset(e.target.value as Asset)}>
                <option value="native">ETH</option>
                <option value="token">{tokenSymbol ? `${tokenSymbol} (ERC-20)` : 'an ERC-20 token'}</option>
              </select>
              {asset === 'token' ? (
                <>
                  <label htmlFor="tip-token">Token contract address</label>
                  <input id="tip-token" value={token} onChange={(e) => setToken(e.target.value)} />
                </>
              ) : null}
            </>
          ) : null}
          <label htmlFor="tip-amount">
            Amount{mode === 'fiat' ? ' (USD)' : asset === 'native' ? ' (ETH)' : ''}
          </label>
          <input
            id="tip-amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              formChanged();
            }}
          />
          <label htmlFor="tip-message">Message (optional)</label>
          <input
            id="tip-message"
            maxLength={500}
            value={message}
            onChange={(e) => {
              setMessage(e.target.value);
              formChanged();
            }}
          />
          <button type="submit" disabled={sendCrypto.pending || startFiat.pending}>
            {mode === 'crypto'
              ? sendCrypto.pending
                ? 'Confirm in your wallet…'
                : 'Send tip from my wallet'
              : startFiat.pending
                ? 'Preparing the payment…'
                : 'Continue to card payment'}
          </button>
          <ErrorNote error={sendCrypto.error ?? startFiat.error} />
        </form>
      ) : null}

      {payment && stripeKey ? (
        <Suspense fallback={<Loading label="Loading the card form…" />}>
          <CardPayment
            publishableKey={stripeKey}
            clientSecret={payment.clientSecret}
            amountLabel={formatMoney(payment.amount)}
            returnUrl={`${window.location.origin}/c/${encodeURIComponent(slug)}/tips?tip=${encodeURIComponent(payment.tip.id)}`}
            onPaid={() => {
              watch.say('paid', 'Card payment accepted: waiting for Stripe to confirm it…');
              watch.setTip(payment.tip);
              setPayment(undefined);
            }}
          />
        </Suspense>
      ) : null}

      <div aria-live="polite">
        {watch.log.length > 0 ? (
          <ol className="progress" aria-label="Tip progress" data-testid="tip-progress">
            {watch.log.map((step) => (
              <li key={step.key} data-step={step.key}>
                {step.text}
              </li>
            ))}
          </ol>
        ) : null}
      </div>

      <h2>Recent tips</h2>
      {feed.loading && !feed.data ? <Loading /> : null}
      {feed.data && feed.data.items.length === 0 ? <p>No tips yet: be the first.</p> : null}
      <ul className="plain feed" data-testid="tip-feed">
        {(feed.data?.items ?? []).map((tip) => (
          <li key={tip.id}>
            <strong>{formatTipAmount(tip.amount)}</strong> from {who(tip.from, me?.member.id)} to{' '}
            {who(tip.to, me?.member.id)}
            {tip.message ? ` “${tip.message}”` : ''}{' '}
            <span className="muted">{formatDate(tip.createdAt)}</span>{' '}
            {tip.status !== 'confirmed' ? <span className="badge">{tip.status}</span> : null}
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
      {board.data && board.data.assets.length === 0 ? <p>No tips in this period.</p> : null}
      {(board.data?.assets ?? []).map((entry) => {
        const label = formatTipAmount(entry.recipients[0]?.total ?? entry.tippers[0]?.total).replace(
          /^[\d,.]+ /,
          '',
        );
        return (
          <div key={JSON.stringify(entry.asset)} className="table-wrap">
            <table>
              <caption>In {label}</caption>
              <thead>
                <tr>
                  <th scope="col">Top recipients</th>
                  <th scope="col">Received</th>
                  <th scope="col">Top tippers</th>
                  <th scope="col">Given</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: Math.max(entry.recipients.length, entry.tippers.length) }, (_, i) => {
                  const r = entry.recipients[i];
                  const t = entry.tippers[i];
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: ranks are positions
                    <tr key={i}>
                      <td>{r ? who(r.to, me?.member.id) : ''}</td>
                      <td>{r ? `${formatTipAmount(r.total)} (${r.count})` : ''}</td>
                      <td>{t ? who(t.memberId, me?.member.id) : ''}</td>
                      <td>{t ? `${formatTipAmount(t.total)} (${t.count})` : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}

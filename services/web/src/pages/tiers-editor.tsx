import { useMemo, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { Perk, Tier, TierInput } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { GateBuilder } from '../components/gate-builder.tsx';
import { ErrorNote, LoadError } from '../components/ui.tsx';
import { compileDraft, type Draft, newGroup, newLeaf } from '../lib/gate-draft.ts';
import { currencyDecimals, formatMoney, parseUnits } from '../lib/units.ts';
import { useSession } from '../session.tsx';

interface PerkRow {
  key: number;
  label: string;
  url: string;
}

let perkKey = 0;
const newPerk = (): PerkRow => ({ key: ++perkKey, label: '', url: '' });

export function TiersEditorPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me, config } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const tiers = useApi<{ items: Tier[] }>(`${base}/tiers`);
  const defaultChain = String(config?.chains[0]?.chainId ?? 31337);

  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const nextRank = useMemo(
    () => Math.max(0, ...(tiers.data?.items ?? []).map((t) => t.rank)) + 1,
    [tiers.data],
  );
  const [rank, setRank] = useState('');
  const [perks, setPerks] = useState<PerkRow[]>([newPerk()]);
  const [paid, setPaid] = useState(false);
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState('usd');
  const [interval, setBillingInterval] = useState<'month' | 'year'>('month');
  const [draft, setDraft] = useState<Draft>(() => newGroup('any', [newLeaf('erc20', defaultChain)]));
  const [showErrors, setShowErrors] = useState(false);
  const [created, setCreated] = useState<string | undefined>();

  const compiled = compileDraft(draft);
  const rankValue = rank.trim() === '' ? nextRank : Number(rank);
  const rankError =
    Number.isInteger(rankValue) && rankValue >= 1 && rankValue <= 1000
      ? undefined
      : 'A whole number from 1 to 1000.';
  const priceParsed = paid ? parseUnits(price, currencyDecimals(currency)) : undefined;
  const priceError =
    priceParsed && !priceParsed.ok
      ? priceParsed.error
      : priceParsed?.ok && priceParsed.value === '0'
        ? 'More than 0.'
        : undefined;
  const nameError = name.trim() ? undefined : 'Give the tier a name.';
  const perkErrors = perks.map((p) =>
    p.url.trim() && !/^https?:\/\/\S+$/.test(p.url.trim()) ? 'An http(s) link.' : undefined,
  );

  const create = useAction(async () => {
    setShowErrors(true);
    setCreated(undefined);
    if (!compiled.gate || rankError || priceError || nameError || perkErrors.some(Boolean)) {
      throw new Error('Fix the fields marked above.');
    }
    const body: TierInput = {
      name: name.trim(),
      description: description.trim(),
      rank: rankValue,
      perks: perks
        .filter((p) => p.label.trim())
        .map((p): Perk => ({ label: p.label.trim(), ...(p.url.trim() ? { url: p.url.trim() } : {}) })),
      gate: compiled.gate,
      ...(priceParsed?.ok ? { price: { value: priceParsed.value, currency, interval } } : {}),
    };
    const { tier } = await api.post<{ tier: Tier }>(`${base}/tiers`, body);
    setCreated(tier.name);
    setShowErrors(false);
    setName('');
    setDescription('');
    setRank('');
    setPerks([newPerk()]);
    setPaid(false);
    setPrice('');
    setDraft(newGroup('any', [newLeaf('erc20', defaultChain)]));
    await tiers.reload();
  });

  if (me === null) {
    return (
      <section>
        <CommunityHeader slug={slug} />
        <h1>Tiers</h1>
        <p>
          <Link href={`/sign-in?next=/c/${slug}/manage/tiers`}>Sign in</Link> as an admin of this community.
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="tiers-editor-title">
      <CommunityHeader slug={slug} />
      <h1 id="tiers-editor-title">Tiers</h1>
      <LoadError error={tiers.error} what="Tiers" />
      <ul className="cards" aria-label="Existing tiers">
        {[...(tiers.data?.items ?? [])]
          .sort((a, b) => b.rank - a.rank)
          .map((t) => (
            <li key={t.id} className="card">
              <h2>
                {t.name} <span className="muted">rank {t.rank}</span>
              </h2>
              {t.price ? (
                <p>
                  {formatMoney(t.price)} / {t.price.interval}
                </p>
              ) : null}
              <details>
                <summary>Gate</summary>
                <pre>{JSON.stringify(t.gate, null, 2)}</pre>
              </details>
            </li>
          ))}
      </ul>

      <form
        className="panel"
        aria-labelledby="new-tier-title"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <h2 id="new-tier-title">New tier</h2>
        <label htmlFor="t-name">Tier name</label>
        <input
          id="t-name"
          maxLength={80}
          value={name}
          aria-invalid={showErrors && Boolean(nameError)}
          onChange={(e) => setName(e.target.value)}
        />
        {showErrors && nameError ? <p className="field-error">{nameError}</p> : null}
        <label htmlFor="t-description">Description</label>
        <textarea
          id="t-description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <label htmlFor="t-rank">Rank (higher wins when several tiers match)</label>
        <input
          id="t-rank"
          inputMode="numeric"
          placeholder={String(nextRank)}
          value={rank}
          onChange={(e) => setRank(e.target.value)}
        />
        {showErrors && rankError ? <p className="field-error">{rankError}</p> : null}

        <fieldset>
          <legend>Perks: what this tier unlocks</legend>
          {perks.map((perk, i) => (
            <div key={perk.key} className="perk-row">
              <label htmlFor={`perk-label-${perk.key}`}>Perk {i + 1}</label>
              <input
                id={`perk-label-${perk.key}`}
                value={perk.label}
                maxLength={120}
                onChange={(e) =>
                  setPerks(perks.map((p) => (p.key === perk.key ? { ...p, label: e.target.value } : p)))
                }
              />
              <label htmlFor={`perk-url-${perk.key}`}>Link (members only, optional)</label>
              <input
                id={`perk-url-${perk.key}`}
                type="url"
                value={perk.url}
                aria-invalid={Boolean(perkErrors[i])}
                onChange={(e) =>
                  setPerks(perks.map((p) => (p.key === perk.key ? { ...p, url: e.target.value } : p)))
                }
              />
              {perkErrors[i] ? <p className="field-error">{perkErrors[i]}</p> : null}
              <button
                type="button"
                className="link"
                onClick={() => setPerks(perks.filter((p) => p.key !== perk.key))}
              >
                Remove perk {i + 1}
              </button>
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setPerks([...perks, newPerk()])}>
            Add a perk
          </button>
        </fieldset>

        <fieldset>
          <legend>Price</legend>
          <label className="inline">
            <input type="checkbox" checked={paid} onChange={(e) => setPaid(e.target.checked)} /> Members can
            pay for this tier (Stripe)
          </label>
          {paid ? (
            <div className="row">
              <div>
                <label htmlFor="t-price">Amount</label>
                <input
                  id="t-price"
                  inputMode="decimal"
                  value={price}
                  aria-invalid={Boolean(priceError)}
                  onChange={(e) => setPrice(e.target.value)}
                />
              </div>
              <div>
                <label htmlFor="t-currency">Currency</label>
                <select id="t-currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
                  <option value="usd">USD</option>
                  <option value="eur">EUR</option>
                  <option value="gbp">GBP</option>
                  <option value="jpy">JPY</option>
                </select>
              </div>
              <div>
                <label htmlFor="t-interval">Every</label>
                <select
                  id="t-interval"
                  value={interval}
                  onChange={(e) => setBillingInterval(e.target.value as 'month' | 'year')}
                >
                  <option value="month">month</option>
                  <option value="year">year</option>
                </select>
              </div>
            </div>
          ) : null}
          {showErrors && priceError ? <p className="field-error">{priceError}</p> : null}
          {paid && config && !config.stripe.enabled ? (
            <p className="muted">
              This server has no Stripe keys yet: members cannot pay until the operator adds them.
            </p>
          ) : null}
        </fieldset>

        <h3>Who gets it</h3>
        <GateBuilder
          value={draft}
          onChange={setDraft}
          errors={compiled.errors}
          showErrors={showErrors}
          chains={config?.chains ?? []}
        />
        <details>
          <summary>Gate JSON</summary>
          <pre data-testid="gate-json">
            {compiled.gate ? JSON.stringify(compiled.gate, null, 2) : 'incomplete'}
          </pre>
        </details>

        <div className="actions">
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create tier'}
          </button>
          <span role="status">{created ? `Tier “${created}” created.` : ''}</span>
        </div>
        <ErrorNote error={create.error} />
      </form>
    </section>
  );
}

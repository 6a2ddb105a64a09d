import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.ts';
import { useAction } from '../api/hooks.tsx';
import type { Community } from '../api/types.ts';
import { ErrorNote } from '../components/ui.tsx';
import { checkAddress } from '../lib/address.ts';
import { useSession } from '../session.tsx';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function NewCommunityPage() {
  const { me, config } = useSession();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [treasuryChain, setTreasuryChain] = useState('');
  const [treasury, setTreasury] = useState('');
  const [touched, setTouched] = useState(false);

  const slugError = SLUG.test(slug)
    ? undefined
    : '3–40 lower-case letters, digits or dashes; not starting or ending with a dash.';
  const treasuryCheck = treasury.trim() ? checkAddress(treasury) : undefined;
  const treasuryError = treasuryCheck && !treasuryCheck.ok ? treasuryCheck.error : undefined;
  const nameError = name.trim() ? undefined : 'Give the community a name.';

  const create = useAction(async () => {
    setTouched(true);
    if (slugError || treasuryError || nameError) return;
    const chainId = Number(treasuryChain || config?.chains[0]?.chainId);
    const body = {
      slug,
      name: name.trim(),
      description: description.trim(),
      ...(treasuryCheck?.ok ? { treasury: { chainId, address: treasuryCheck.address } } : {}),
    };
    const { community } = await api.post<{ community: Community }>('/v1/communities', body);
    navigate(`/c/${community.slug}/manage/tiers`);
  });

  if (me === null) {
    return (
      <section>
        <h1>Create a community</h1>
        <p>
          <Link href="/sign-in?next=/new">Sign in</Link> first: you become the community's owner.
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="new-title" className="narrow">
      <h1 id="new-title">Create a community</h1>
      <form
        className="panel"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void create.run();
        }}
      >
        <label htmlFor="c-name">Name</label>
        <input
          id="c-name"
          required
          maxLength={80}
          value={name}
          aria-invalid={touched && Boolean(nameError)}
          aria-describedby={touched && nameError ? 'c-name-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(slugify(e.target.value));
          }}
        />
        {touched && nameError ? (
          <p id="c-name-error" className="field-error">
            {nameError}
          </p>
        ) : null}
        <label htmlFor="c-slug">Web address</label>
        <div className="input-prefix">
          <span aria-hidden="true">/c/</span>
          <input
            id="c-slug"
            required
            value={slug}
            aria-invalid={touched && Boolean(slugError)}
            aria-describedby="c-slug-help"
            onChange={(e) => {
              setSlug(e.target.value.toLowerCase());
              setSlugEdited(true);
            }}
          />
        </div>
        <p id="c-slug-help" className={touched && slugError ? 'field-error' : 'muted'}>
          {touched && slugError ? slugError : 'Lower-case letters, digits and dashes.'}
        </p>
        <label htmlFor="c-description">Description</label>
        <textarea
          id="c-description"
          rows={4}
          maxLength={4000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset>
          <legend>Treasury wallet (optional, receives crypto tips)</legend>
          <label htmlFor="c-treasury-chain">Network</label>
          <select
            id="c-treasury-chain"
            value={treasuryChain}
            onChange={(e) => setTreasuryChain(e.target.value)}
          >
            {(config?.chains ?? []).map((c) => (
              <option key={c.chainId} value={c.chainId}>
                {c.name} ({c.chainId})
              </option>
            ))}
          </select>
          <label htmlFor="c-treasury">Treasury address</label>
          <input
            id="c-treasury"
            placeholder="0x…"
            value={treasury}
            aria-invalid={Boolean(treasuryError)}
            aria-describedby={treasuryError ? 'c-treasury-error' : undefined}
            onChange={(e) => setTreasury(e.target.value)}
          />
          {treasuryError ? (
            <p id="c-treasury-error" className="field-error">
              {treasuryError}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create community'}
        </button>
        <ErrorNote error={create.error} />
      </form>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../api/client.ts';
import { useAction } from '../api/hooks.tsx';
import type { Member } from '../api/types.ts';
import { ErrorNote, Loading } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import { requireProvider, signInWithEthereum } from '../wallet.tsx';

export function ProfilePage() {
  const { me, config, reloadMe, signOut } = useSession();
  const [, navigate] = useLocation();
  const [displayName, setDisplayName] = useState('');
  const [bio, setBio] = useState('');
  const [avatarUrl, setAvatarUrl] = useState('');
  const [saved, setSaved] = useState(false);
  const [newEmail, setNewEmail] = useState('');
  const [emailCode, setEmailCode] = useState('');
  const [emailPending, setEmailPending] = useState<string | undefined>();

  useEffect(() => {
    if (!me) return;
    setDisplayName(me.member.displayName ?? '');
    setBio(me.member.bio ?? '');
    setAvatarUrl(me.member.avatarUrl ?? '');
  }, [me]);

  const save = useAction(async () => {
    await api.patch<{ member: Member }>('/v1/me', {
      displayName: displayName.trim() || null,
      bio: bio.trim() || null,
      avatarUrl: avatarUrl.trim() || null,
    });
    await reloadMe();
    setSaved(true);
  });
  const linkWallet = useAction(async () => {
    if (!config) throw new Error('Still loading the server settings.');
    const proof = await signInWithEthereum(requireProvider(), config);
    await api.post('/v1/me/wallets', { message: proof.message, signature: proof.signature });
    await reloadMe();
  });
  const startEmail = useAction(async () => {
    await api.post('/v1/me/emails/start', { email: newEmail.trim() });
    setEmailPending(newEmail.trim());
  });
  const verifyEmail = useAction(async () => {
    await api.post('/v1/me/emails/verify', { email: emailPending, code: emailCode.trim() });
    setEmailPending(undefined);
    setNewEmail('');
    setEmailCode('');
    await reloadMe();
  });
  const logout = useAction(async (everywhere: boolean) => {
    await signOut(everywhere);
    navigate('/');
  });

  if (me === undefined) return <Loading />;
  if (me === null) {
    return (
      <section>
        <h1>Profile</h1>
        <p>
          <Link href="/sign-in?next=/me">Sign in</Link> to see your profile.
        </p>
      </section>
    );
  }
  const { member, memberships } = me;
  return (
    <section aria-labelledby="profile-title" className="narrow">
      <h1 id="profile-title">{member.displayName || 'Your profile'}</h1>
      <p className="muted" data-testid="member-id">
        Member {member.id}
      </p>

      <form
        className="panel"
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          void save.run();
        }}
      >
        <h2>Profile</h2>
        <label htmlFor="displayName">Display name</label>
        <input
          id="displayName"
          maxLength={80}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <label htmlFor="bio">Bio</label>
        <textarea id="bio" rows={3} value={bio} onChange={(e) => setBio(e.target.value)} />
        <label htmlFor="avatarUrl">Avatar URL</label>
        <input id="avatarUrl" type="url" value={avatarUrl} onChange={(e) => setAvatarUrl(e.target.value)} />
        <div className="actions">
          <button type="submit" disabled={save.pending}>
            Save
          </button>
          <span role="status" className="muted">
            {saved ? 'Saved.' : ''}
          </span>
        </div>
        <ErrorNote error={save.error} />
      </form>

      <div className="panel">
        <h2>Wallets</h2>
        {member.wallets.length === 0 ? <p className="muted">No wallet linked.</p> : null}
        <ul className="plain" aria-label="Linked wallets" data-testid="wallets">
          {member.wallets.map((w) => (
            <li key={w}>
              <code>{w}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void linkWallet.run()} disabled={linkWallet.pending}>
          {linkWallet.pending ? 'Check your wallet…' : 'Link another wallet'}
        </button>
        <p className="muted">
          Pick the account in your wallet first; you sign a fresh message to prove it is yours.
        </p>
        <ErrorNote error={linkWallet.error} />
      </div>

      <div className="panel">
        <h2>Emails</h2>
        {member.emails.length === 0 ? <p className="muted">No email linked.</p> : null}
        <ul className="plain" aria-label="Linked emails" data-testid="emails">
          {member.emails.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
        {emailPending === undefined ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void startEmail.run();
            }}
          >
            <label htmlFor="new-email">Add an email</label>
            <input
              id="new-email"
              type="email"
              required
              value={newEmail}
              onChange={(e) => setNewEmail(e.target.value)}
            />
            <button type="submit" disabled={startEmail.pending}>
              Send code
            </button>
            <ErrorNote error={startEmail.error} />
          </form>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void verifyEmail.run();
            }}
          >
            <label htmlFor="email-code">Code sent to {emailPending}</label>
            <input
              id="email-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              value={emailCode}
              onChange={(e) => setEmailCode(e.target.value)}
            />
            <div className="actions">
              <button type="submit" disabled={verifyEmail.pending}>
                Confirm email
              </button>
              <button type="button" className="secondary" onClick={() => setEmailPending(undefined)}>
                Cancel
              </button>
            </div>
            <ErrorNote error={verifyEmail.error} />
          </form>
        )}
      </div>

      <div className="panel">
        <h2>Memberships</h2>
        {memberships.length === 0 ? <p className="muted">You have not joined a community yet.</p> : null}
        <ul className="plain">
          {memberships.map((m) => (
            <li key={m.community.id}>
              <Link href={`/c/${m.community.slug}`}>{m.community.name}</Link>:{' '}
              {m.tier ? m.tier.name : 'no tier'}
            </li>
          ))}
        </ul>
      </div>

      <div className="actions">
        <button type="button" className="secondary" onClick={() => void logout.run(false)}>
          Sign out
        </button>
        <button type="button" className="secondary" onClick={() => void logout.run(true)}>
          Sign out everywhere
        </button>
      </div>
      <ErrorNote error={logout.error} />
    </section>
  );
}

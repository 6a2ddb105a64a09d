import { useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { ApiError, api } from '../api/client.ts';
import { useAction } from '../api/hooks.tsx';
import type { Member } from '../api/types.ts';
import { ErrorNote } from '../components/ui.tsx';
import { switchChain } from '../lib/eip1193.ts';
import { useSession } from '../session.tsx';
import { injectedProvider, requireProvider, signInWithEthereum, WrongNetworkError } from '../wallet.tsx';

/** Only same-app paths: `?next=https://evil.example` must not become an open redirect. */
function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function SignInPage() {
  const { config, reloadMe } = useSession();
  const [, navigate] = useLocation();
  const next = safeNext(useSearch());
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [codeSentTo, setCodeSentTo] = useState<string | undefined>();

  const done = async () => {
    await reloadMe();
    navigate(next);
  };

  const wallet = useAction(async () => {
    if (!config) throw new Error('Still loading the server settings; try again in a second.');
    const proof = await signInWithEthereum(requireProvider(), config);
    await api.post<{ member: Member }>('/v1/auth/siwe/verify', {
      message: proof.message,
      signature: proof.signature,
    });
    await done();
  });
  const switchNetwork = useAction(async (chainId: number) => {
    await switchChain(requireProvider(), chainId);
    wallet.setError(undefined);
  });

  const start = useAction(async () => {
    await api.post('/v1/auth/email/start', { email: email.trim() });
    setCodeSentTo(email.trim());
    setCode('');
  });
  const verify = useAction(async () => {
    try {
      await api.post<{ member: Member }>('/v1/auth/email/verify', { email: codeSentTo, code: code.trim() });
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        throw new Error('Too many wrong codes. Request a new code and try again.');
      }
      throw error;
    }
    await done();
  });

  const wrongNetwork = wallet.error instanceof WrongNetworkError ? wallet.error : undefined;

  return (
    <section aria-labelledby="sign-in-title" className="narrow">
      <h1 id="sign-in-title">Sign in</h1>
      <div className="panel">
        <h2>With your wallet</h2>
        <p className="muted">
          Your wallet signs a Sign-In with Ethereum message for {config?.appDomain ?? 'this site'}. No
          transaction, no fee.
        </p>
        {!injectedProvider() ? <p className="muted">No wallet detected in this browser.</p> : null}
        <button type="button" onClick={() => void wallet.run()} disabled={wallet.pending}>
          {wallet.pending ? 'Check your wallet…' : 'Sign in with wallet'}
        </button>
        <ErrorNote error={wallet.error}>
          {wrongNetwork ? (
            <button type="button" onClick={() => void switchNetwork.run(wrongNetwork.expected.chainId)}>
              Switch to {wrongNetwork.expected.name}
            </button>
          ) : null}
        </ErrorNote>
        <ErrorNote error={switchNetwork.error} />
      </div>

      <div className="panel">
        <h2>With your email</h2>
        {codeSentTo === undefined ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void start.run();
            }}
          >
            <label htmlFor="email">Email address</label>
            <input
              id="email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <button type="submit" disabled={start.pending}>
              {start.pending ? 'Sending…' : 'Email me a code'}
            </button>
            <ErrorNote error={start.error} />
          </form>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void verify.run();
            }}
          >
            <p role="status">
              If <strong>{codeSentTo}</strong> can receive mail, a 6-digit code is on its way. It expires in
              10 minutes.
            </p>
            <label htmlFor="code">Code from the email</label>
            <input
              id="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <div className="actions">
              <button type="submit" disabled={verify.pending}>
                {verify.pending ? 'Checking…' : 'Sign in'}
              </button>
              <button type="button" className="secondary" onClick={() => setCodeSentTo(undefined)}>
                Use another email / new code
              </button>
            </div>
            <ErrorNote error={verify.error} />
          </form>
        )}
      </div>
    </section>
  );
}

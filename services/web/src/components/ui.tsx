import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { WalletError } from '../lib/eip1193.ts';

/** Sentences for API.md's codes; anything else falls back to the server's own detail. */
const MESSAGES: Record<string, string> = {
  unauthenticated: 'Please sign in first.',
  unauthorized: 'Please sign in first.',
  forbidden: 'You are not allowed to do this here.',
  csrf_failed: 'The request was refused as cross-site. Reload the page and try again.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  network_error: 'Cannot reach the Coterie server. Check your connection and try again.',
  siwe_expired: 'The sign-in message expired before it was verified. Please try again.',
  siwe_not_yet_valid: 'Your computer clock seems to be ahead. Fix the time and try again.',
  siwe_nonce_invalid: 'That sign-in attempt was already used or expired. Please try again.',
  siwe_domain_mismatch: 'The sign-in message was made for another site.',
  siwe_uri_mismatch: 'The sign-in message was made for another address of this site.',
  siwe_chain_unsupported: 'This network is not supported by Coterie. Switch networks in your wallet.',
  siwe_signature_invalid: 'The signature does not match your wallet address.',
  siwe_malformed: 'The sign-in message was malformed.',
  email_code_invalid: 'That code is wrong or has expired. Check the latest email, or request a new code.',
  wallet_taken: 'This wallet already belongs to another Coterie account.',
  email_taken: 'This email already belongs to another Coterie account.',
  slug_taken: 'That address (slug) is taken. Choose another one.',
  stripe_not_configured:
    'Card payments are not available: the operator of this Coterie server has not connected Stripe. You can still join by holding the tokens a tier asks for.',
  stripe_account_not_connected:
    'Card tips are not open yet here: the creator has not finished connecting Stripe. You can tip from a wallet meanwhile.',
  tipping_members_only: 'Only members of this community can tip here.',
  nps_already_answered: 'You already answered this survey in the last 30 days: thank you.',
  service_unavailable: 'A Coterie service is not answering right now. Try again in a moment.',
  service_timeout: 'A Coterie service took too long to answer. Try again in a moment.',
};

export function errorMessage(error: Error): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.code !== 'rate_limited')
      return `${MESSAGES.rate_limited} (${error.detail})`;
    return MESSAGES[error.code] ?? error.detail;
  }
  return error.message;
}

export function ErrorNote({ error, children }: { error: Error | undefined; children?: ReactNode }) {
  if (!error) return null;
  const code = error instanceof ApiError || error instanceof WalletError ? error.code : undefined;
  return (
    <div className="note note-error" role="alert" data-code={code}>
      <p>{errorMessage(error)}</p>
      {children}
    </div>
  );
}

export function ComingSoon({ what }: { what: string }) {
  return (
    <div className="note note-info" role="status">
      <p>
        <strong>{what}</strong> is coming soon: this Coterie server does not offer it yet.
      </p>
    </div>
  );
}

/** A failed load: "coming soon" when the route is not there yet, else the problem's detail. */
export function LoadError({ error, what }: { error: ApiError | undefined; what: string }) {
  if (!error) return null;
  if (error.routeMissing) return <ComingSoon what={what} />;
  return <ErrorNote error={error} />;
}

export function Status({ met }: { met: boolean | null }) {
  if (met === true)
    return (
      <span className="status status-yes" role="img" aria-label="met">
        ✓
      </span>
    );
  if (met === false)
    return (
      <span className="status status-no" role="img" aria-label="not met">
        ✗
      </span>
    );
  return (
    <span className="status status-unknown" role="img" aria-label="unknown">
      ?
    </span>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" aria-live="polite">
      {label}
    </p>
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

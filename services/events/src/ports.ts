import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import type { Mailer } from '@coterie/mailer';
import type { ViewerAccess } from './domain/access.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export type { Mailer, OutgoingMail } from '@coterie/mailer';

/** Entitlements' view of a member in a community (`entitlements.rpc.check`). */
export interface AccessChecker {
  check(communityId: string, memberId: string): Promise<ViewerAccess>;
}

/** Identity's members: where reminder mails go. Unknown ids or members without email are absent. */
export interface MemberEmails {
  emailsOf(memberIds: readonly string[]): Promise<Map<string, string>>;
}

/** The Stripe Connect account a community's ticket money goes to, or null if none. */
export interface ConnectedAccounts {
  accountFor(communityId: string): Promise<string | null>;
}

export interface CheckoutRequest {
  eventId: string;
  communityId: string;
  memberId: string;
  title: string;
  amount: number;
  currency: string;
  feeAmount: number;
  destination: string;
  expiresAt: Date;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
}

/** Stripe, as far as tickets need it. */
export interface Payments {
  createCheckout(request: CheckoutRequest): Promise<{ id: string; url: string }>;
  expireCheckout(sessionId: string): Promise<void>;
  refund(paymentIntentId: string, idempotencyKey: string): Promise<{ id: string }>;
}

/** What the use cases are built from; `createApp` wires the real ones, tests may pass others. */
export interface Deps {
  pool: Pool;
  logger: Logger;
  clock: Clock;
  /** Publishes committed outbox rows now instead of at the next poll. */
  wakeRelay(): void;
  access: AccessChecker;
  members: MemberEmails;
  mailer: Mailer;
  /** Undefined when STRIPE_SECRET_KEY is not set. */
  payments: Payments | undefined;
  accounts: ConnectedAccounts;
  appOrigin: string;
  platformFeeBps: number;
  ticketHoldMs: number;
  holdReleaseGraceMs: number;
}

export const SOURCE = 'events';

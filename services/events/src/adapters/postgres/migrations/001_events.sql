-- Community events. Every RSVP change locks its event row (SELECT … FOR UPDATE), so seat
-- counting, the waitlist order and promotions are serialised per event.
CREATE TABLE events (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  timezone text NOT NULL,
  location_kind text NOT NULL CHECK (location_kind IN ('online', 'venue')),
  location_url text,
  location_address text,
  capacity integer CHECK (capacity > 0),
  min_tier_rank integer CHECK (min_tier_rank >= 0),
  ticket_amount bigint CHECK (ticket_amount > 0),
  ticket_currency text,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  sequence integer NOT NULL DEFAULT 0,
  -- The last waitlist number handed out: FIFO order of arrival under the event lock.
  waitlist_seq bigint NOT NULL DEFAULT 0,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancel_reason text,
  CHECK ((ticket_amount IS NULL) = (ticket_currency IS NULL))
);
CREATE INDEX events_by_community ON events (community_id, starts_at, id);

-- One RSVP per (event, member). `seat` says where a `going` RSVP stands.
CREATE TABLE rsvps (
  event_id uuid NOT NULL REFERENCES events (id),
  member_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('going', 'maybe', 'declined')),
  seat text NOT NULL CHECK (seat IN ('confirmed', 'held', 'waitlisted', 'none')),
  waitlist_no bigint,
  hold_expires_at timestamptz,
  checkout_session_id text,
  checkout_url text,
  payment_intent_id text,
  paid_amount bigint,
  paid_currency text,
  check_in_code text NOT NULL,
  checked_in_at timestamptz,
  check_in_method text CHECK (check_in_method IN ('host', 'code')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (event_id, member_id),
  UNIQUE (event_id, check_in_code),
  CHECK ((seat = 'none') = (status <> 'going')),
  CHECK ((seat = 'waitlisted') = (waitlist_no IS NOT NULL))
);
CREATE INDEX rsvps_waitlist ON rsvps (event_id, waitlist_no) WHERE seat = 'waitlisted';
CREATE INDEX rsvps_by_member ON rsvps (member_id) WHERE status IN ('going', 'maybe');
CREATE INDEX rsvps_expiring_holds ON rsvps (hold_expires_at) WHERE seat = 'held';
CREATE UNIQUE INDEX rsvps_by_checkout ON rsvps (checkout_session_id) WHERE checkout_session_id IS NOT NULL;

-- Paid tickets to give back (event cancelled, ticket declined, payment after the seat was gone).
-- Written in the transaction that decides it; the loop asks Stripe with an idempotency key.
CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES events (id),
  member_id uuid NOT NULL,
  payment_intent_id text NOT NULL UNIQUE,
  amount bigint NOT NULL,
  currency text NOT NULL,
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'done')),
  stripe_refund_id text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX refunds_due ON refunds (created_at) WHERE status = 'due';

-- Mails to send: claimed one at a time with FOR UPDATE SKIP LOCKED by every replica's loop.
-- `dedupe_key` makes scheduling idempotent; `sent_at` makes sending happen once.
CREATE TABLE reminders (
  id uuid PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE,
  event_id uuid NOT NULL REFERENCES events (id),
  member_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('24h', '1h', 'promoted', 'cancelled')),
  due_at timestamptz NOT NULL,
  sent_at timestamptz,
  outcome text CHECK (outcome IN ('sent', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE sent_at IS NULL;
CREATE INDEX reminders_by_event_member ON reminders (event_id, member_id) WHERE sent_at IS NULL;

-- Private feed tokens, stored as SHA-256 only; one per member, replaced on rotation.
CREATE TABLE calendar_tokens (
  member_id uuid PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

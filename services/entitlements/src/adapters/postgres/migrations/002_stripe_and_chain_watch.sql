-- Stripe Connect: the community's connected (Express) account, created once, and whether it may
-- take charges yet (`account.updated`).
ALTER TABLE communities
  ADD COLUMN stripe_account_id text UNIQUE,
  ADD COLUMN stripe_charges_enabled boolean NOT NULL DEFAULT false;

-- One Stripe Customer per member on the platform account (destination charges live there); the
-- billing portal opens on it.
CREATE TABLE stripe_customers (
  member_id uuid PRIMARY KEY,
  customer_id text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- `subscriptions.stripe_version` holds, in milliseconds, when the applied state was observed:
-- the time a re-fetch from Stripe answered, or the event's `created` when Stripe could not be
-- asked. Only a newer observation replaces an older one.

-- The transfer-log watcher's position per chain: the next block to read. It moves in the same
-- transaction as the memberships the range changed.
CREATE TABLE chain_cursors (
  chain_id integer PRIMARY KEY,
  next_block bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

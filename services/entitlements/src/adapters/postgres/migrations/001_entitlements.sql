CREATE TABLE communities (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  treasury_chain_id integer,
  treasury_address text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((treasury_chain_id IS NULL) = (treasury_address IS NULL))
);

-- One role per member and community. `version` orders role changes for the in-memory views.
CREATE TABLE roles (
  community_id uuid NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  member_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'moderator', 'member')),
  version bigint NOT NULL DEFAULT 1,
  granted_by uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (community_id, member_id)
);
-- The owner is unique: the one invariant no role change may break.
CREATE UNIQUE INDEX roles_one_owner ON roles (community_id) WHERE role = 'owner';

-- The gate (allowlist included) is jsonb validated by the contract on write. Prices are integer
-- minor units; the Stripe ids are filled in once Stripe is configured.
CREATE TABLE tiers (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  rank integer NOT NULL,
  perks jsonb NOT NULL DEFAULT '[]'::jsonb,
  gate jsonb NOT NULL,
  price_amount bigint CHECK (price_amount > 0),
  price_currency text,
  price_interval text CHECK (price_interval IN ('month', 'year')),
  stripe_product_id text,
  stripe_price_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (community_id, rank),
  CHECK ((price_amount IS NULL) = (price_currency IS NULL) AND (price_amount IS NULL) = (price_interval IS NULL))
);

-- The current tier of a member in a community, and why. A row without a tier remembers that the
-- member was checked (and when to check again); `version` counts tier changes. A row with no
-- `checked_at` was only created to be locked by a first evaluation.
CREATE TABLE memberships (
  community_id uuid NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  member_id uuid NOT NULL,
  tier_id uuid REFERENCES tiers (id) ON DELETE SET NULL,
  via jsonb NOT NULL DEFAULT '[]'::jsonb,
  since timestamptz,
  checked_at timestamptz,
  valid_until timestamptz,
  version bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (community_id, member_id)
);
CREATE INDEX memberships_due ON memberships (valid_until);
CREATE INDEX memberships_member ON memberships (member_id);

-- Stripe subscriptions (filled by the webhook state machine). `stripe_version` is the `created`
-- time of the last Stripe event applied, so an older event delivered late cannot undo a newer one.
CREATE TABLE subscriptions (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  tier_id uuid NOT NULL REFERENCES tiers (id),
  member_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('incomplete', 'trialing', 'active', 'past_due', 'canceled', 'unpaid')),
  stripe_subscription_id text UNIQUE,
  stripe_customer_id text,
  price_id text,
  interval text CHECK (interval IN ('month', 'year')),
  amount bigint,
  currency text,
  current_period_end timestamptz,
  grace_until timestamptz,
  stripe_version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_member ON subscriptions (member_id, community_id);

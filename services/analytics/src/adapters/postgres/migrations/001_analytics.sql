-- Projections of every context's events. Each table is written only by the event handlers
-- (idempotent by the inbox, independent of arrival order) and can be rebuilt from the streams.
-- Days are UTC dates of the envelope's occurredAt.

CREATE TABLE communities (
  community_id uuid PRIMARY KEY,
  owner_id uuid NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE registrations (
  member_id uuid PRIMARY KEY,
  registered_at timestamptz NOT NULL
);

-- One row per member and community: when they first held a tier (LEAST over grants), and the
-- membership's newest version.
CREATE TABLE memberships (
  community_id uuid NOT NULL,
  member_id uuid NOT NULL,
  first_joined_at timestamptz,
  first_joined_day date,
  version integer NOT NULL,
  tier_rank integer,
  PRIMARY KEY (community_id, member_id)
);
CREATE INDEX memberships_member ON memberships (member_id);
CREATE INDEX memberships_joined ON memberships (community_id, first_joined_at);

-- Every membership version as a span [at, valid_to): who held which rank when (proposal electorates).
CREATE TABLE membership_changes (
  community_id uuid NOT NULL,
  member_id uuid NOT NULL,
  version integer NOT NULL,
  at timestamptz NOT NULL,
  tier_rank integer,
  valid_to timestamptz,
  PRIMARY KEY (community_id, member_id, version)
);
CREATE INDEX membership_changes_at ON membership_changes (community_id, at);

-- Sign-ins, compacted to one row per member and day (identity events carry no community).
CREATE TABLE member_days (
  member_id uuid NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (member_id, day)
);

-- A member active in a community on a day: a sign-in on or after the day they joined it, or any
-- member action there (tip, RSVP, check-in, vote, NPS answer).
CREATE TABLE active_days (
  community_id uuid NOT NULL,
  day date NOT NULL,
  member_id uuid NOT NULL,
  PRIMARY KEY (community_id, day, member_id)
);

-- Daily rollup per community, kept in the same transaction as the rows above: DAU = active.
CREATE TABLE daily (
  community_id uuid NOT NULL,
  day date NOT NULL,
  active integer NOT NULL DEFAULT 0,
  PRIMARY KEY (community_id, day)
);

-- Every subscription change as a span [at, valid_to) of one state; MRR at t = Σ paying spans covering t.
CREATE TABLE subscription_changes (
  event_id uuid PRIMARY KEY,
  subscription_id uuid NOT NULL,
  community_id uuid NOT NULL,
  member_id uuid NOT NULL,
  at timestamptz NOT NULL,
  status text NOT NULL,
  paying boolean NOT NULL,
  monthly_value bigint NOT NULL,
  currency text NOT NULL,
  valid_to timestamptz
);
CREATE INDEX subscription_changes_sub ON subscription_changes (subscription_id, at, event_id);
CREATE INDEX subscription_changes_open ON subscription_changes
  (community_id, (COALESCE(valid_to, 'infinity'::timestamptz)))
  INCLUDE (at, member_id, currency, monthly_value)
  WHERE paying AND monthly_value > 0;
CREATE INDEX subscription_changes_member ON subscription_changes (community_id, member_id, at)
  WHERE paying AND monthly_value > 0;

-- One row per credited tip line; a reversal may arrive first.
CREATE TABLE tips (
  credit_id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  kind text,
  rail text,
  from_member uuid,
  asset text,
  amount numeric(78, 0),
  received_at timestamptz,
  reversed_at timestamptz
);
CREATE INDEX tips_received ON tips (community_id, received_at) INCLUDE (kind, rail, asset, amount, reversed_at);

CREATE TABLE community_events (
  event_id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  cancelled boolean NOT NULL,
  sequence integer NOT NULL,
  at timestamptz NOT NULL,
  source_event uuid NOT NULL
);
CREATE INDEX community_events_starts ON community_events (community_id, starts_at);

-- Each member's newest RSVP per event.
CREATE TABLE rsvps (
  event_id uuid NOT NULL,
  member_id uuid NOT NULL,
  community_id uuid NOT NULL,
  status text NOT NULL,
  seat text NOT NULL,
  at timestamptz NOT NULL,
  source_event uuid NOT NULL,
  PRIMARY KEY (event_id, member_id)
);

CREATE TABLE attendances (
  event_id uuid NOT NULL,
  member_id uuid NOT NULL,
  community_id uuid NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (event_id, member_id)
);

CREATE TABLE proposals (
  proposal_id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  created_at timestamptz,
  ends_at timestamptz,
  min_rank integer,
  closed_at timestamptz
);
CREATE INDEX proposals_end ON proposals (community_id, (COALESCE(closed_at, ends_at)));

-- Distinct voters per proposal (one vote per address; a replaced vote is the same voter).
CREATE TABLE votes (
  proposal_id uuid NOT NULL,
  voter text NOT NULL,
  community_id uuid NOT NULL,
  member_id uuid,
  at timestamptz NOT NULL,
  PRIMARY KEY (proposal_id, voter)
);

CREATE TABLE nps_responses (
  response_id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  member_id uuid NOT NULL,
  score smallint NOT NULL,
  comment text,
  at timestamptz NOT NULL
);
CREATE INDEX nps_responses_at ON nps_responses (community_id, at);
CREATE INDEX nps_responses_member ON nps_responses (community_id, member_id, at);

-- The command side's guard for "one answer per 30 days": written with the outbox row, and by
-- the projection (so a rebuild restores it).
CREATE TABLE nps_last_answer (
  community_id uuid NOT NULL,
  member_id uuid NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (community_id, member_id)
);

CREATE TABLE spend (
  community_id uuid NOT NULL,
  month text NOT NULL,
  currency text NOT NULL,
  amount bigint NOT NULL,
  at timestamptz NOT NULL,
  source_event uuid NOT NULL,
  PRIMARY KEY (community_id, month, currency)
);

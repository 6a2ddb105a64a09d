-- Per-community rules for who may propose; no row = owners and admins only.
CREATE TABLE settings (
  community_id uuid PRIMARY KEY,
  settings jsonb NOT NULL,
  updated_by uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE proposals (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  choices jsonb NOT NULL,
  type text NOT NULL CHECK (type IN ('single-choice', 'approval', 'weighted', 'quadratic')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  quorum jsonb NOT NULL,
  -- Fixed at creation: the absolute value, or bps of the supply at the snapshot block.
  quorum_required numeric(78, 0) NOT NULL CHECK (quorum_required >= 0),
  strategy jsonb NOT NULL,
  chain_id integer NOT NULL,
  snapshot_block bigint NOT NULL CHECK (snapshot_block >= 0),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Set once, by the closer that published the final result.
  closed_at timestamptz,
  final_tally jsonb,
  CHECK (ends_at > starts_at)
);
CREATE INDEX proposals_by_community ON proposals (community_id, created_at DESC, id DESC);
CREATE INDEX proposals_to_close ON proposals (ends_at) WHERE closed_at IS NULL;

-- One row per (proposal, voter): a later vote replaces it. The typed data and signature are kept
-- as verified, so anyone can re-verify.
CREATE TABLE votes (
  proposal_id uuid NOT NULL REFERENCES proposals (id),
  voter text NOT NULL,
  member_id uuid,
  choice text NOT NULL,
  reason text NOT NULL,
  signed_at bigint NOT NULL,
  power numeric(78, 0) NOT NULL CHECK (power > 0),
  typed_data jsonb NOT NULL,
  signature text NOT NULL,
  signature_hash bytea NOT NULL,
  cast_at timestamptz NOT NULL,
  PRIMARY KEY (proposal_id, voter)
);
-- tier-member: one vote per member, whichever linked wallet cast it.
CREATE UNIQUE INDEX votes_one_per_member ON votes (proposal_id, member_id) WHERE member_id IS NOT NULL;
CREATE INDEX votes_by_signature ON votes (proposal_id, signature_hash);

-- Projection of entitlements' membership events: each member's current tier rank per community.
CREATE TABLE member_tiers (
  community_id uuid NOT NULL,
  member_id uuid NOT NULL,
  tier_rank integer,
  version integer NOT NULL,
  PRIMARY KEY (community_id, member_id)
);

-- tier-member proposals: who held the tier when the proposal was created.
CREATE TABLE eligible_members (
  proposal_id uuid NOT NULL REFERENCES proposals (id),
  member_id uuid NOT NULL,
  PRIMARY KEY (proposal_id, member_id)
);

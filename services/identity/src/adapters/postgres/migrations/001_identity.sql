CREATE TABLE members (
  id uuid PRIMARY KEY,
  display_name text,
  bio text,
  avatar_url text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A wallet or an email belongs to at most one member (the primary keys say so).
CREATE TABLE wallets (
  address text PRIMARY KEY CHECK (address ~ '^0x[0-9a-fA-F]{40}$'),
  member_id uuid NOT NULL REFERENCES members (id),
  linked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wallets_by_member ON wallets (member_id);

CREATE TABLE emails (
  email text PRIMARY KEY CHECK (email = lower(email)),
  member_id uuid NOT NULL REFERENCES members (id),
  verified_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emails_by_member ON emails (member_id);

CREATE TABLE siwe_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
CREATE INDEX siwe_nonces_expiry ON siwe_nonces (expires_at);

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  member_id uuid NOT NULL REFERENCES members (id),
  token_hash bytea NOT NULL UNIQUE,
  method text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_by_member ON sessions (member_id) WHERE revoked_at IS NULL;

-- One row per code mailed: the code and the magic-link token are stored only as HMACs.
CREATE TABLE email_challenges (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('sign-in', 'link')),
  member_id uuid REFERENCES members (id),
  code_hash bytea NOT NULL,
  link_token_hash bytea UNIQUE,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz,
  ip text
);
CREATE INDEX email_challenges_by_email ON email_challenges (email, purpose, created_at DESC);
CREATE INDEX email_challenges_by_ip ON email_challenges (ip, created_at DESC);

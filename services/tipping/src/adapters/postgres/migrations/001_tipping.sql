-- A tip: one fiat payment, one submitted crypto tx, or one admin reward. Its lines (below) say
-- whom it credits; its status is the whole tip's.
CREATE TABLE tips (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('tip', 'reward')),
  rail text NOT NULL CHECK (rail IN ('fiat', 'crypto')),
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'failed', 'reversed')),
  reason text,
  from_member_id uuid NOT NULL,
  message text,
  -- fiat: what was asked (the lines hold what was credited)
  to_recipient text,
  currency text,
  amount_minor bigint,
  fee_minor bigint,
  idempotency_key text,
  stripe_payment_intent_id text UNIQUE,
  payout_status text CHECK (payout_status IN ('pending')),
  -- crypto
  chain_id integer,
  tx_hash text CHECK (tx_hash = lower(tx_hash)),
  block_number bigint,
  block_hash text,
  next_check_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  -- A retried request returns the same tip; the same tx from the same member is the same tip.
  UNIQUE (from_member_id, idempotency_key),
  UNIQUE (chain_id, tx_hash, from_member_id),
  CHECK ((rail = 'fiat') = (chain_id IS NULL))
);
CREATE INDEX tips_feed ON tips (community_id, confirmed_at DESC, id DESC) WHERE status = 'confirmed';
CREATE INDEX tips_to_check ON tips (next_check_at) WHERE status = 'pending' AND rail = 'crypto';

-- One credited recipient of a tip. A chain transfer is credited once, whoever submits it:
-- the primary key is (chain, tx, log) — log_index -1 stands for the tx's native value.
CREATE TABLE tip_lines (
  tip_id uuid NOT NULL REFERENCES tips (id),
  line_no integer NOT NULL,
  to_recipient text NOT NULL,
  asset text NOT NULL,
  decimals integer NOT NULL,
  amount numeric(78, 0) NOT NULL CHECK (amount > 0),
  chain_id integer,
  tx_hash text,
  log_index integer,
  from_address text,
  to_address text,
  credit_id uuid,
  PRIMARY KEY (tip_id, line_no)
);
CREATE UNIQUE INDEX tip_lines_once_per_log ON tip_lines (chain_id, tx_hash, log_index) WHERE chain_id IS NOT NULL;

-- The double-entry ledger: append-only; balances are sums of entries.
CREATE TABLE ledger_transactions (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  community_id uuid NOT NULL,
  tip_id uuid REFERENCES tips (id),
  -- A transaction is reversed at most once, and only by a new transaction.
  reverses uuid UNIQUE REFERENCES ledger_transactions (id),
  -- The fact that caused it (e.g. `tip:<id>:line:0:credit`): the same fact never posts twice.
  idempotency_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entries (
  id bigserial PRIMARY KEY,
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  account text NOT NULL,
  asset text NOT NULL,
  amount numeric(78, 0) NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account, asset);
CREATE INDEX ledger_entries_by_transaction ON ledger_entries (transaction_id);

-- The database enforces the ledger's rules too: no edits, no deletes, and at commit every
-- transaction's entries sum to zero per asset.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT asset, sum(amount) AS total INTO bad FROM ledger_entries
   WHERE transaction_id = NEW.transaction_id GROUP BY asset HAVING sum(amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % sums to %', NEW.transaction_id, bad.asset, bad.total;
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced();

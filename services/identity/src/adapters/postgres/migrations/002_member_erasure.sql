-- Set once, when the member asked to be forgotten (DELETE /v1/me/data): the row stays, as a
-- pseudonym other contexts' ledgers and votes still point to; everything personal is gone.
ALTER TABLE members ADD COLUMN erased_at timestamptz;

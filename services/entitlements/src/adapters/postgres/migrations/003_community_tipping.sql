-- Who may tip members of a community: anyone signed in, or only its members (a tier or a role).
ALTER TABLE communities
  ADD COLUMN tipping text NOT NULL DEFAULT 'anyone' CHECK (tipping IN ('anyone', 'members'));

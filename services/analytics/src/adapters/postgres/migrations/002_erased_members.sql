-- Members who asked to be forgotten (identity.member.erased.v1). Kept so that the projection is
-- the same whatever the order events arrive in (a rebuild replays NPS answers after or before the
-- erasure): a comment by an erased member is never stored.
CREATE TABLE erased_members (
  member_id uuid PRIMARY KEY,
  erased_at timestamptz NOT NULL
);

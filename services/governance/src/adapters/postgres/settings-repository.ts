import { type GovernanceSettings, governanceSettingsSchema } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

export async function findSettings(
  db: Queryable,
  communityId: string,
): Promise<GovernanceSettings | undefined> {
  const { rows } = await db.query<{ settings: unknown }>(
    'SELECT settings FROM settings WHERE community_id = $1',
    [communityId],
  );
  return rows[0] ? governanceSettingsSchema.parse(rows[0].settings) : undefined;
}

export async function upsertSettings(
  db: Queryable,
  communityId: string,
  settings: GovernanceSettings,
  actorId: string,
): Promise<void> {
  await db.query(
    `INSERT INTO settings (community_id, settings, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (community_id) DO UPDATE SET settings = EXCLUDED.settings,
       updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [communityId, JSON.stringify(settings), actorId],
  );
}

import type { ProposalStatus } from '@coterie/contracts';

/** `pending` before `startsAt`, `active` in [startsAt, endsAt), `closed` from `endsAt` (or once closed). */
export function proposalStatus(
  now: Date,
  window: { startsAt: Date; endsAt: Date; closedAt: Date | null },
): ProposalStatus {
  if (window.closedAt !== null || now.getTime() >= window.endsAt.getTime()) return 'closed';
  if (now.getTime() < window.startsAt.getTime()) return 'pending';
  return 'active';
}

import { describe, expect, it } from 'vitest';
import { canSee, canSeeUrl, isHost, type ViewerAccess } from './access.ts';

const viewer = (tierRank: number | null, role: ViewerAccess['role'] = null): ViewerAccess => ({
  memberId: 'm',
  tierRank,
  role,
});

describe('event access', () => {
  it('shows public events to everyone and gated ones from their rank up, and to hosts', () => {
    expect(canSee(null, null)).toBe(true);
    expect(canSee(2, null)).toBe(false);
    expect(canSee(2, viewer(1))).toBe(false);
    expect(canSee(2, viewer(2))).toBe(true);
    expect(canSee(2, viewer(null, 'moderator'))).toBe(true);
    expect(canSee(2, viewer(null, 'member'))).toBe(false);
  });

  it('treats owner, admin and moderator as hosts', () => {
    expect(
      ['owner', 'admin', 'moderator', 'member', null].map((r) =>
        isHost(viewer(null, r as ViewerAccess['role'])),
      ),
    ).toEqual([true, true, true, false, false]);
    expect(isHost(null)).toBe(false);
  });

  it('reveals the online URL to hosts and confirmed attendees only', () => {
    expect(canSeeUrl(viewer(5), 'confirmed')).toBe(true);
    expect(canSeeUrl(viewer(5), 'held')).toBe(false);
    expect(canSeeUrl(viewer(5), 'waitlisted')).toBe(false);
    expect(canSeeUrl(viewer(5), null)).toBe(false);
    expect(canSeeUrl(viewer(null, 'admin'), null)).toBe(true);
    expect(canSeeUrl(null, null)).toBe(false);
  });
});

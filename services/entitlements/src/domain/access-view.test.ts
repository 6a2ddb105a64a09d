import { describe, expect, it } from 'vitest';
import { AccessView } from './access-view.ts';

const gold = { id: 'gold', name: 'Gold', rank: 3 };
const silver = { id: 'silver', name: 'Silver', rank: 2 };

describe('AccessView', () => {
  it('cannot answer before its snapshot is loaded, nor for a community it does not know', () => {
    const view = new AccessView();
    view.addCommunity('c');
    expect(view.check('c', 'm')).toBeUndefined();
    view.markReady();
    expect(view.check('c', 'm')).toEqual({ allowed: false, tier: null, role: null });
    expect(view.check('other', 'm')).toBeUndefined();
  });

  it('keeps the newest version whatever order updates arrive in', () => {
    const view = new AccessView();
    view.markReady();
    view.applyMembership('c', 'm', gold, 2);
    view.applyMembership('c', 'm', silver, 1);
    expect(view.check('c', 'm')?.tier).toEqual(gold);
    view.applyMembership('c', 'm', null, 3);
    expect(view.check('c', 'm')).toEqual({ allowed: false, tier: null, role: null });
  });

  it('minRank, and owners/admins pass every check', () => {
    const view = new AccessView();
    view.markReady();
    view.applyMembership('c', 'm', silver, 1);
    expect(view.check('c', 'm', 2)?.allowed).toBe(true);
    expect(view.check('c', 'm', 3)?.allowed).toBe(false);
    view.applyRole('c', 'a', 'admin', 1);
    expect(view.check('c', 'a', 99)).toEqual({ allowed: true, tier: null, role: 'admin' });
    view.applyRole('c', 'a', 'member', 2);
    expect(view.check('c', 'a', 99)?.allowed).toBe(false);
  });
});

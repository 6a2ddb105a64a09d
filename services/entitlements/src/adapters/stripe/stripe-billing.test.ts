import { describe, expect, it } from 'vitest';
import { toStatus } from '../../application/handle-stripe-event.ts';
import { toSubscriptionState } from './stripe-billing.ts';

describe('toSubscriptionState', () => {
  it('reads the 2025+ shape (period end on the item) and the legacy one (plan, period end on the subscription)', () => {
    const modern = toSubscriptionState({
      id: 'sub_1',
      customer: { id: 'cus_1' },
      status: 'active',
      metadata: { coterie_member_id: 'm' },
      items: {
        data: [
          {
            current_period_end: 1_800_000_000,
            price: { id: 'price_1', unit_amount: 1500, currency: 'usd', recurring: { interval: 'month' } },
          },
        ],
      },
    });
    expect(modern).toEqual({
      id: 'sub_1',
      customerId: 'cus_1',
      status: 'active',
      metadata: { coterie_member_id: 'm' },
      priceId: 'price_1',
      interval: 'month',
      amount: '1500',
      currency: 'usd',
      currentPeriodEnd: new Date(1_800_000_000_000),
    });
    const legacy = toSubscriptionState({
      id: 'sub_2',
      customer: 'cus_2',
      status: 'past_due',
      metadata: null,
      current_period_end: 1_700_000_000,
      plan: { id: 'price_2', unit_amount: 12_000, currency: 'eur', interval: 'year' },
    });
    expect(legacy).toMatchObject({
      customerId: 'cus_2',
      priceId: 'price_2',
      interval: 'year',
      amount: '12000',
      metadata: {},
    });
    expect(legacy.currentPeriodEnd).toEqual(new Date(1_700_000_000_000));
  });

  it('maps Stripe statuses onto ours: an expired first payment ends it, a paused one grants nothing', () => {
    expect(['trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete'].map(toStatus)).toEqual([
      'trialing',
      'active',
      'past_due',
      'canceled',
      'unpaid',
      'incomplete',
    ]);
    expect(toStatus('incomplete_expired')).toBe('canceled');
    expect(toStatus('paused')).toBe('unpaid');
    expect(toStatus('something_new')).toBe('incomplete');
  });
});

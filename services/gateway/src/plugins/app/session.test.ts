import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createSessionCache, type ResolvedSession } from '../../application/session-cache.ts';
import { cookie } from '../external/cookie.ts';
import { SESSION_COOKIE, session } from './session.ts';

const TOKEN = 'a'.repeat(43);
const answer: ResolvedSession = {
  id: '00000000-0000-7000-8000-000000000001',
  memberId: '00000000-0000-7000-8000-000000000002',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
};

async function appWith(resolve: (token: string) => Promise<ResolvedSession | null>) {
  const cache = createSessionCache({ ttlMs: 5_000, maxEntries: 100 });
  cache.setEnabled(true);
  const app = Fastify();
  await app.register(cookie);
  await app.register(session, { resolve, cache, secure: false });
  app.get('/who', async (request) => ({ memberId: request.session?.memberId ?? null }));
  return { app, cache };
}

const get = (app: Awaited<ReturnType<typeof appWith>>['app']) =>
  app.inject({ method: 'GET', url: '/who', cookies: { [SESSION_COOKIE]: TOKEN } });

describe('session resolution', () => {
  it('asks identity once for concurrent requests with the same uncached session', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { app } = await appWith(async () => {
      calls += 1;
      await gate;
      return answer;
    });
    const pending = Array.from({ length: 20 }, () => get(app));
    await new Promise((r) => setTimeout(r, 20));
    release();
    const responses = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(responses.map((r) => r.json().memberId)).toEqual(Array(20).fill(answer.memberId));
    await app.close();
  });

  it('does not join a lookup that started before a revocation', async () => {
    const answers = [answer, null];
    let calls = 0;
    const gates: (() => void)[] = [];
    const { app, cache } = await appWith(async () => {
      const result = answers[calls] ?? null;
      calls += 1;
      await new Promise<void>((r) => gates.push(r));
      return result;
    });
    const first = get(app);
    await new Promise((r) => setTimeout(r, 20));
    cache.revoke({ memberId: answer.memberId, sessionIds: [answer.id], all: false });
    const second = get(app);
    await new Promise((r) => setTimeout(r, 20));
    for (const open of gates) open();
    expect(calls).toBe(2);
    expect((await second).json().memberId).toBeNull();
    expect((await first).json().memberId).toBe(answer.memberId);
    await app.close();
  });
});

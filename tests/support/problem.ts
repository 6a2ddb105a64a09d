import { expect } from 'vitest';
import type { HttpResponse } from './browser.ts';

/** Asserts an RFC 9457 problem with API.md's `code`, and returns its body. */
export function expectProblem(res: HttpResponse, status: number, code: string) {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<{ type: string; title: string; status: number; detail: string; code: string }>();
  expect(body).toEqual({
    type: `https://coterie.dev/problems/${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
  });
  return body;
}

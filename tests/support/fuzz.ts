import fc from 'fast-check';
import type { HttpResponse } from './browser.ts';

/** Runs per property: modest in `npm test`, many more with COTERIE_SOAK=1. */
export const FUZZ_RUNS = process.env.COTERIE_SOAK === '1' ? 400 : 30;

/** Every answer must come within this, whatever it was sent. */
export const ANSWER_BUDGET_MS = 2_000;

/** `levels` of nested arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`) as JSON text, built without recursion. */
export function deeplyNested(levels: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(levels)}1${']'.repeat(levels)}`
    : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Strings a careless service chokes on: NUL, lone surrogates, RTL and zero-width marks, emoji, SQL and template bait. */
const nastyStrings = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\u202e\u200b\ufeff',
  '👩‍👩‍👧‍👦'.repeat(50),
  "'; DROP TABLE communities; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template-injection bait, sent as plain text
  '{{7*7}}${7*7}',
  '../../../etc/passwd',
  '%00%ff',
  ' ',
  '',
  'x'.repeat(100_000),
);

/** A hostile value of any JSON type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyStrings,
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom(
    0,
    -1,
    1.5,
    -0,
    2 ** 31,
    2 ** 53 + 1,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    1e308,
    true,
    false,
    null,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
  fc
    .date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) })
    .map((d) => d.toISOString()),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 60 }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 8 }),
  fc.anything({ maxDepth: 3 }),
);

/**
 * A JSON body to send as text: anything at all, the valid `sample` with one field (or a new one)
 * replaced by a hostile value, or the sample with a field dropped. The mutations keep most of a
 * body valid, so they get past the outer schema and reach the services.
 */
export function hostileBody(sample: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(sample);
  const key = keys.length
    ? fc.oneof(fc.constantFrom(...keys), fc.constantFrom('__proto__', 'constructor', 'extra'))
    : fc.constantFrom('__proto__', 'constructor', 'extra');
  const mutated = fc
    .tuple(key, hostileValue)
    // A computed `__proto__` key is an own property, so it is sent as such.
    .map(([k, v]) => JSON.stringify({ ...sample, [k]: v }));
  const dropped = keys.length
    ? fc.constantFrom(...keys).map((k) => JSON.stringify({ ...sample, [k]: undefined }))
    : fc.constant('{}');
  const deepInside = keys.length
    ? fc
        .tuple(fc.constantFrom(...keys), fc.integer({ min: 50, max: 2_000 }))
        .map(([k, depth]) =>
          JSON.stringify({ ...sample, [k]: '__DEEP__' }).replace('"__DEEP__"', deeplyNested(depth, 'object')),
        )
    : fc.constant(deeplyNested(100, 'array'));
  return fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: dropped },
    { weight: 1, arbitrary: deepInside },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, // mostly not JSON at all
  );
}

/** Fixed hostile bodies every JSON endpoint gets once, whatever the run count. */
export function fixedHostileBodies(sample: Record<string, unknown>): [string, string][] {
  const firstKey = Object.keys(sample)[0] ?? 'x';
  return [
    ['10,000 nested arrays', deeplyNested(10_000, 'array')],
    ['10,000 nested objects', deeplyNested(10_000, 'object')],
    [
      '10,000 levels inside a valid body',
      JSON.stringify({ ...sample, [firstKey]: '__DEEP__' }).replace(
        '"__DEEP__"',
        deeplyNested(10_000, 'array'),
      ),
    ],
    ['2 MB string field', JSON.stringify({ ...sample, [firstKey]: 'x'.repeat(2 * 1024 * 1024) })],
    ['100,000-element array', JSON.stringify({ ...sample, [firstKey]: new Array(100_000).fill(0) })],
    ['__proto__ pollution', `{"__proto__":{"isAdmin":true},${JSON.stringify(sample).slice(1)}`],
    ['NUL in every string', JSON.stringify(sample, (_k, v) => (typeof v === 'string' ? `${v}\u0000` : v))],
    ['null', 'null'],
    ['empty', ''],
    ['truncated JSON', JSON.stringify(sample).slice(0, -1)],
    ['duplicate keys', `{"${firstKey}":1,${JSON.stringify(sample).slice(1)}`],
  ];
}

/** A path segment from random unicode, URL-encoded (so the request line stays valid). */
export const hostileSegment: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
    nastyStrings.filter((s) => s.length > 0 && s.length < 5_000),
    fc.uuid(),
    fc.constantFrom('..', '.', '%2e%2e', 'null', 'undefined', '0', '-1', 'a'.repeat(3_000)),
  )
  .map((s) => (/^%[0-9a-f]/i.test(s) ? s : percentEncode(s)));

/** `encodeURIComponent` that never throws: lone surrogates go as U+FFFD's UTF-8 bytes. */
export function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');
}

/** A query string of random pairs, some under the names the routes read. */
export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('limit', 'cursor', 'from', 'to', 'status', 'metric', 'interval', 'period', 'token'),
        fc.string({ maxLength: 10 }),
      ),
      fc.oneof(
        hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
        fc.constantFrom('-1', '0', '1e9', '99999999999999999999', 'NaN', '[]', '{}'),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'));

/** What any answer to hostile input must be: no 5xx, a problem document on 4xx, within budget. */
export function answerProblems(res: HttpResponse, ms: number): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`${res.statusCode} ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
    problems.push(`${res.statusCode} with content-type ${String(res.headers['content-type'])}`);
  }
  if (ms > ANSWER_BUDGET_MS) problems.push(`answered in ${Math.round(ms)} ms`);
  return problems;
}

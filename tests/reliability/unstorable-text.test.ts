import { describe, expect, it } from 'vitest';
import { hasUnstorableText, isPermanentDataError } from '../../libs/messaging/src/unstorable-text.ts';
import { deeplyNested } from '../support/fuzz.ts';

describe('text PostgreSQL cannot store (the messaging boundary refuses it)', () => {
  it('finds NUL and lone surrogates in values and keys at any depth, and passes everything else', () => {
    expect(hasUnstorableText({ a: ['ok', { b: 'x\u0000y' }] })).toBe(true);
    expect(hasUnstorableText({ 'k\u0000': 1 })).toBe(true);
    expect(hasUnstorableText(['\ud800'])).toBe(true);
    expect(hasUnstorableText('a\udc00')).toBe(true);
    expect(hasUnstorableText({ emoji: '👩‍👩‍👧‍👦 😀', rtl: '\u202e', zw: '\u200b', bom: '\ufeff' })).toBe(
      false,
    );
    expect(hasUnstorableText([null, 1, true, { a: [] }])).toBe(false);
    expect(hasUnstorableText(JSON.parse(deeplyNested(100_000, 'array')))).toBe(false);
    expect(hasUnstorableText(new Array(200_000).fill('x'))).toBe(false);
  });

  it('tells a data exception (SQLSTATE class 22) from a transient failure, through causes', () => {
    expect(isPermanentDataError(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toBe(
      true,
    );
    expect(isPermanentDataError(new Error('wrapped', { cause: { code: '22P05' } }))).toBe(true);
    expect(isPermanentDataError(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }))).toBe(
      false,
    );
    expect(isPermanentDataError(Object.assign(new Error('unique'), { code: '23505' }))).toBe(false);
    expect(isPermanentDataError(Object.assign(new Error('admin shutdown'), { code: '57P01' }))).toBe(false);
    expect(isPermanentDataError('22021')).toBe(false);
  });
});

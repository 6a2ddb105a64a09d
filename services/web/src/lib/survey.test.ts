import { describe, expect, it } from 'vitest';
import { readSurveyMemory, SURVEY_PERIOD_MS, shouldAskSurvey } from './survey.ts';

const now = new Date('2026-11-25T12:00:00Z');

describe('the NPS question, once per survey period', () => {
  it('asks when nothing is remembered or the period is over, not within it', () => {
    expect(shouldAskSurvey(undefined, now)).toBe(true);
    const answered = { at: now.toISOString(), answered: true };
    expect(shouldAskSurvey(answered, new Date(now.getTime() + SURVEY_PERIOD_MS - 1))).toBe(false);
    expect(shouldAskSurvey(answered, new Date(now.getTime() + SURVEY_PERIOD_MS))).toBe(true);
  });

  it('reads what this and older builds stored', () => {
    expect(readSurveyMemory(null, now)).toBeUndefined();
    expect(readSurveyMemory('{"at":"2026-11-01T00:00:00.000Z","answered":false}', now)).toEqual({
      at: '2026-11-01T00:00:00.000Z',
      answered: false,
    });
    expect(readSurveyMemory('9', now)).toEqual({ at: now.toISOString(), answered: true });
    expect(readSurveyMemory('dismissed', now)).toEqual({ at: now.toISOString(), answered: false });
  });
});

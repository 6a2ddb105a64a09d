/**
 * When to ask a member the NPS question: at most once per survey period (analytics takes one
 * answer per member and community per 30 days). What the browser remembers per community:
 * `{ at, answered }`; an answer or a "not now" both wait for the next period.
 */

export const SURVEY_PERIOD_MS = 30 * 86_400_000;

export interface SurveyMemory {
  /** ISO time of the answer (or of "not now"). */
  at: string;
  answered: boolean;
}

/** The stored text as memory; older builds stored the score or "dismissed" (no time): today. */
export function readSurveyMemory(stored: string | null, now: Date): SurveyMemory | undefined {
  if (stored === null) return undefined;
  try {
    const parsed = JSON.parse(stored) as Partial<SurveyMemory>;
    if (parsed && typeof parsed.at === 'string' && !Number.isNaN(Date.parse(parsed.at))) {
      return { at: parsed.at, answered: parsed.answered === true };
    }
  } catch {
    // not JSON: an older format
  }
  return { at: now.toISOString(), answered: stored !== 'dismissed' };
}

export function shouldAskSurvey(memory: SurveyMemory | undefined, now: Date): boolean {
  if (!memory) return true;
  return now.getTime() >= Date.parse(memory.at) + SURVEY_PERIOD_MS;
}

import { useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import { useAction } from '../api/hooks.tsx';
import { readSurveyMemory, type SurveyMemory, shouldAskSurvey } from '../lib/survey.ts';
import { ErrorNote } from './ui.tsx';

const SCORES = Array.from({ length: 11 }, (_, i) => i);

function remember(key: string, memory: SurveyMemory): void {
  try {
    localStorage.setItem(key, JSON.stringify(memory));
  } catch {
    // storage full or disabled: the server's 30-day rule still holds
  }
}

/**
 * "How likely are you to recommend…" (0–10) for members, at most once per survey period (30 days,
 * the server's rule too): an answer or "not now" hides it until the next period.
 */
export function NpsPrompt({ slug, communityName }: { slug: string; communityName?: string | undefined }) {
  const storageKey = `coterie:nps:${slug}`;
  const [ask, setAsk] = useState(() => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(storageKey);
    } catch {
      // no storage: ask (the server refuses a second answer within the period)
    }
    const now = new Date();
    return shouldAskSurvey(readSurveyMemory(stored, now), now);
  });
  const [score, setScore] = useState<number | undefined>();
  const [comment, setComment] = useState('');
  const [thanks, setThanks] = useState<string | undefined>();
  const submit = useAction(async () => {
    if (score === undefined) throw new Error('Pick a score from 0 to 10 first.');
    try {
      await api.post(`/v1/communities/${encodeURIComponent(slug)}/nps`, {
        score,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setThanks('Thank you for your answer.');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'nps_already_answered') {
        setThanks('You already answered this survey recently: thank you. We will ask again next month.');
      } else if (error instanceof ApiError && error.routeMissing) {
        throw new Error('Surveys are coming soon: this server does not take answers yet.');
      } else {
        throw error;
      }
    }
    remember(storageKey, { at: new Date().toISOString(), answered: true });
  });

  if (thanks)
    return (
      <p className="note note-info" role="status" data-testid="nps-thanks">
        {thanks}
      </p>
    );
  if (!ask) return null;
  return (
    <form
      className="panel nps"
      aria-labelledby="nps-title"
      data-testid="nps"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h2 id="nps-title">Quick question</h2>
      <fieldset>
        <legend>
          How likely are you to recommend {communityName ?? 'this community'} to a friend? (0 = not at all, 10
          = very likely)
        </legend>
        <div className="nps-scale">
          {SCORES.map((s) => (
            <label key={s} className="nps-option">
              <input
                type="radio"
                name="nps"
                value={s}
                checked={score === s}
                onChange={() => setScore(s)}
                aria-label={`${s}${s === 0 ? ' (not at all likely)' : s === 10 ? ' (very likely)' : ''}`}
              />
              <span aria-hidden="true">{s}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor="nps-comment">Anything to add? (optional)</label>
      <textarea
        id="nps-comment"
        value={comment}
        maxLength={2000}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
      />
      <div className="actions">
        <button type="submit" disabled={score === undefined || submit.pending}>
          {submit.pending ? 'Sending…' : 'Send'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            remember(storageKey, { at: new Date().toISOString(), answered: false });
            setAsk(false);
          }}
        >
          Not now
        </button>
      </div>
      <ErrorNote error={submit.error} />
    </form>
  );
}

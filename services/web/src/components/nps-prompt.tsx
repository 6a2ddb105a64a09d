import { useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import { useAction } from '../api/hooks.tsx';
import { ErrorNote } from './ui.tsx';

const SCORES = Array.from({ length: 11 }, (_, i) => i);

/** "How likely are you to recommend…" for members; answered or dismissed once per community. */
export function NpsPrompt({ slug }: { slug: string }) {
  const storageKey = `coterie:nps:${slug}`;
  const [done, setDone] = useState(() => localStorage.getItem(storageKey) !== null);
  const [score, setScore] = useState<number | undefined>();
  const [comment, setComment] = useState('');
  const [thanks, setThanks] = useState(false);
  const submit = useAction(async () => {
    if (score === undefined) return;
    try {
      await api.post(`/v1/communities/${encodeURIComponent(slug)}/nps`, {
        score,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError && error.routeMissing) {
        throw new Error('Surveys are coming soon: this server does not take answers yet.');
      }
      throw error;
    }
    localStorage.setItem(storageKey, String(score));
    setThanks(true);
  });
  if (thanks)
    return (
      <p className="note note-info" role="status">
        Thank you for your answer.
      </p>
    );
  if (done) return null;
  return (
    <form
      className="panel nps"
      aria-labelledby="nps-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h2 id="nps-title">Quick question</h2>
      <fieldset>
        <legend>
          How likely are you to recommend this community to a friend? (0 = not at all, 10 = very)
        </legend>
        <div className="nps-scale">
          {SCORES.map((s) => (
            <label key={s} className="nps-option">
              <input type="radio" name="nps" value={s} checked={score === s} onChange={() => setScore(s)} />
              <span>{s}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label htmlFor="nps-comment">Anything to add? (optional)</label>
      <textarea id="nps-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
      <div className="actions">
        <button type="submit" disabled={score === undefined || submit.pending}>
          Send
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            localStorage.setItem(storageKey, 'dismissed');
            setDone(true);
          }}
        >
          Not now
        </button>
      </div>
      <ErrorNote error={submit.error} />
    </form>
  );
}

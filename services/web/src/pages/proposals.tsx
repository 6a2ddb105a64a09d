import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../api/client.ts';
import { useAction, useApi } from '../api/hooks.tsx';
import type { Page, Proposal, ProposalType, TypedData } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { ErrorNote, formatDate, LoadError, Loading } from '../components/ui.tsx';
import { signTypedData } from '../lib/eip1193.ts';
import { useSession } from '../session.tsx';
import { connectWallet, requireProvider } from '../wallet.tsx';

function Tally({ proposal }: { proposal: Proposal }) {
  const scores = proposal.tally.scores.map((s) => BigInt(s));
  const total = scores.reduce((a, b) => a + b, 0n);
  return (
    <ol className="tally" aria-label="Tally">
      {proposal.choices.map((choice, i) => {
        const score = scores[i] ?? 0n;
        const percent = total > 0n ? Number((score * 1000n) / total) / 10 : 0;
        return (
          <li key={choice} data-choice={choice}>
            <div className="tally-label">
              <span>{choice}</span>
              <span data-testid={`score-${i + 1}`}>
                {score.toString()} ({percent}%)
              </span>
            </div>
            <div className="bar" aria-hidden="true">
              <div style={{ width: `${percent}%` }} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function ProposalsPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const { me } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}`;
  const list = useApi<Page<Proposal>>(`${base}/proposals`);
  return (
    <section aria-labelledby="proposals-title">
      <CommunityHeader slug={slug} />
      <h1 id="proposals-title">Proposals</h1>
      <LoadError error={list.error} what="Proposals and voting" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? <p>No proposals yet.</p> : null}
      <ul className="cards">
        {(list.data?.items ?? []).map((p) => (
          <li key={p.id} className="card">
            <h2>
              <Link href={`/c/${slug}/proposals/${p.id}`}>{p.title}</Link>
            </h2>
            <p className="muted">
              {p.status} · ends {formatDate(p.endsAt)} · {p.tally.votes} votes
            </p>
            <Tally proposal={p} />
          </li>
        ))}
      </ul>
      {me && !list.error?.routeMissing ? (
        <NewProposalForm slug={slug} onCreated={() => void list.reload()} />
      ) : null}
    </section>
  );
}

function choiceJson(
  type: ProposalType,
  single: number,
  approved: number[],
  weights: Record<number, string>,
): string {
  if (type === 'single-choice') return JSON.stringify(single);
  if (type === 'approval') return JSON.stringify([...approved].sort((a, b) => a - b));
  const entries = Object.entries(weights).filter(([, w]) => w && Number(w) > 0);
  return JSON.stringify(Object.fromEntries(entries.map(([k, w]) => [k, Number(w)])));
}

export function ProposalPage() {
  const { slug = '', id = '' } = useParams<{ slug: string; id: string }>();
  const { config, me } = useSession();
  const base = `/v1/communities/${encodeURIComponent(slug)}/proposals/${encodeURIComponent(id)}`;
  const proposal = useApi<{ proposal: Proposal } | Proposal>(base, { pollMs: 5000 });
  const p =
    proposal.data && 'proposal' in proposal.data
      ? proposal.data.proposal
      : (proposal.data as Proposal | undefined);
  const [single, setSingle] = useState(1);
  const [approved, setApproved] = useState<number[]>([]);
  const [weights, setWeights] = useState<Record<number, string>>({});
  const [voted, setVoted] = useState<string | undefined>();

  const vote = useAction(async () => {
    if (!config || !p) return;
    const provider = requireProvider();
    const { address } = await connectWallet(provider, config);
    const choice = choiceJson(p.type, single, approved, weights);
    const typed = await api.get<TypedData>(`${base}/vote-typed-data`, { query: { voter: address, choice } });
    const signature = await signTypedData(provider, address, typed);
    const result = await api.post<{ vote: { power: string } }>(`${base}/votes`, {
      message: typed.message,
      signature,
    });
    setVoted(`Your vote counted with power ${result.vote.power}.`);
    await proposal.reload();
  });

  return (
    <section aria-labelledby="proposal-title">
      <CommunityHeader slug={slug} />
      <LoadError error={proposal.error} what="Proposals and voting" />
      {!p && !proposal.error ? <Loading /> : null}
      {p ? (
        <>
          <h1 id="proposal-title">{p.title}</h1>
          <p className="muted">
            {p.type} · {p.status} · {formatDate(p.startsAt)} – {formatDate(p.endsAt)} · snapshot block{' '}
            {p.snapshotBlock}
          </p>
          <p className="prewrap">{p.body}</p>
          <h2>Live tally</h2>
          <Tally proposal={p} />
          <p>
            {p.tally.votes} votes, total power {p.tally.totalPower}
            {p.quorumRequired ? ` · quorum ${p.quorumRequired}` : ''} · quorum{' '}
            {p.quorumReached ? 'reached' : 'not reached'}
          </p>
          {p.myVote ? (
            <p className="note note-info">
              You voted {p.myVote.choice} with power {p.myVote.power}.
            </p>
          ) : null}
          {p.status === 'active' && me ? (
            <form
              className="panel"
              onSubmit={(e) => {
                e.preventDefault();
                void vote.run();
              }}
            >
              <fieldset>
                <legend>Your vote</legend>
                {p.choices.map((choice, i) => {
                  const n = i + 1;
                  if (p.type === 'single-choice') {
                    return (
                      <label key={choice} className="inline">
                        <input
                          type="radio"
                          name="choice"
                          checked={single === n}
                          onChange={() => setSingle(n)}
                        />{' '}
                        {choice}
                      </label>
                    );
                  }
                  if (p.type === 'approval') {
                    return (
                      <label key={choice} className="inline">
                        <input
                          type="checkbox"
                          checked={approved.includes(n)}
                          onChange={(e) =>
                            setApproved(e.target.checked ? [...approved, n] : approved.filter((a) => a !== n))
                          }
                        />{' '}
                        {choice}
                      </label>
                    );
                  }
                  return (
                    <div key={choice} className="field">
                      <label htmlFor={`w-${n}`}>Weight for {choice}</label>
                      <input
                        id={`w-${n}`}
                        inputMode="numeric"
                        value={weights[n] ?? ''}
                        onChange={(e) => setWeights({ ...weights, [n]: e.target.value })}
                      />
                    </div>
                  );
                })}
              </fieldset>
              <button type="submit" disabled={vote.pending}>
                {vote.pending ? 'Sign in your wallet…' : 'Sign and vote'}
              </button>
              <p role="status">{voted ?? ''}</p>
              <ErrorNote error={vote.error} />
            </form>
          ) : null}
          <p>
            <a href={`${base}/votes`}>Every vote with its signature (JSON)</a>
          </p>
        </>
      ) : null}
    </section>
  );
}

function NewProposalForm({ slug, onCreated }: { slug: string; onCreated(): void }) {
  const { config } = useSession();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [choices, setChoices] = useState('For\nAgainst\nAbstain');
  const [type, setType] = useState<ProposalType>('single-choice');
  const [hours, setHours] = useState('72');
  const [strategy, setStrategy] = useState('tier-member');
  const [token, setToken] = useState(config?.demo?.contracts.CommunityToken ?? '');
  const [quorum, setQuorum] = useState('1');
  const create = useAction(async () => {
    const start = new Date(Date.now() + 5_000);
    const chainId = config?.chains[0]?.chainId ?? 31337;
    await api.post(`/v1/communities/${encodeURIComponent(slug)}/proposals`, {
      title: title.trim(),
      body: body.trim(),
      choices: choices
        .split('\n')
        .map((c) => c.trim())
        .filter(Boolean),
      type,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + Number(hours) * 3_600_000).toISOString(),
      quorum: { kind: 'absolute', value: quorum.trim() || '1' },
      strategy:
        strategy === 'tier-member'
          ? { kind: strategy, params: { minRank: 1 } }
          : { kind: strategy, params: { chainId, token } },
    });
    setTitle('');
    onCreated();
  });
  return (
    <details className="panel">
      <summary>Open a proposal (admins)</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label htmlFor="pr-title">Title</label>
        <input id="pr-title" required value={title} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="pr-body">Body</label>
        <textarea id="pr-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        <label htmlFor="pr-choices">Choices (one per line)</label>
        <textarea id="pr-choices" rows={3} value={choices} onChange={(e) => setChoices(e.target.value)} />
        <div className="row">
          <div>
            <label htmlFor="pr-type">Type</label>
            <select id="pr-type" value={type} onChange={(e) => setType(e.target.value as ProposalType)}>
              <option value="single-choice">single choice</option>
              <option value="approval">approval</option>
              <option value="weighted">weighted</option>
              <option value="quadratic">quadratic</option>
            </select>
          </div>
          <div>
            <label htmlFor="pr-hours">Open for (hours)</label>
            <input
              id="pr-hours"
              inputMode="numeric"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="pr-quorum">Quorum (voting power)</label>
            <input
              id="pr-quorum"
              inputMode="numeric"
              value={quorum}
              onChange={(e) => setQuorum(e.target.value)}
            />
          </div>
        </div>
        <label htmlFor="pr-strategy">Voting power</label>
        <select id="pr-strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)}>
          <option value="tier-member">one vote per member</option>
          <option value="erc20-balance">token balance at snapshot</option>
          <option value="erc20-votes">delegated token votes</option>
          <option value="erc721-count">NFTs held</option>
        </select>
        {strategy !== 'tier-member' ? (
          <>
            <label htmlFor="pr-token">Token address</label>
            <input id="pr-token" value={token} onChange={(e) => setToken(e.target.value)} />
          </>
        ) : null}
        <button type="submit" disabled={create.pending}>
          Open proposal
        </button>
        <ErrorNote error={create.error} />
      </form>
    </details>
  );
}

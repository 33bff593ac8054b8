import { useEffect, useRef, useState } from 'preact/hooks';
import { follow, graphqlEndpoint, request, type ApiError } from './api';
import { asApiError, ErrorNote, formatTime, Loading, Page, seconds, TableBox, useLoad } from './ui';

const types = ['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'] as const;
const statuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
const running = new Set(['PENDING', 'PROCESSING']);

interface GenerationSummary {
  id: string;
  type: string;
  status: string;
  provider: string;
  model: string | null;
  url: string | null;
  progress: number;
  creditCost: number;
  estimatedTime: number;
  errorCode: string | null;
  error: { code: string; message: string } | null;
  metadata: { width: number | null; height: number | null; duration: number | null; format: string | null } | null;
  input: { text?: string } | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

interface GenerationDetails extends GenerationSummary {
  livemode: boolean;
  options: Record<string, unknown>;
  priority: string | null;
  webhookUrl: string | null;
  updatedAt: string;
  routing: {
    provider: string;
    reason: string;
    priority: string | null;
    candidates: Array<{ provider: string; score: number | null; eligible: boolean; reason: string | null }>;
  } | null;
  attempts: Array<{
    provider: string;
    creditCost: number | null;
    startedAt: string;
    endedAt: string | null;
    outcome: string | null;
    errorCode: string | null;
    message: string | null;
  }>;
}

const summaryFields =
  'id type status provider model url progress creditCost estimatedTime errorCode error { code message } metadata { width height duration format } input createdAt startedAt completedAt';

const listQuery = `query ConsoleGenerations($first: Int, $after: String, $status: GenerationStatus, $type: GenerationType) {
  generations(first: $first, after: $after, status: $status, type: $type) { nodes { ${summaryFields} } pageInfo { hasNextPage endCursor } }
}`;
const detailsQuery = `query ConsoleGeneration($id: ID!) {
  generation(id: $id) { ${summaryFields} livemode options priority webhookUrl updatedAt
    routing { provider reason priority candidates { provider score eligible reason } }
    attempts { provider creditCost startedAt endedAt outcome errorCode message } }
}`;
const updatesQuery = `subscription ConsoleGenerationUpdated($id: ID!) { generationUpdated(id: $id) { ${summaryFields} } }`;
const cancelMutation = `mutation ConsoleCancel($id: ID!) { cancelGeneration(id: $id) }`;
const generateMutation = `mutation ConsoleGenerate($input: GenerateInput!) { generate(input: $input) { ${summaryFields} } }`;
const providersQuery = `query ConsoleProviders($type: GenerationType!) { providers(type: $type) { id name available pricing { creditCost estimatedTime } } }`;

export function Generations({ apiKey }: { apiKey: string }) {
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [items, setItems] = useState<GenerationSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [open, setOpen] = useState<{ id: string; opener: HTMLElement | null }>();

  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const data = await request<{ generations: { nodes: GenerationSummary[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        graphqlEndpoint,
        apiKey,
        listQuery,
        {
          first: 24,
          after,
          status: status || null,
          type: type || null,
        },
      );
      setItems((previous) => (after ? [...previous, ...data.generations.nodes] : data.generations.nodes));
      setNext(data.generations.pageInfo.hasNextPage ? data.generations.pageInfo.endCursor : null);
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(null), [apiKey, type, status]);

  // A status change is announced once, politely, so a screen reader hears a generation end without
  // every progress step being read out.
  const [announcement, setAnnouncement] = useState('');
  const update = (item: GenerationSummary) =>
    setItems((previous) =>
      previous.map((entry) => {
        if (entry.id !== item.id) return entry;
        if (entry.status !== item.status) setAnnouncement(`${item.input?.text ?? item.id}: ${item.status.toLowerCase()}`);
        return { ...entry, ...item };
      }),
    );
  const cancel = async (id: string) => {
    try {
      await request(graphqlEndpoint, apiKey, cancelMutation, { id });
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <Page title="Generations">
      <NewGeneration apiKey={apiKey} onCreated={(item) => setItems((previous) => [item, ...previous])} />
      <form class="filters" aria-label="Filter generations" onSubmit={(event) => event.preventDefault()}>
        <label>
          Type
          <select value={type} onChange={(event) => setType(event.currentTarget.value)}>
            <option value="">All types</option>
            {types.map((value) => (
              <option value={value}>{value.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
            <option value="">All statuses</option>
            {statuses.map((value) => (
              <option value={value}>{value.toLowerCase()}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={error} />
      <p class="visually-hidden" aria-live="polite" data-testid="announcement">
        {announcement}
      </p>
      <ul class="gallery" aria-label="Generations, newest first">
        {items.map((item) => (
          <Card key={item.id} apiKey={apiKey} item={item} onUpdate={update} onCancel={cancel} onOpen={(opener) => setOpen({ id: item.id, opener })} />
        ))}
      </ul>
      <Loading when={loading} />
      {!loading && items.length === 0 && !error ? <p class="muted">No generations{type || status ? ' match these filters' : ' yet'}.</p> : null}
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          Load more
        </button>
      ) : null}
      {open ? (
        <Details
          apiKey={apiKey}
          id={open.id}
          onClose={() => {
            open.opener?.focus();
            setOpen(undefined);
          }}
        />
      ) : null}
    </Page>
  );
}

function Card({
  apiKey,
  item,
  onUpdate,
  onCancel,
  onOpen,
}: {
  apiKey: string;
  item: GenerationSummary;
  onUpdate: (item: GenerationSummary) => void;
  onCancel: (id: string) => void;
  onOpen: (opener: HTMLElement) => void;
}) {
  const live = running.has(item.status);
  // A running generation is followed over the subscription until it ends.
  useEffect(() => (live ? follow<GenerationSummary>(apiKey, updatesQuery, item.id, onUpdate, () => undefined) : undefined), [apiKey, item.id, live]);
  const prompt = item.input?.text ?? '';
  return (
    <li class="card" data-status={item.status} data-id={item.id}>
      <Preview item={item} prompt={prompt} />
      <div class="card-body">
        <p class="prompt" title={prompt}>
          {prompt || <span class="muted">(no prompt)</span>}
        </p>
        <p class="meta">
          <span class={`badge status-${item.status.toLowerCase()}`}>{item.status.toLowerCase()}</span> {item.type.toLowerCase()} · {item.provider} ·{' '}
          {item.creditCost} credits
        </p>
        {live ? (
          <p class="progress-line">
            <progress max={100} value={item.progress} aria-label={`Progress of ${item.id}`} /> <span>{item.progress}%</span>
          </p>
        ) : null}
        {item.error ? (
          <p class="error-line">
            <strong>{item.error.code}</strong> {item.error.message}
          </p>
        ) : null}
        <div class="card-actions">
          <button type="button" onClick={(event) => onOpen(event.currentTarget)} aria-label={`Details of ${item.id}`}>
            Details
          </button>
          {live ? (
            <button type="button" class="danger" onClick={() => onCancel(item.id)} aria-label={`Cancel ${item.id}`}>
              Cancel
            </button>
          ) : null}
        </div>
      </div>
    </li>
  );
}

function Preview({ item, prompt }: { item: GenerationSummary; prompt: string }) {
  if (item.status !== 'COMPLETED' || !item.url)
    return (
      <div class="preview placeholder" aria-hidden="true">
        {item.type.toLowerCase()}
      </div>
    );
  if (item.type === 'IMAGE') return <img class="preview" src={item.url} alt={prompt ? `Image: ${prompt}` : 'Generated image'} loading="lazy" />;
  if (item.type === 'AUDIO')
    return (
      <div class="preview audio">
        <audio controls preload="metadata" src={item.url} aria-label={`Audio of ${item.id}`} />
      </div>
    );
  return (
    <video
      class="preview"
      controls
      preload="metadata"
      playsInline
      muted
      src={item.url}
      aria-label={`${item.type === 'AVATAR' ? 'Avatar video' : 'Video'} of ${item.id}`}
    />
  );
}

function Details({ apiKey, id, onClose }: { apiKey: string; id: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { value, error, loading } = useLoad(
    () => request<{ generation: GenerationDetails | null }>(graphqlEndpoint, apiKey, detailsQuery, { id }),
    [apiKey, id],
  );
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const generation = value?.generation;
  return (
    <dialog ref={dialog} class="details" aria-labelledby="details-title" onClose={onClose}>
      <div class="page-head">
        <h2 id="details-title">Generation {id}</h2>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          Close
        </button>
      </div>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {generation ? (
        <div class="details-body">
          <dl class="facts">
            <dt>Status</dt>
            <dd>{generation.status.toLowerCase()}</dd>
            <dt>Type</dt>
            <dd>{generation.type.toLowerCase()}</dd>
            <dt>Provider</dt>
            <dd>
              {generation.provider}
              {generation.model ? ` (${generation.model})` : ''}
            </dd>
            <dt>Cost</dt>
            <dd>{generation.creditCost} credits</dd>
            <dt>Mode</dt>
            <dd>{generation.livemode ? 'live' : 'test (sandbox)'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(generation.createdAt)}</dd>
            <dt>Queued for</dt>
            <dd>{seconds(generation.createdAt, generation.startedAt)}</dd>
            <dt>Ran for</dt>
            <dd>
              {seconds(generation.startedAt, generation.completedAt)} (estimated {generation.estimatedTime} s)
            </dd>
            <dt>Ended</dt>
            <dd>{formatTime(generation.completedAt)}</dd>
            {generation.error ? (
              <>
                <dt>Error</dt>
                <dd class="error-line">
                  <strong>{generation.error.code}</strong> {generation.error.message}
                </dd>
              </>
            ) : null}
          </dl>
          <h3>Routing</h3>
          {generation.routing ? (
            <>
              <p class="routing-reason">{generation.routing.reason}</p>
              {generation.routing.candidates.length > 0 ? (
                <TableBox label="Candidates">
                  <thead>
                    <tr>
                      <th scope="col">Provider</th>
                      <th scope="col">Score</th>
                      <th scope="col">Eligible</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {generation.routing.candidates.map((candidate) => (
                      <tr>
                        <td>{candidate.provider}</td>
                        <td>{candidate.score === null ? '—' : candidate.score.toFixed(2)}</td>
                        <td>{candidate.eligible ? 'yes' : 'no'}</td>
                        <td>{candidate.reason ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </TableBox>
              ) : null}
            </>
          ) : (
            <p class="muted">No routing record.</p>
          )}
          <h3>Attempts</h3>
          <TableBox label="Attempts">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Credits</th>
                <th scope="col">Started</th>
                <th scope="col">Took</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {generation.attempts.map((attempt) => (
                <tr>
                  <td>{attempt.provider}</td>
                  <td>{attempt.creditCost ?? '—'}</td>
                  <td>{formatTime(attempt.startedAt)}</td>
                  <td>{seconds(attempt.startedAt, attempt.endedAt)}</td>
                  <td>
                    {attempt.outcome ?? 'running'}
                    {attempt.errorCode ? ` (${attempt.errorCode}${attempt.message ? `: ${attempt.message}` : ''})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </TableBox>
          <h3>Request</h3>
          <pre class="json">
            {JSON.stringify(
              { input: generation.input, options: generation.options, priority: generation.priority, webhookUrl: generation.webhookUrl },
              null,
              2,
            )}
          </pre>
        </div>
      ) : null}
    </dialog>
  );
}

function NewGeneration({ apiKey, onCreated }: { apiKey: string; onCreated: (item: GenerationSummary) => void }) {
  const [type, setType] = useState('IMAGE');
  const [prompt, setPrompt] = useState('');
  const [provider, setProvider] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const providers = useLoad(
    () =>
      request<{ providers: Array<{ id: string; name: string; available: boolean; pricing: { creditCost: number; estimatedTime: number } }> }>(
        graphqlEndpoint,
        apiKey,
        providersQuery,
        { type },
      ),
    [apiKey, type],
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const data = await request<{ generate: GenerationSummary }>(graphqlEndpoint, apiKey, generateMutation, {
        input: { type, input: { text: prompt }, ...(provider ? { provider } : {}) },
      });
      onCreated(data.generate);
      setPrompt('');
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="new-generation">
      <summary>New generation</summary>
      <form onSubmit={submit} aria-label="New generation">
        <label>
          Type
          <select
            value={type}
            onChange={(event) => {
              setType(event.currentTarget.value);
              setProvider('');
            }}
          >
            {types.map((value) => (
              <option value={value}>{value.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <label>
          Provider
          <select value={provider} onChange={(event) => setProvider(event.currentTarget.value)}>
            <option value="">Chosen automatically</option>
            {(providers.value?.providers ?? []).map((entry) => (
              <option value={entry.id} disabled={!entry.available}>
                {entry.name} · {entry.pricing.creditCost} credits · ~{entry.pricing.estimatedTime} s
              </option>
            ))}
          </select>
        </label>
        <label class="wide">
          Prompt
          <textarea required rows={2} value={prompt} onInput={(event) => setPrompt(event.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Generate
        </button>
      </form>
      <ErrorNote error={error} />
    </details>
  );
}

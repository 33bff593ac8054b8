// The Generations page: the filters, the gallery of generations newest first and its paging, with
// the card (gallery.tsx), details dialog (details.tsx) and new-generation form in their own modules.
import { useEffect, useState } from 'preact/hooks';
import { graphqlEndpoint, request, type ApiError } from './api';
import { Details } from './details';
import { Card } from './gallery';
import { summaryFields, types, type GenerationSummary } from './generation';
import { NewGeneration } from './new-generation';
import { asApiError, ErrorNote, Loading, Page } from './ui';

const statuses = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;

const listQuery = `query ConsoleGenerations($first: Int, $after: String, $status: GenerationStatus, $type: GenerationType) {
  generations(first: $first, after: $after, status: $status, type: $type) { nodes { ${summaryFields} } pageInfo { hasNextPage endCursor } }
}`;
const cancelMutation = `mutation ConsoleCancel($id: ID!) { cancelGeneration(id: $id) }`;

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

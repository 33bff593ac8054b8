// One card of the generations gallery: its preview, progress and actions, following a running
// generation live; kept apart from the list so the page reads as filters, cards and dialog.
import { useEffect } from 'preact/hooks';
import { follow } from './api';
import { summaryFields, type GenerationSummary } from './generation';

const running = new Set(['PENDING', 'PROCESSING']);

const updatesQuery = `subscription ConsoleGenerationUpdated($id: ID!) { generationUpdated(id: $id) { ${summaryFields} } }`;

export function Card({
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

/**
 * The GraphiQL page in the browser: GraphiQL with the product page's operations as tabs, a field for
 * the API key (kept in localStorage, sent as a bearer token), and a results panel that follows each
 * generation a result mentions, live over Server-Sent Events, and shows the image, sound or video
 * when it is ready. Bundled by build.ts; the server writes `window.DOITONG_GRAPHIQL` into the page.
 */
import { createClient, type Client } from 'graphql-sse';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import '@graphiql/react/style.css';
import '@graphiql/plugin-doc-explorer/style.css';
import '@graphiql/plugin-history/style.css';
import 'graphiql/graphiql.css';

interface Settings {
  endpoint: string;
  /** Where this page's files are served (`<mount>/graphiql`), and their version for the URLs. */
  assets: string;
  version: string;
  examples: Array<{ query: string; variables?: string }>;
}

interface GenerationView {
  id: string;
  status: string;
  type?: string;
  provider?: string;
  progress?: number;
  url?: string;
  metadata?: { width?: number; height?: number; duration?: number; format?: string };
  error?: { code?: string; message?: string } | null;
}

type Params = { query: string; operationName?: string | null; variables?: Record<string, unknown> | null };
type FetcherOptions = {
  headers?: Record<string, string>;
  documentAST?: { definitions: ReadonlyArray<{ kind: string; operation?: string; name?: { value: string } }> };
};

const settings = (window as unknown as { DOITONG_GRAPHIQL: Settings }).DOITONG_GRAPHIQL;
const endpoint = settings.endpoint;

// Monaco runs its language services (GraphQL, JSON, the editor's own) in workers, served beside this file.
(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const name = label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor';
    return new Worker(`${settings.assets}/${name}.worker.js?v=${encodeURIComponent(settings.version)}`);
  },
};

/**
 * The schema's JSON scalar (`options`, `metadata`) holds any JSON value: said to the variables
 * editor, which otherwise allows only strings, numbers and booleans for a scalar it does not know
 * and marks every `options` object as an error.
 */
const customScalarSchemas = {
  JSON: {
    description: 'Any JSON value',
    type: ['object', 'array', 'string', 'number', 'boolean'] as Array<'object' | 'array' | 'string' | 'number' | 'boolean'>,
  },
};

const keyInput = document.getElementById('doitong-key') as HTMLInputElement;
const keyState = document.getElementById('doitong-key-state')!;
const storageKey = 'doitong.apiKey';
keyInput.value = localStorage.getItem(storageKey) ?? '';
if (keyInput.value) keyState.textContent = 'key saved';
let renderSoon: ReturnType<typeof setTimeout> | undefined;
keyInput.addEventListener('input', () => {
  localStorage.setItem(storageKey, keyInput.value.trim());
  keyState.textContent = keyInput.value.trim() ? 'key saved' : '';
  // A new fetcher makes GraphiQL load the schema again, now with the key.
  clearTimeout(renderSoon);
  renderSoon = setTimeout(mountGraphiql, 300);
});
document.getElementById('doitong-key-toggle')!.addEventListener('click', (event) => {
  keyInput.type = keyInput.type === 'password' ? 'text' : 'password';
  (event.target as HTMLElement).textContent = keyInput.type === 'password' ? 'Show' : 'Hide';
});

function authorization(): Record<string, string> {
  const key = keyInput.value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

const streams: Client = createClient({ url: endpoint, headers: () => authorization(), retryAttempts: 0 });

function operationOf(params: Params, options?: FetcherOptions): string {
  for (const definition of options?.documentAST?.definitions ?? []) {
    if (definition.kind !== 'OperationDefinition') continue;
    if (!params.operationName || definition.name?.value === params.operationName) return definition.operation ?? 'query';
  }
  return /^\s*subscription\b/m.test(params.query.replace(/#.*$/gm, '')) ? 'subscription' : 'query';
}

function fetcher(params: Params, options?: FetcherOptions): Promise<unknown> | AsyncIterableIterator<unknown> {
  const headers = { ...authorization(), ...options?.headers };
  if (!headers.Authorization && !headers.authorization) {
    return Promise.resolve({
      errors: [
        { message: 'Enter your API key in the field at the top (the demo prints a dk_test_… key when it starts).', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    });
  }
  if (operationOf(params, options) === 'subscription') {
    const live = createClient({ url: endpoint, headers: () => headers, retryAttempts: 0 });
    const iterator = live.iterate({
      query: params.query,
      variables: params.variables ?? {},
      ...(params.operationName ? { operationName: params.operationName } : {}),
    });
    const stream: AsyncIterableIterator<unknown> = {
      async next() {
        const step = await iterator.next();
        if (!step.done) observe(step.value);
        return step;
      },
      async return() {
        live.dispose();
        return iterator.return ? iterator.return() : { done: true, value: undefined };
      },
      async throw(error: unknown) {
        live.dispose();
        return iterator.throw ? iterator.throw(error) : Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return stream;
      },
    };
    return stream;
  }
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(params),
  })
    .then((response) => response.json())
    .then((result: unknown) => {
      observe(result);
      return result;
    });
}

// The results panel: one card per generation a result mentioned, kept live until it ends.
interface Card {
  node: HTMLElement;
  state: GenerationView;
  steps: string[];
  started: number;
}
const cards = new Map<string, Card>();
const followed = new Set<string>();
const list = document.getElementById('doitong-results')!;
const empty = document.getElementById('doitong-results-empty')!;
const finished = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

function observe(result: unknown): void {
  const seen: GenerationView[] = [];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && record.id.startsWith('gen_') && typeof record.status === 'string') seen.push(record as unknown as GenerationView);
    Object.values(record).forEach(walk);
  };
  walk((result as { data?: unknown } | undefined)?.data);
  for (const generation of seen) {
    showGeneration(generation);
    if (!finished.has(generation.status)) follow(generation.id);
  }
}

function follow(id: string): void {
  if (followed.has(id)) return;
  followed.add(id);
  streams.subscribe<{ generationUpdated?: GenerationView }>(
    {
      query:
        'subscription Follow($id: ID!) { generationUpdated(id: $id) { id type status provider progress url metadata { width height duration format } error { code message } } }',
      variables: { id },
    },
    {
      next: (result) => {
        if (result.data?.generationUpdated) showGeneration(result.data.generationUpdated);
      },
      error: () => followed.delete(id),
      complete: () => {},
    },
  );
}

function kindOf(generation: GenerationView): 'image' | 'audio' | 'video' {
  const format = generation.metadata?.format ?? '';
  const path = (generation.url ?? '').split('?')[0] ?? '';
  if (generation.type === 'IMAGE' || /^(png|jpe?g|webp)$/.test(format) || /\.(png|jpe?g|webp)$/.test(path)) return 'image';
  if (generation.type === 'AUDIO' || /^(wav|mp3)$/.test(format) || /\.(wav|mp3)$/.test(path)) return 'audio';
  return 'video';
}

function element<Tag extends keyof HTMLElementTagNameMap>(tag: Tag, className?: string, text?: string): HTMLElementTagNameMap[Tag] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showGeneration(update: GenerationView): void {
  let card = cards.get(update.id);
  if (!card) {
    card = { node: element('div', 'doitong-card'), state: { id: update.id, status: update.status }, steps: [], started: Date.now() };
    card.node.setAttribute('data-generation', update.id);
    cards.set(update.id, card);
    list.insertBefore(card.node, list.firstChild);
    empty.style.display = 'none';
  }
  const state = Object.assign(card.state, update);
  // The way it went, as the live updates told it: PENDING → PROCESSING 40% → COMPLETED.
  const step = state.status === 'PROCESSING' && state.progress ? `PROCESSING ${state.progress}%` : state.status;
  if (card.steps[card.steps.length - 1] !== step) card.steps.push(step);
  card.node.setAttribute('data-status', state.status);
  card.node.replaceChildren();
  const title = element('div', 'doitong-card-title');
  title.appendChild(element('span', '', [state.type, state.provider].filter(Boolean).join(' · ') || 'generation'));
  const badge = element('span', 'doitong-status', state.status);
  badge.setAttribute('data-status', state.status);
  title.appendChild(badge);
  card.node.appendChild(title);
  card.node.appendChild(element('div', 'doitong-card-id', state.id));
  if (!finished.has(state.status)) {
    const bar = element('div', 'doitong-progress');
    const fill = element('div');
    fill.style.width = `${Math.max(3, state.progress ?? 0)}%`;
    bar.appendChild(fill);
    card.node.appendChild(bar);
    card.node.appendChild(element('div', 'doitong-meta', `${state.progress ?? 0}%`));
  }
  if (state.status === 'COMPLETED' && state.url) {
    const preview = element('div', 'doitong-preview');
    const kind = kindOf(state);
    const media = kind === 'image' ? element('img') : element(kind);
    media.src = state.url;
    if (media instanceof HTMLImageElement) media.alt = 'The generated image';
    else media.controls = true;
    preview.appendChild(media);
    card.node.appendChild(preview);
    const link = element('a', '', 'Open the file');
    link.href = state.url;
    link.target = '_blank';
    const meta = element('div', 'doitong-meta');
    const facts = state.metadata ?? {};
    meta.textContent = `${[facts.format, facts.width && facts.height ? `${facts.width}×${facts.height}` : '', facts.duration ? `${facts.duration} s` : ''].filter(Boolean).join(' · ')} · `;
    meta.appendChild(link);
    card.node.appendChild(meta);
  }
  if (state.error?.code) card.node.appendChild(element('div', 'doitong-error', `${state.error.code}: ${state.error.message ?? ''}`));
  const elapsed = finished.has(state.status) ? ` (${((Date.now() - card.started) / 1000).toFixed(1)} s)` : '';
  card.node.appendChild(element('div', 'doitong-steps', card.steps.join(' → ') + elapsed));
}

const root = createRoot(document.getElementById('graphiql')!);
// GraphiQL opens the first default tab without its variables: hand them over on a first visit.
const initialVariables = localStorage.getItem('graphiql:tabState') ? undefined : settings.examples[0]?.variables;
function mountGraphiql(): void {
  root.render(
    <GraphiQL
      fetcher={(params, options) => fetcher(params as Params, options as FetcherOptions) as ReturnType<NonNullable<Parameters<typeof GraphiQL>[0]['fetcher']>>}
      defaultTabs={settings.examples}
      defaultEditorToolsVisibility
      isHeadersEditorEnabled
      customScalarSchemas={customScalarSchemas}
      {...(initialVariables === undefined ? {} : { initialVariables })}
    />,
  );
}
mountGraphiql();

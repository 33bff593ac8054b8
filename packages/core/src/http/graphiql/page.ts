import { exampleTabs } from './examples';

/**
 * The GraphiQL page served at the mount path to browsers. Every script and stylesheet comes from
 * this server (`<mount>/graphiql/…`, read from node_modules), so it works offline. Around GraphiQL:
 * a field for the API key (kept in the browser's localStorage, sent as a bearer token), and a
 * panel that follows each generation a result mentions, live over Server-Sent Events, and shows
 * the image, sound or video when it is ready.
 */
export function graphiqlPage(mountPath: string, assetVersion: string): string {
  const asset = (name: string) => escapeHtml(`${mountPath}/graphiql/${name}?v=${encodeURIComponent(assetVersion)}`);
  const settings = { endpoint: mountPath || '/', examples: exampleTabs };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Doitong · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>${styles}</style>
</head>
<body>
<header class="doitong-bar">
  <strong class="doitong-name">Doitong</strong>
  <span class="doitong-tagline">one GraphQL API for video, image, voice and avatar generation</span>
  <form class="doitong-key" onsubmit="return false">
    <label for="doitong-key">API key</label>
    <input id="doitong-key" type="password" autocomplete="off" spellcheck="false" placeholder="dk_test_…">
    <button id="doitong-key-toggle" type="button">Show</button>
    <span id="doitong-key-state" class="doitong-key-state"></span>
  </form>
</header>
<main class="doitong-main">
  <div id="graphiql" class="doitong-graphiql">Loading GraphiQL…</div>
  <aside class="doitong-results" aria-label="Results">
    <h2>Results</h2>
    <p id="doitong-results-empty" class="doitong-muted">Run a <code>generate</code> mutation: its progress and its file appear here.</p>
    <div id="doitong-results"></div>
  </aside>
</main>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('graphql-sse.min.js')}"></script>
<script>window.DOITONG_GRAPHIQL = ${JSON.stringify(settings).replace(/</g, '\\u003c')};</script>
<script>${script}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const styles = `
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.doitong-bar { display: flex; align-items: center; gap: 12px; padding: 8px 16px; background: #0f172a; color: #e2e8f0; flex-wrap: wrap; }
.doitong-name { font-size: 18px; letter-spacing: 0.5px; color: #fff; }
.doitong-tagline { color: #94a3b8; font-size: 13px; flex: 1; }
.doitong-key { display: flex; align-items: center; gap: 8px; font-size: 13px; margin: 0; }
.doitong-key input { width: 300px; padding: 5px 8px; border-radius: 6px; border: 1px solid #334155; background: #1e293b; color: #f8fafc; font-family: ui-monospace, monospace; }
.doitong-bar button { padding: 5px 10px; border-radius: 6px; border: 1px solid #334155; background: #1e293b; color: #e2e8f0; cursor: pointer; }
.doitong-key-state { font-size: 12px; color: #86efac; min-width: 80px; }
.doitong-main { flex: 1; display: flex; min-height: 0; }
.doitong-graphiql { flex: 1; min-width: 0; height: 100%; }
.doitong-results { width: 360px; overflow-y: auto; border-left: 1px solid #e2e8f0; padding: 0 14px 14px; background: #f8fafc; }
.doitong-results h2 { font-size: 15px; margin: 14px 0 8px; }
.doitong-muted { color: #64748b; font-size: 13px; }
.doitong-card { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 10px; margin-bottom: 12px; box-shadow: 0 1px 2px rgba(15, 23, 42, 0.05); }
.doitong-card-title { display: flex; justify-content: space-between; gap: 8px; font-size: 13px; }
.doitong-card-id { font-family: ui-monospace, monospace; color: #475569; font-size: 11px; word-break: break-all; }
.doitong-status { font-weight: 600; font-size: 11px; padding: 2px 7px; border-radius: 999px; background: #e2e8f0; color: #334155; white-space: nowrap; }
.doitong-status[data-status="COMPLETED"] { background: #dcfce7; color: #166534; }
.doitong-status[data-status="FAILED"], .doitong-status[data-status="CANCELLED"] { background: #fee2e2; color: #991b1b; }
.doitong-status[data-status="PROCESSING"] { background: #dbeafe; color: #1e40af; }
.doitong-progress { height: 6px; background: #e2e8f0; border-radius: 999px; margin: 8px 0; overflow: hidden; }
.doitong-progress > div { height: 100%; background: linear-gradient(90deg, #6366f1, #06b6d4); transition: width 0.3s; }
.doitong-preview img, .doitong-preview video { width: 100%; border-radius: 6px; display: block; background: #0f172a; }
.doitong-preview audio { width: 100%; }
.doitong-meta { font-size: 11px; color: #64748b; margin-top: 6px; }
.doitong-error { font-size: 12px; color: #991b1b; margin-top: 6px; }
.doitong-steps { font-size: 11px; color: #475569; margin-top: 6px; font-family: ui-monospace, monospace; }
`;

// Plain ES2019 for the browser, no build step: React and GraphiQL are the UMD globals loaded above.
const script = `
(function () {
  var settings = window.DOITONG_GRAPHIQL;
  var endpoint = settings.endpoint;
  var keyInput = document.getElementById('doitong-key');
  var keyState = document.getElementById('doitong-key-state');
  var storageKey = 'doitong.apiKey';
  keyInput.value = localStorage.getItem(storageKey) || '';
  var renderSoon;
  keyInput.addEventListener('input', function () {
    localStorage.setItem(storageKey, keyInput.value.trim());
    keyState.textContent = keyInput.value.trim() ? 'key saved' : '';
    // A new fetcher makes GraphiQL load the schema again, now with the key.
    clearTimeout(renderSoon);
    renderSoon = setTimeout(mountGraphiql, 300);
  });
  document.getElementById('doitong-key-toggle').addEventListener('click', function (event) {
    keyInput.type = keyInput.type === 'password' ? 'text' : 'password';
    event.target.textContent = keyInput.type === 'password' ? 'Show' : 'Hide';
  });
  if (keyInput.value) keyState.textContent = 'key saved';

  function authorization() {
    var key = keyInput.value.trim();
    return key ? { Authorization: 'Bearer ' + key } : {};
  }
  function assign(target) {
    for (var index = 1; index < arguments.length; index += 1) {
      var source = arguments[index] || {};
      for (var name in source) if (Object.prototype.hasOwnProperty.call(source, name)) target[name] = source[name];
    }
    return target;
  }

  var streams = graphqlSse.createClient({ url: endpoint, headers: function () { return authorization(); }, retryAttempts: 0 });

  function operationOf(params, options) {
    var document = options && options.documentAST;
    if (document) {
      for (var index = 0; index < document.definitions.length; index += 1) {
        var definition = document.definitions[index];
        if (definition.kind !== 'OperationDefinition') continue;
        if (!params.operationName || (definition.name && definition.name.value === params.operationName)) return definition.operation;
      }
    }
    return /^\\s*subscription\\b/m.test(params.query.replace(/#.*$/gm, '')) ? 'subscription' : 'query';
  }

  function fetcher(params, options) {
    var headers = assign({}, authorization(), options && options.headers);
    if (!headers.Authorization && !headers.authorization)
      return Promise.resolve({ errors: [{ message: 'Enter your API key in the field at the top (the demo prints a dk_test_… key when it starts).', extensions: { code: 'UNAUTHENTICATED' } }] });
    if (operationOf(params, options) === 'subscription') {
      var live = graphqlSse.createClient({ url: endpoint, headers: function () { return headers; }, retryAttempts: 0 });
      var iterator = live.iterate(params);
      return {
        next: function () {
          return iterator.next().then(function (step) {
            if (!step.done) observe(step.value);
            return step;
          });
        },
        return: function () { live.dispose(); return iterator.return ? iterator.return() : Promise.resolve({ done: true, value: undefined }); },
        throw: function (error) { live.dispose(); return iterator.throw ? iterator.throw(error) : Promise.reject(error); },
        [Symbol.asyncIterator]: function () { return this; },
      };
    }
    return fetch(endpoint, {
      method: 'POST',
      headers: assign({ 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' }, headers),
      body: JSON.stringify(params),
    }).then(function (response) {
      return response.json();
    }).then(function (result) {
      observe(result);
      return result;
    });
  }

  // The results panel: one card per generation a result mentioned, kept live until it ends.
  var cards = {};
  var followed = {};
  var list = document.getElementById('doitong-results');
  var empty = document.getElementById('doitong-results-empty');
  var finished = { COMPLETED: true, FAILED: true, CANCELLED: true };

  function observe(result) {
    var seen = [];
    (function walk(value) {
      if (!value || typeof value !== 'object') return;
      if (Array.isArray(value)) return value.forEach(walk);
      if (typeof value.id === 'string' && value.id.indexOf('gen_') === 0 && typeof value.status === 'string') seen.push(value);
      for (var name in value) walk(value[name]);
    })(result && result.data);
    seen.forEach(function (generation) {
      showGeneration(generation);
      if (!finished[generation.status]) follow(generation.id);
    });
  }

  function follow(id) {
    if (followed[id]) return;
    followed[id] = true;
    streams.subscribe(
      { query: 'subscription Follow($id: ID!) { generationUpdated(id: $id) { id type status provider progress url metadata { width height duration format } error { code message } } }', variables: { id: id } },
      {
        next: function (result) { if (result.data && result.data.generationUpdated) showGeneration(result.data.generationUpdated); },
        error: function () { followed[id] = false; },
        complete: function () {},
      }
    );
  }

  function kindOf(generation) {
    var format = (generation.metadata && generation.metadata.format) || '';
    var path = (generation.url || '').split('?')[0];
    if (generation.type === 'IMAGE' || /^(png|jpe?g|webp)$/.test(format) || /\\.(png|jpe?g|webp)$/.test(path)) return 'image';
    if (generation.type === 'AUDIO' || /^(wav|mp3)$/.test(format) || /\\.(wav|mp3)$/.test(path)) return 'audio';
    return 'video';
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showGeneration(update) {
    var card = cards[update.id];
    if (!card) {
      card = { node: element('div', 'doitong-card'), state: {}, steps: [], started: Date.now() };
      card.node.setAttribute('data-generation', update.id);
      cards[update.id] = card;
      list.insertBefore(card.node, list.firstChild);
      empty.style.display = 'none';
    }
    var state = assign(card.state, update);
    // The way it went, as the live updates told it: PENDING → PROCESSING 40% → COMPLETED.
    var step = state.status === 'PROCESSING' && state.progress ? 'PROCESSING ' + state.progress + '%' : state.status;
    if (card.steps[card.steps.length - 1] !== step) card.steps.push(step);
    card.node.setAttribute('data-status', state.status);
    card.node.innerHTML = '';
    var title = element('div', 'doitong-card-title');
    title.appendChild(element('span', '', [state.type, state.provider].filter(Boolean).join(' · ') || 'generation'));
    var badge = element('span', 'doitong-status', state.status);
    badge.setAttribute('data-status', state.status);
    title.appendChild(badge);
    card.node.appendChild(title);
    card.node.appendChild(element('div', 'doitong-card-id', state.id));
    if (!finished[state.status]) {
      var bar = element('div', 'doitong-progress');
      var fill = element('div');
      fill.style.width = Math.max(3, state.progress || 0) + '%';
      bar.appendChild(fill);
      card.node.appendChild(bar);
      card.node.appendChild(element('div', 'doitong-meta', (state.progress || 0) + '%'));
    }
    if (state.status === 'COMPLETED' && state.url) {
      var preview = element('div', 'doitong-preview');
      var kind = kindOf(state);
      var media = element(kind === 'image' ? 'img' : kind);
      media.src = state.url;
      if (kind !== 'image') media.controls = true;
      if (kind === 'image') media.alt = 'The generated image';
      preview.appendChild(media);
      card.node.appendChild(preview);
      var link = element('a', '', 'Open the file');
      link.href = state.url;
      link.target = '_blank';
      var meta = element('div', 'doitong-meta');
      var facts = state.metadata || {};
      meta.textContent = [facts.format, facts.width && facts.height ? facts.width + '×' + facts.height : '', facts.duration ? facts.duration + ' s' : ''].filter(Boolean).join(' · ') + ' · ';
      meta.appendChild(link);
      card.node.appendChild(meta);
    }
    if (state.error && state.error.code) card.node.appendChild(element('div', 'doitong-error', state.error.code + ': ' + state.error.message));
    var steps = element('div', 'doitong-steps', card.steps.join(' → ') + (finished[state.status] ? ' (' + ((Date.now() - card.started) / 1000).toFixed(1) + ' s)' : ''));
    card.node.appendChild(steps);
  }

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  // GraphiQL 3 opens the first default tab without its variables: hand them over on a first visit.
  var firstVisit = !localStorage.getItem('graphiql:tabState');
  function mountGraphiql() {
    var props = {
      fetcher: function (params, options) { return fetcher(params, options); },
      defaultTabs: settings.examples,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
    };
    if (firstVisit && settings.examples[0].variables) props.variables = settings.examples[0].variables;
    firstVisit = false;
    root.render(React.createElement(GraphiQL, props));
  }
  mountGraphiql();
})();
`;

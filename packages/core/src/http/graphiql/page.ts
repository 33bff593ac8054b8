import { exampleTabs } from './examples';

/**
 * The GraphiQL page served at the mount path to browsers. Its script and stylesheet are this
 * package's own bundle (GraphiQL and React built in, see graphiql/build.ts), served by this server
 * under `<mount>/graphiql/`, so it works offline. Around GraphiQL: a field for the API key (kept in
 * the browser's localStorage, sent as a bearer token), and a panel that follows each generation a
 * result mentions, live over Server-Sent Events, and shows the image, sound or video when it is ready.
 */
export function graphiqlPage(mountPath: string, assetVersion: string): string {
  const assets = `${mountPath}/graphiql`;
  const asset = (name: string) => escapeHtml(`${assets}/${name}?v=${encodeURIComponent(assetVersion)}`);
  const settings = { endpoint: mountPath || '/', assets, version: assetVersion, examples: exampleTabs };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Doitong · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.css')}">
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
<script>window.DOITONG_GRAPHIQL = ${JSON.stringify(settings).replace(/</g, '\\u003c')};</script>
<script src="${asset('graphiql.js')}"></script>
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

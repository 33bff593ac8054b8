import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Credits, Usage } from './account';
import { Accounts, Operations } from './admin';
import { adminEndpoint, credentials, graphqlEndpoint, request, type ApiError } from './api';
import { Generations } from './generations';
import { asApiError, ErrorNote, Page } from './ui';
import { Webhooks } from './webhooks';

const accountRoutes = [
  { path: 'generations', label: 'Generations' },
  { path: 'credits', label: 'Credits' },
  { path: 'usage', label: 'Usage' },
  { path: 'webhooks', label: 'Webhooks' },
] as const;
const adminRoutes = [
  { path: 'admin/accounts', label: 'Accounts' },
  { path: 'admin/operations', label: 'Providers and queue' },
] as const;

const currentRoute = () => location.hash.replace(/^#\/?/, '');

function App() {
  const [route, setRoute] = useState(currentRoute());
  const [apiKey, setApiKey] = useState(credentials.get('account'));
  const [adminKey, setAdminKey] = useState(credentials.get('admin'));
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  // After navigation (not on the first load, where Tab starts at the skip link), focus goes to the
  // new page's heading, so a screen reader announces it and the next Tab starts from the page.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else document.getElementById('page-title')?.focus();
  }, [route]);

  const signedIn = apiKey || adminKey;
  const page = !signedIn || route === 'sign-in' ? 'sign-in' : route || (apiKey ? 'generations' : 'admin/accounts');
  const go = (path: string) => {
    location.hash = `#/${path}`;
  };
  const link = (path: string, label: string) => (
    <li>
      <a href={`#/${path}`} aria-current={page === path ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <p class="brand">Doitong console</p>
        <nav aria-label="Console">
          <ul>
            {apiKey ? accountRoutes.map((entry) => link(entry.path, entry.label)) : null}
            {adminKey ? adminRoutes.map((entry) => link(entry.path, entry.label)) : null}
            {link('sign-in', signedIn ? 'Keys' : 'Sign in')}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {page === 'sign-in' ? (
          <SignIn
            apiKey={apiKey}
            adminKey={adminKey}
            onAccount={(key) => {
              credentials.set('account', key);
              setApiKey(key);
              if (key) go('generations');
            }}
            onAdmin={(key) => {
              credentials.set('admin', key);
              setAdminKey(key);
              if (key) go('admin/accounts');
            }}
          />
        ) : page === 'generations' && apiKey ? (
          <Generations apiKey={apiKey} />
        ) : page === 'credits' && apiKey ? (
          <Credits apiKey={apiKey} />
        ) : page === 'usage' && apiKey ? (
          <Usage apiKey={apiKey} />
        ) : page === 'webhooks' && apiKey ? (
          <Webhooks apiKey={apiKey} />
        ) : page === 'admin/accounts' && adminKey ? (
          <Accounts adminKey={adminKey} />
        ) : page === 'admin/operations' && adminKey ? (
          <Operations adminKey={adminKey} />
        ) : (
          <Page title="Not here">
            <p>
              This page needs another key, or does not exist. <a href="#/sign-in">Enter a key</a>.
            </p>
          </Page>
        )}
      </main>
    </>
  );
}

function SignIn({
  apiKey,
  adminKey,
  onAccount,
  onAdmin,
}: {
  apiKey: string;
  adminKey: string;
  onAccount: (key: string) => void;
  onAdmin: (key: string) => void;
}) {
  return (
    <Page title="Sign in">
      <p>Keys are kept in this browser tab only, and sent to this server alone.</p>
      <div class="sign-in">
        <KeyForm
          id="account-key"
          title="Account"
          label="API key"
          hint="An account's API key (dk_test_… or dk_live_…): its generations, credits, usage and webhooks."
          current={apiKey}
          check={(key) => request(graphqlEndpoint, key, '{ me { id } }')}
          onChange={onAccount}
        />
        <KeyForm
          id="admin-key"
          title="Operators"
          label="Admin credential"
          hint="The credential the host configured (admin.key): accounts, plans, top-ups, provider health and the queue."
          current={adminKey}
          check={(key) => request(adminEndpoint, key, '{ plans { id } }')}
          onChange={onAdmin}
        />
      </div>
    </Page>
  );
}

function KeyForm(props: {
  id: string;
  title: string;
  label: string;
  hint: string;
  current: string;
  check: (key: string) => Promise<unknown>;
  onChange: (key: string) => void;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await props.check(value.trim());
      setError(undefined);
      setValue('');
      props.onChange(value.trim());
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card key-form" onSubmit={submit} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p class="muted" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      {props.current ? <p role="status">Signed in with …{props.current.slice(-4)}.</p> : null}
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autoComplete="off"
        spellcheck={false}
        required
        aria-describedby={`${props.id}-hint`}
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <div class="card-actions">
        <button type="submit" disabled={busy}>
          {props.current ? 'Use this key' : 'Sign in'}
        </button>
        {props.current ? (
          <button type="button" class="secondary" onClick={() => props.onChange('')}>
            Sign out
          </button>
        ) : null}
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

render(<App />, document.getElementById('app')!);

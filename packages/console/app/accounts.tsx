// The operators' Accounts and plans page: every account with a top-up form, creating an account, and
// the plans' limits; one module per operators' page, so each reads on its own.
import { useState } from 'preact/hooks';
import { adminEndpoint, request, type ApiError } from './api';
import { asApiError, ErrorNote, formatTime, Loading, Page, TableBox, useLoad } from './ui';

interface AdminAccount {
  id: string;
  name: string | null;
  mode: string;
  planId: string;
  credits: number;
  createdAt: string;
}

interface Plan {
  id: string;
  name: string;
  generationsPerMinute: number;
  generationsPerDay: number | null;
  concurrent: number;
  readsPerMinute: number;
}

const accountsQuery = `query ConsoleAccounts($after: String) {
  accounts(first: 50, after: $after) { nodes { id name mode planId credits createdAt } pageInfo { hasNextPage endCursor } }
  plans { id name generationsPerMinute generationsPerDay concurrent readsPerMinute }
}`;
const topUpMutation = `mutation ConsoleTopUp($accountId: ID!, $amount: Int!, $note: String) { topUpCredits(accountId: $accountId, amount: $amount, note: $note) { id amount balanceAfter } }`;
const createMutation = `mutation ConsoleCreateAccount($input: CreateAccountInput!) { createAccount(input: $input) { apiKey account { id } } }`;

export function Accounts({ adminKey }: { adminKey: string }) {
  const { value, error, loading, reload } = useLoad(
    () => request<{ accounts: { nodes: AdminAccount[]; pageInfo: { hasNextPage: boolean } }; plans: Plan[] }>(adminEndpoint, adminKey, accountsQuery),
    [adminKey],
  );
  const [notice, setNotice] = useState('');
  const [actionError, setActionError] = useState<ApiError>();
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('free');
  const [credits, setCredits] = useState('100');
  const [mode, setMode] = useState('TEST');

  const act = async (work: () => Promise<string>) => {
    try {
      setNotice(await work());
      setActionError(undefined);
      reload();
    } catch (caught) {
      setActionError(asApiError(caught));
    }
  };
  const create = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const data = await request<{ createAccount: { apiKey: string; account: { id: string } } }>(adminEndpoint, adminKey, createMutation, {
        input: { name: name || null, plan, credits: Number(credits) || 0, mode },
      });
      setName('');
      return `Account ${data.createAccount.account.id} created. Its API key, shown only now: ${data.createAccount.apiKey}`;
    });
  };

  return (
    <Page title="Accounts and plans">
      <Loading when={loading && !value} />
      <ErrorNote error={error} />
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNote error={actionError} />
      <TableBox label="Accounts, newest first" columns={['Account', 'Plan', 'Mode', { label: 'Credits', number: true }, 'Created', 'Top up']}>
        <tbody>
          {(value?.accounts.nodes ?? []).map((account) => (
            <tr data-account={account.id}>
              <td>
                {account.name ?? <span class="muted">(no name)</span>}
                <div class="muted small">{account.id}</div>
              </td>
              <td>{account.planId}</td>
              <td>{account.mode.toLowerCase()}</td>
              <td class="number">{account.credits}</td>
              <td>{formatTime(account.createdAt)}</td>
              <td>
                <TopUp
                  account={account}
                  onTopUp={(amount) =>
                    act(async () => {
                      const data = await request<{ topUpCredits: { balanceAfter: number } }>(adminEndpoint, adminKey, topUpMutation, {
                        accountId: account.id,
                        amount,
                        note: 'console top-up',
                      });
                      return `Added ${amount} credits to ${account.name ?? account.id}: the balance is ${data.topUpCredits.balanceAfter}.`;
                    })
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      <h2>New account</h2>
      <form class="inline-form" onSubmit={create} aria-label="New account">
        <label>
          Name
          <input type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label>
          Plan
          <select value={plan} onChange={(event) => setPlan(event.currentTarget.value)}>
            {(value?.plans ?? []).map((entry) => (
              <option value={entry.id}>{entry.name}</option>
            ))}
          </select>
        </label>
        <label>
          Mode
          <select value={mode} onChange={(event) => setMode(event.currentTarget.value)}>
            <option value="TEST">test (sandbox)</option>
            <option value="LIVE">live</option>
          </select>
        </label>
        <label>
          Credits
          <input type="number" min={0} step={1} value={credits} onInput={(event) => setCredits(event.currentTarget.value)} />
        </label>
        <button type="submit">Create account</button>
      </form>
      <h2>Plans</h2>
      <TableBox
        label="Plans"
        columns={[
          'Plan',
          { label: 'Per minute', number: true },
          { label: 'Per day', number: true },
          { label: 'At once', number: true },
          { label: 'Reads per minute', number: true },
        ]}
      >
        <tbody>
          {(value?.plans ?? []).map((entry) => (
            <tr>
              <td>
                {entry.name} <span class="muted">({entry.id})</span>
              </td>
              <td class="number">{entry.generationsPerMinute}</td>
              <td class="number">{entry.generationsPerDay ?? '∞'}</td>
              <td class="number">{entry.concurrent}</td>
              <td class="number">{entry.readsPerMinute}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
    </Page>
  );
}

function TopUp({ account, onTopUp }: { account: AdminAccount; onTopUp: (amount: number) => Promise<void> }) {
  const [amount, setAmount] = useState('');
  const label = `Credits to add to ${account.name ?? account.id}`;
  return (
    <form
      class="top-up"
      onSubmit={(event) => {
        event.preventDefault();
        const value = Number(amount);
        void onTopUp(value).then(() => setAmount(''));
      }}
    >
      <input
        type="number"
        min={1}
        step={1}
        required
        value={amount}
        aria-label={label}
        placeholder="credits"
        onInput={(event) => setAmount(event.currentTarget.value)}
      />
      <button type="submit" aria-label={`Add credits to ${account.name ?? account.id}`}>
        Add
      </button>
    </form>
  );
}

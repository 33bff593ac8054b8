import { useState } from 'preact/hooks';
import { graphqlEndpoint, request, type ApiError } from './api';
import { asApiError, ErrorNote, formatTime, Loading, Page, TableBox, useLoad } from './ui';

interface Transaction {
  id: string;
  type: string;
  amount: number;
  balanceAfter: number;
  generationId: string | null;
  note: string | null;
  createdAt: string;
}

const creditsQuery = `query ConsoleCredits($after: String) {
  me { id name mode credits plan { id name generationsPerMinute generationsPerDay concurrent } }
  creditTransactions(first: 25, after: $after) { nodes { id type amount balanceAfter generationId note createdAt } pageInfo { hasNextPage endCursor } }
}`;

export function Credits({ apiKey }: { apiKey: string }) {
  const [pages, setPages] = useState<Transaction[][]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<ApiError>();
  const first = useLoad(async () => {
    const data = await request<{
      me: {
        id: string;
        name: string | null;
        mode: string;
        credits: number;
        plan: { id: string; name: string; generationsPerMinute: number; generationsPerDay: number | null; concurrent: number };
      };
      creditTransactions: { nodes: Transaction[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }>(graphqlEndpoint, apiKey, creditsQuery);
    setPages([data.creditTransactions.nodes]);
    setNext(data.creditTransactions.pageInfo.hasNextPage ? data.creditTransactions.pageInfo.endCursor : null);
    return data.me;
  }, [apiKey]);
  const more = async () => {
    try {
      const data = await request<{ creditTransactions: { nodes: Transaction[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        graphqlEndpoint,
        apiKey,
        creditsQuery,
        { after: next },
      );
      setPages((previous) => [...previous, data.creditTransactions.nodes]);
      setNext(data.creditTransactions.pageInfo.hasNextPage ? data.creditTransactions.pageInfo.endCursor : null);
    } catch (caught) {
      setMoreError(asApiError(caught));
    }
  };
  const me = first.value;
  return (
    <Page title="Credits">
      <Loading when={first.loading && !me} />
      <ErrorNote error={first.error} />
      {me ? (
        <dl class="tiles">
          <div>
            <dt>Available credits</dt>
            <dd class="balance">{me.credits}</dd>
          </div>
          <div>
            <dt>Plan</dt>
            <dd>
              {me.plan.name} · {me.plan.generationsPerMinute}/min · {me.plan.generationsPerDay ?? 'no'} daily cap · {me.plan.concurrent} at once
            </dd>
          </div>
          <div>
            <dt>Account</dt>
            <dd>
              {me.name ?? me.id} ({me.mode.toLowerCase()} mode)
            </dd>
          </div>
        </dl>
      ) : null}
      <h2>Ledger</h2>
      <TableBox
        label="Credit ledger, newest first"
        columns={['When', 'Entry', { label: 'Change', number: true }, { label: 'Balance', number: true }, 'Generation or note']}
      >
        <tbody>
          {pages.flat().map((entry) => (
            <tr>
              <td>{formatTime(entry.createdAt)}</td>
              <td>{entry.type.toLowerCase().replace('_', '-')}</td>
              <td class={`number ${entry.amount < 0 ? 'debit' : 'credit'}`}>{entry.amount > 0 ? `+${entry.amount}` : entry.amount}</td>
              <td class="number">{entry.balanceAfter}</td>
              <td>{entry.generationId ?? entry.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      <ErrorNote error={moreError} />
      {next ? (
        <button type="button" onClick={() => void more()}>
          Load more
        </button>
      ) : null}
    </Page>
  );
}

const usageQuery = `query ConsoleUsage($after: String) {
  generations(first: 100, after: $after) { nodes { id type status creditCost createdAt } pageInfo { hasNextPage endCursor } }
}`;

interface Day {
  day: string;
  generations: number;
  credits: number;
  failed: number;
}

/** Generations and credits per day over the last 14 days, from the account's own generations. */
export function Usage({ apiKey }: { apiKey: string }) {
  const {
    value: days,
    error,
    loading,
  } = useLoad(async () => {
    const since = Date.now() - 13 * 86_400_000;
    const byDay = new Map<string, Day>();
    for (let offset = 13; offset >= 0; offset--) {
      const day = new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
      byDay.set(day, { day, generations: 0, credits: 0, failed: 0 });
    }
    let after: string | null = null;
    // Newest first: stop at the first page that reaches past the window (or after 10 pages).
    for (let page = 0; page < 10; page++) {
      const data: {
        generations: { nodes: Array<{ status: string; creditCost: number; createdAt: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      } = await request(graphqlEndpoint, apiKey, usageQuery, { after });
      for (const generation of data.generations.nodes) {
        const entry = byDay.get(generation.createdAt.slice(0, 10));
        if (!entry) continue;
        entry.generations++;
        // Failed and cancelled generations are refunded: only the others cost credits.
        if (generation.status === 'FAILED' || generation.status === 'CANCELLED') entry.failed++;
        else entry.credits += generation.creditCost;
      }
      const oldest = data.generations.nodes.at(-1);
      if (!data.generations.pageInfo.hasNextPage || !oldest || new Date(oldest.createdAt).getTime() < since) break;
      after = data.generations.pageInfo.endCursor;
    }
    return [...byDay.values()];
  }, [apiKey]);
  return (
    <Page title="Usage">
      <Loading when={loading} />
      <ErrorNote error={error} />
      {days ? (
        <>
          <Chart days={days} />
          <TableBox
            label="Usage by day"
            columns={['Day', { label: 'Generations', number: true }, { label: 'Failed or cancelled', number: true }, { label: 'Credits', number: true }]}
            caption="Generations and credits by day (UTC), last 14 days"
          >
            <tbody>
              {days.map((day) => (
                <tr>
                  <td>{day.day}</td>
                  <td class="number">{day.generations}</td>
                  <td class="number">{day.failed}</td>
                  <td class="number">{day.credits}</td>
                </tr>
              ))}
            </tbody>
          </TableBox>
        </>
      ) : null}
    </Page>
  );
}

/** Credits per day as bars, in SVG drawn by the page itself (no chart library, nothing fetched). */
function Chart({ days }: { days: Day[] }) {
  const width = 700;
  const height = 220;
  const top = 16;
  const bottom = 28;
  const max = Math.max(1, ...days.map((day) => day.credits));
  const slot = width / days.length;
  const total = days.reduce((sum, day) => sum + day.credits, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">{`Credits spent per day over the last 14 days: ${total} in all; the table below has each day.`}</title>
        <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} class="axis" />
        {days.map((day, index) => {
          const barHeight = ((height - top - bottom) * day.credits) / max;
          const x = index * slot + slot * 0.15;
          return (
            <g>
              <rect x={x} y={height - bottom - barHeight} width={slot * 0.7} height={barHeight} class="bar" />
              {day.credits > 0 ? (
                <text x={x + slot * 0.35} y={height - bottom - barHeight - 4} class="value">
                  {day.credits}
                </text>
              ) : null}
              <text x={x + slot * 0.35} y={height - 10} class="label">
                {day.day.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>Credits spent per day (UTC)</figcaption>
    </figure>
  );
}

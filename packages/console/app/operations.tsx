// The operators' Providers and queue page: the queue's depth and recent rates, and each provider's
// circuit, success and latency; one module per operators' page, so each reads on its own.
import { adminEndpoint, request } from './api';
import { ErrorNote, Loading, Page, TableBox, useLoad } from './ui';

interface ProviderStatus {
  id: string;
  name: string;
  types: string[];
  livemode: boolean;
  available: boolean;
  unavailableReason: string | null;
  circuit: string;
  successRate: number | null;
  latencySeconds: number | null;
  latencyRatio: number | null;
  samples: number;
  consecutiveFailures: number;
}

const operationsQuery = `query ConsoleOperations {
  providers { id name types livemode available unavailableReason circuit successRate latencySeconds latencyRatio samples consecutiveFailures }
  queue { depth { waiting active delayed } rates { minutes created completed failed cancelled } }
}`;

export function Operations({ adminKey }: { adminKey: string }) {
  const { value, error, loading, reload } = useLoad(
    () =>
      request<{
        providers: ProviderStatus[];
        queue: {
          depth: { waiting: number; active: number; delayed: number } | null;
          rates: Array<{ minutes: number; created: number; completed: number; failed: number; cancelled: number }>;
        };
      }>(adminEndpoint, adminKey, operationsQuery),
    [adminKey],
  );
  return (
    <Page
      title="Providers and queue"
      actions={
        <button type="button" onClick={reload}>
          Refresh
        </button>
      }
    >
      <Loading when={loading && !value} />
      <ErrorNote error={error} />
      {value ? (
        <>
          <h2>Queue</h2>
          {value.queue.depth ? (
            <dl class="tiles" aria-label="Queue depth">
              <div>
                <dt>Waiting</dt>
                <dd class="balance">{value.queue.depth.waiting}</dd>
              </div>
              <div>
                <dt>Running</dt>
                <dd class="balance">{value.queue.depth.active}</dd>
              </div>
              <div>
                <dt>Delayed</dt>
                <dd class="balance">{value.queue.depth.delayed}</dd>
              </div>
            </dl>
          ) : (
            <p class="muted">This queue does not report its depth.</p>
          )}
          <TableBox
            label="Generations on this instance"
            columns={[
              'Over the last',
              { label: 'Created', number: true },
              { label: 'Completed', number: true },
              { label: 'Failed', number: true },
              { label: 'Cancelled', number: true },
            ]}
          >
            <tbody>
              {value.queue.rates.map((rate) => (
                <tr>
                  <td>{rate.minutes === 1 ? 'minute' : `${rate.minutes} minutes`}</td>
                  <td class="number">{rate.created}</td>
                  <td class="number">{rate.completed}</td>
                  <td class="number">{rate.failed}</td>
                  <td class="number">{rate.cancelled}</td>
                </tr>
              ))}
            </tbody>
          </TableBox>
          <h2>Provider health</h2>
          <TableBox
            label="Provider health"
            columns={[
              'Provider',
              'Circuit',
              { label: 'Success', number: true },
              { label: 'Latency', number: true },
              { label: 'Outcomes', number: true },
              'Serves',
            ]}
          >
            <tbody>
              {value.providers.map((provider) => (
                <tr data-provider={provider.id} data-livemode={String(provider.livemode)}>
                  <td>
                    {provider.name} <span class="muted">({provider.id})</span>
                    {!provider.available && provider.unavailableReason ? <div class="muted small">{provider.unavailableReason}</div> : null}
                  </td>
                  <td>
                    <span class={`badge circuit-${provider.circuit.toLowerCase()}`}>{provider.circuit.toLowerCase().replace('_', '-')}</span>
                  </td>
                  <td class="number">{provider.successRate === null ? '—' : `${Math.round(provider.successRate * 100)}%`}</td>
                  <td class="number">
                    {provider.latencySeconds === null ? '—' : `${provider.latencySeconds.toFixed(1)} s`}
                    {provider.latencyRatio === null ? '' : ` (×${provider.latencyRatio.toFixed(2)} of estimate)`}
                  </td>
                  <td class="number">{provider.samples}</td>
                  <td>
                    {provider.types.map((type) => type.toLowerCase()).join(', ')} · {provider.livemode ? 'live' : 'sandbox'}
                  </td>
                </tr>
              ))}
            </tbody>
          </TableBox>
        </>
      ) : null}
    </Page>
  );
}

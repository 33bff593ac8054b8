import { useState } from 'preact/hooks';
import { graphqlEndpoint, request, type ApiError } from './api';
import { asApiError, ErrorNote, formatTime, Loading, Page, TableBox, useLoad } from './ui';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
}

interface Delivery {
  id: string;
  webhookId: string;
  event: string;
  generationId: string;
  endpointId: string | null;
  url: string;
  status: string;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  attempts: Array<{
    number: number;
    at: string;
    status: string;
    responseStatus: number | null;
    error: string | null;
    durationMilliseconds: number;
    url: string;
  }>;
}

const endpointFields = 'id url events description enabled disabledReason createdAt';
const endpointsQuery = `query ConsoleWebhookEndpoints { webhookEndpoints { ${endpointFields} } }`;
const deliveriesQuery = `query ConsoleWebhookDeliveries($endpointId: ID) {
  webhookDeliveries(first: 50, endpointId: $endpointId) { nodes { id webhookId event generationId endpointId url status nextAttemptAt lastError createdAt
    attempts { number at status responseStatus error durationMilliseconds url } } }
}`;
const createMutation = `mutation ConsoleCreateEndpoint($url: String!, $description: String) { createWebhookEndpoint(url: $url, description: $description) { secret endpoint { ${endpointFields} } } }`;
const enableMutation = `mutation ConsoleEnableEndpoint($id: ID!, $enabled: Boolean) { updateWebhookEndpoint(id: $id, enabled: $enabled) { ${endpointFields} } }`;
const redeliverMutation = `mutation ConsoleRedeliver($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }`;

export function Webhooks({ apiKey }: { apiKey: string }) {
  const endpoints = useLoad(() => request<{ webhookEndpoints: Endpoint[] }>(graphqlEndpoint, apiKey, endpointsQuery), [apiKey]);
  const [filter, setFilter] = useState('');
  const deliveries = useLoad(
    () => request<{ webhookDeliveries: { nodes: Delivery[] } }>(graphqlEndpoint, apiKey, deliveriesQuery, { endpointId: filter || null }),
    [apiKey, filter],
  );
  const [secret, setSecret] = useState<string>();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [actionError, setActionError] = useState<ApiError>();
  const [notice, setNotice] = useState('');

  const act = async (work: () => Promise<void>) => {
    try {
      await work();
      setActionError(undefined);
    } catch (caught) {
      setActionError(asApiError(caught));
    }
  };
  const create = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const data = await request<{ createWebhookEndpoint: { secret: string } }>(graphqlEndpoint, apiKey, createMutation, {
        url,
        description: description || null,
      });
      setSecret(data.createWebhookEndpoint.secret);
      setUrl('');
      setDescription('');
      endpoints.reload();
    });
  };

  return (
    <Page title="Webhooks">
      <h2>Endpoints</h2>
      <Loading when={endpoints.loading && !endpoints.value} />
      <ErrorNote error={endpoints.error} />
      <TableBox label="Webhook endpoints" columns={['URL', 'Events', 'State', 'Action']}>
        <tbody>
          {(endpoints.value?.webhookEndpoints ?? []).map((endpoint) => (
            <tr>
              <td>
                <code>{endpoint.url}</code>
                {endpoint.description ? <div class="muted">{endpoint.description}</div> : null}
              </td>
              <td>{endpoint.events.join(', ')}</td>
              <td>
                {endpoint.enabled ? 'enabled' : `disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason.toLowerCase().replaceAll('_', ' ')})` : ''}`}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() =>
                    void act(async () => {
                      await request(graphqlEndpoint, apiKey, enableMutation, { id: endpoint.id, enabled: !endpoint.enabled });
                      endpoints.reload();
                    })
                  }
                  aria-label={`${endpoint.enabled ? 'Disable' : 'Enable'} ${endpoint.url}`}
                >
                  {endpoint.enabled ? 'Disable' : 'Enable'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      <form class="inline-form" onSubmit={create} aria-label="Add a webhook endpoint">
        <label class="wide">
          Endpoint URL
          <input type="url" required placeholder="https://example.com/webhooks/doitong" value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
        </label>
        <label>
          Description
          <input type="text" value={description} onInput={(event) => setDescription(event.currentTarget.value)} />
        </label>
        <button type="submit">Add endpoint</button>
      </form>
      {secret ? (
        <p class="notice" role="status">
          Signing secret (shown only now): <code class="secret">{secret}</code>
        </p>
      ) : null}
      <ErrorNote error={actionError} />

      <h2>Deliveries</h2>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter deliveries">
        <label>
          Endpoint
          <select value={filter} onChange={(event) => setFilter(event.currentTarget.value)}>
            <option value="">All deliveries</option>
            {(endpoints.value?.webhookEndpoints ?? []).map((endpoint) => (
              <option value={endpoint.id}>{endpoint.url}</option>
            ))}
          </select>
        </label>
      </form>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Loading when={deliveries.loading && !deliveries.value} />
      <ErrorNote error={deliveries.error} />
      <ul class="deliveries">
        {(deliveries.value?.webhookDeliveries.nodes ?? []).map((delivery) => (
          <li class="delivery" data-status={delivery.status}>
            <div class="page-head">
              <p>
                <span class={`badge delivery-${delivery.status.toLowerCase()}`}>{delivery.status.toLowerCase()}</span> <strong>{delivery.event}</strong> for{' '}
                {delivery.generationId} to <code>{delivery.url}</code>
              </p>
              <button
                type="button"
                onClick={() =>
                  void act(async () => {
                    await request(graphqlEndpoint, apiKey, redeliverMutation, { id: delivery.id });
                    setNotice(`Delivery ${delivery.id} sent again.`);
                    deliveries.reload();
                  })
                }
                aria-label={`Redeliver ${delivery.id}`}
              >
                Redeliver
              </button>
            </div>
            {delivery.nextAttemptAt ? <p class="muted">Next attempt {formatTime(delivery.nextAttemptAt)}</p> : null}
            <TableBox label={`Attempts of ${delivery.id}`} columns={['#', 'When', 'Result', { label: 'Took', number: true }]}>
              <tbody>
                {delivery.attempts.map((attempt) => (
                  <tr>
                    <td>{attempt.number}</td>
                    <td>{formatTime(attempt.at)}</td>
                    <td>
                      {attempt.status.toLowerCase()}
                      {attempt.responseStatus !== null ? ` · HTTP ${attempt.responseStatus}` : ''}
                      {attempt.error && attempt.error !== `HTTP ${attempt.responseStatus}` ? ` · ${attempt.error}` : ''}
                    </td>
                    <td class="number">{attempt.durationMilliseconds} ms</td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
          </li>
        ))}
      </ul>
      {deliveries.value && deliveries.value.webhookDeliveries.nodes.length === 0 ? <p class="muted">No deliveries yet.</p> : null}
    </Page>
  );
}

// The details dialog of one generation: its facts, routing decision, attempts and request, loaded
// when opened; kept apart from the gallery since it reads a larger record the list never fetches.
import { useEffect, useRef } from 'preact/hooks';
import { graphqlEndpoint, request } from './api';
import { summaryFields, type GenerationSummary } from './generation';
import { ErrorNote, formatTime, Loading, seconds, TableBox, useLoad } from './ui';

interface GenerationDetails extends GenerationSummary {
  livemode: boolean;
  options: Record<string, unknown>;
  priority: string | null;
  webhookUrl: string | null;
  updatedAt: string;
  routing: {
    provider: string;
    reason: string;
    priority: string | null;
    candidates: Array<{ provider: string; score: number | null; eligible: boolean; reason: string | null }>;
  } | null;
  attempts: Array<{
    provider: string;
    creditCost: number | null;
    startedAt: string;
    endedAt: string | null;
    outcome: string | null;
    errorCode: string | null;
    message: string | null;
  }>;
}

const detailsQuery = `query ConsoleGeneration($id: ID!) {
  generation(id: $id) { ${summaryFields} livemode options priority webhookUrl updatedAt
    routing { provider reason priority candidates { provider score eligible reason } }
    attempts { provider creditCost startedAt endedAt outcome errorCode message } }
}`;

export function Details({ apiKey, id, onClose }: { apiKey: string; id: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { value, error, loading } = useLoad(
    () => request<{ generation: GenerationDetails | null }>(graphqlEndpoint, apiKey, detailsQuery, { id }),
    [apiKey, id],
  );
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const generation = value?.generation;
  return (
    <dialog ref={dialog} class="details" aria-labelledby="details-title" onClose={onClose}>
      <div class="page-head">
        <h2 id="details-title">Generation {id}</h2>
        <button type="button" onClick={() => dialog.current?.close()} autoFocus>
          Close
        </button>
      </div>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {generation ? (
        <div class="details-body">
          <dl class="facts">
            <dt>Status</dt>
            <dd>{generation.status.toLowerCase()}</dd>
            <dt>Type</dt>
            <dd>{generation.type.toLowerCase()}</dd>
            <dt>Provider</dt>
            <dd>
              {generation.provider}
              {generation.model ? ` (${generation.model})` : ''}
            </dd>
            <dt>Cost</dt>
            <dd>{generation.creditCost} credits</dd>
            <dt>Mode</dt>
            <dd>{generation.livemode ? 'live' : 'test (sandbox)'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(generation.createdAt)}</dd>
            <dt>Queued for</dt>
            <dd>{seconds(generation.createdAt, generation.startedAt)}</dd>
            <dt>Ran for</dt>
            <dd>
              {seconds(generation.startedAt, generation.completedAt)} (estimated {generation.estimatedTime} s)
            </dd>
            <dt>Ended</dt>
            <dd>{formatTime(generation.completedAt)}</dd>
            {generation.error ? (
              <>
                <dt>Error</dt>
                <dd class="error-line">
                  <strong>{generation.error.code}</strong> {generation.error.message}
                </dd>
              </>
            ) : null}
          </dl>
          <h3>Routing</h3>
          {generation.routing ? (
            <>
              <p class="routing-reason">{generation.routing.reason}</p>
              {generation.routing.candidates.length > 0 ? (
                <TableBox label="Candidates" columns={['Provider', 'Score', 'Eligible', 'Why']}>
                  <tbody>
                    {generation.routing.candidates.map((candidate) => (
                      <tr>
                        <td>{candidate.provider}</td>
                        <td>{candidate.score === null ? '—' : candidate.score.toFixed(2)}</td>
                        <td>{candidate.eligible ? 'yes' : 'no'}</td>
                        <td>{candidate.reason ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </TableBox>
              ) : null}
            </>
          ) : (
            <p class="muted">No routing record.</p>
          )}
          <h3>Attempts</h3>
          <TableBox label="Attempts" columns={['Provider', 'Credits', 'Started', 'Took', 'Outcome']}>
            <tbody>
              {generation.attempts.map((attempt) => (
                <tr>
                  <td>{attempt.provider}</td>
                  <td>{attempt.creditCost ?? '—'}</td>
                  <td>{formatTime(attempt.startedAt)}</td>
                  <td>{seconds(attempt.startedAt, attempt.endedAt)}</td>
                  <td>
                    {attempt.outcome ?? 'running'}
                    {attempt.errorCode ? ` (${attempt.errorCode}${attempt.message ? `: ${attempt.message}` : ''})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </TableBox>
          <h3>Request</h3>
          <pre class="json">
            {JSON.stringify(
              { input: generation.input, options: generation.options, priority: generation.priority, webhookUrl: generation.webhookUrl },
              null,
              2,
            )}
          </pre>
        </div>
      ) : null}
    </dialog>
  );
}

// The new-generation form: type, provider (with its price and time) and prompt, sent as a generate
// mutation; kept apart so the gallery page holds only listing and following.
import { useState } from 'preact/hooks';
import { graphqlEndpoint, request, type ApiError } from './api';
import { summaryFields, types, type GenerationSummary } from './generation';
import { asApiError, ErrorNote, useLoad } from './ui';

const generateMutation = `mutation ConsoleGenerate($input: GenerateInput!) { generate(input: $input) { ${summaryFields} } }`;
const providersQuery = `query ConsoleProviders($type: GenerationType!) { providers(type: $type) { id name available pricing { creditCost estimatedTime } } }`;

export function NewGeneration({ apiKey, onCreated }: { apiKey: string; onCreated: (item: GenerationSummary) => void }) {
  const [type, setType] = useState('IMAGE');
  const [prompt, setPrompt] = useState('');
  const [provider, setProvider] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const providers = useLoad(
    () =>
      request<{ providers: Array<{ id: string; name: string; available: boolean; pricing: { creditCost: number; estimatedTime: number } }> }>(
        graphqlEndpoint,
        apiKey,
        providersQuery,
        { type },
      ),
    [apiKey, type],
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const data = await request<{ generate: GenerationSummary }>(graphqlEndpoint, apiKey, generateMutation, {
        input: { type, input: { text: prompt }, ...(provider ? { provider } : {}) },
      });
      onCreated(data.generate);
      setPrompt('');
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="new-generation">
      <summary>New generation</summary>
      <form onSubmit={submit} aria-label="New generation">
        <label>
          Type
          <select
            value={type}
            onChange={(event) => {
              setType(event.currentTarget.value);
              setProvider('');
            }}
          >
            {types.map((value) => (
              <option value={value}>{value.toLowerCase()}</option>
            ))}
          </select>
        </label>
        <label>
          Provider
          <select value={provider} onChange={(event) => setProvider(event.currentTarget.value)}>
            <option value="">Chosen automatically</option>
            {(providers.value?.providers ?? []).map((entry) => (
              <option value={entry.id} disabled={!entry.available}>
                {entry.name} · {entry.pricing.creditCost} credits · ~{entry.pricing.estimatedTime} s
              </option>
            ))}
          </select>
        </label>
        <label class="wide">
          Prompt
          <textarea required rows={2} value={prompt} onInput={(event) => setPrompt(event.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Generate
        </button>
      </form>
      <ErrorNote error={error} />
    </details>
  );
}

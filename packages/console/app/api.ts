import { createClient, type Client } from 'graphql-sse';

/** The mount path the console is served under: `/graphql` for `/graphql/console/`. */
export const mountPath = location.pathname.replace(/\/console(\/.*)?$/, '') || '/';
export const graphqlEndpoint = mountPath;
export const adminEndpoint = `${mountPath.replace(/\/$/, '')}/admin`;

/** An error the API answered with: its message and `extensions.code`, shown as they are. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface GraphQLAnswer<Data> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** One GraphQL request with a bearer credential; the first error, if any, is thrown with its code. */
export async function request<Data>(endpoint: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server could not be reached.', 'NETWORK_ERROR');
  }
  let answer: GraphQLAnswer<Data>;
  try {
    answer = (await response.json()) as GraphQLAnswer<Data>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL body.`, 'BAD_RESPONSE');
  }
  const error = answer.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code ?? 'ERROR');
  if (!answer.data) throw new ApiError('The answer had no data.', 'BAD_RESPONSE');
  return answer.data;
}

let streams: { key: string; client: Client } | undefined;

/** Follows one generation over the `generationUpdated` subscription (GraphQL over SSE); returns a stop function. */
export function follow<Item>(key: string, query: string, id: string, next: (item: Item) => void, done: () => void): () => void {
  if (!streams || streams.key !== key)
    streams = { key, client: createClient({ url: graphqlEndpoint, headers: () => ({ authorization: `Bearer ${key}` }), retryAttempts: 3 }) };
  return streams.client.subscribe<{ generationUpdated: Item }>(
    { query, variables: { id } },
    {
      next: (result) => {
        if (result.data?.generationUpdated) next(result.data.generationUpdated);
      },
      error: () => done(),
      complete: () => done(),
    },
  );
}

/** Credentials live for the browser tab only (sessionStorage), never in a cookie the server could be sent. */
export const credentials = {
  get: (name: 'account' | 'admin'): string => sessionStorage.getItem(`doitong.${name}`) ?? '',
  set: (name: 'account' | 'admin', value: string) => (value ? sessionStorage.setItem(`doitong.${name}`, value) : sessionStorage.removeItem(`doitong.${name}`)),
};

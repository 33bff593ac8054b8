// What the console reads of a generation, shared by the list, its cards and the new-generation form:
// the summary's shape and GraphQL fields, and the types it can be filtered or created by.

export const types = ['VIDEO', 'IMAGE', 'AUDIO', 'AVATAR'] as const;

export interface GenerationSummary {
  id: string;
  type: string;
  status: string;
  provider: string;
  model: string | null;
  url: string | null;
  progress: number;
  creditCost: number;
  estimatedTime: number;
  errorCode: string | null;
  error: { code: string; message: string } | null;
  metadata: { width: number | null; height: number | null; duration: number | null; format: string | null } | null;
  input: { text?: string } | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export const summaryFields =
  'id type status provider model url progress creditCost estimatedTime errorCode error { code message } metadata { width height duration format } input createdAt startedAt completedAt';

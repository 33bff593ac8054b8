/**
 * The queue jobs core runs: their names, what each carries, and how that is read back. A job
 * crosses processes on a distributed queue, so its name and payload are a contract between the
 * code that queues it and the code that runs it; written once here, the two cannot drift apart.
 */
import type { JsonObject } from '../providers/generation-type';
import type { Generation } from './generation';
import type { EnqueueOptions, FollowUp, JobQueue } from './queue';

export const jobNames = {
  /** Sends a PENDING generation to its provider (or adopts or refuses one cut short mid-submit). */
  submit: 'generation.submit',
  /** Asks the provider for a PROCESSING generation's state. */
  poll: 'generation.poll',
  /** Makes one attempt of a webhook delivery. */
  deliverWebhook: 'webhook.deliver',
} as const;

export type JobName = (typeof jobNames)[keyof typeof jobNames];

/** What each job carries when queued: only ids, so any instance of a distributed queue can run any job. */
export interface JobPayloads {
  'generation.submit': { id: string };
  /**
   * `callback`: a provider called back, so this poll is an extra one outside the scheduled chain.
   * `attempt`: the reservation of the attempt whose chain of polls this continues.
   */
  'generation.poll': { id: string; callback?: boolean; attempt?: string };
  /** `token`: the job token stored on the delivery, so a job that is no longer the delivery's does nothing. */
  'webhook.deliver': { id: string; token: string | null };
}

/** Each job's payload as its handler gets it: read back from plain JSON without trusting its shape. */
const readers = {
  'generation.submit': (data: JsonObject) => ({ id: String(data.id) }),
  'generation.poll': (data: JsonObject) => ({
    id: String(data.id),
    callback: data.callback === true,
    ...(typeof data.attempt === 'string' ? { attempt: data.attempt } : {}),
  }),
  'webhook.deliver': (data: JsonObject) => ({ id: String(data.id), token: String(data.token) }),
} satisfies { [Name in JobName]: (data: JsonObject) => JobPayloads[Name] };

export type JobData<Name extends JobName> = ReturnType<(typeof readers)[Name]>;

/**
 * One run of a job, as the steps see it: where the step that queues the job following this one
 * (the next poll) leaves it, when the queue stores follow-ups in place of the job that ends.
 */
export interface JobRun {
  readonly storesFollowUps: boolean;
  followUp?: FollowUp;
}

/** Registers the handler of one of core's jobs. */
export function registerJob<Name extends JobName>(queue: JobQueue, name: Name, handler: (data: JobData<Name>, run: JobRun) => Promise<void>): void {
  const read = readers[name] as (data: JsonObject) => JobData<Name>;
  queue.register(name, async (data) => {
    const run: JobRun = { storesFollowUps: queue.storesFollowUps === true };
    await handler(read(data), run);
    return run.followUp;
  });
}

/**
 * Queues the job that follows the running one: handed to the queue with the run's end when it
 * stores follow-ups in place (only the first; a second is queued as usual), queued now otherwise.
 */
export async function followWith<Name extends JobName>(
  queue: JobQueue,
  run: JobRun | undefined,
  name: Name,
  payload: JobPayloads[Name],
  delayMilliseconds: number,
): Promise<void> {
  if (run?.storesFollowUps && !run.followUp) {
    run.followUp = { name, data: payload as JsonObject, delayMilliseconds };
    return;
  }
  await enqueueJob(queue, name, payload, { delayMilliseconds });
}

/** Queues one of core's jobs with its payload (the options passed on only when given, as a host's queue may count its arguments). */
export function enqueueJob<Name extends JobName>(queue: JobQueue, name: Name, payload: JobPayloads[Name], ...options: [EnqueueOptions?]): Promise<void> {
  return queue.enqueue(name, payload as JsonObject, ...options);
}

/**
 * The queue key of a generation's submission: one per reservation, so each provider it is routed to
 * (the first, then each fallback, each with its own reservation) is submitted by one job at a time.
 */
export function submitKey(generation: Pick<Generation, 'reservationId'>): string {
  return `submit-${generation.reservationId}`;
}

import { randomUUID } from 'node:crypto';
import {
  isDoitongError,
  ProviderError,
  type GenerationRequest,
  type JsonObject,
  type ProviderCallContext,
  type ProviderStatus,
  type ProviderTransport,
} from '@doitong/core';
import { numberOption, stringOption, type CatalogEntry } from '@doitong/adapters';
import { ffmpegPath, FfmpegMissing } from './media/ffmpeg';
import { renderOutput, type RenderSettings } from './render';
import { sandboxModes, type SandboxMode } from './sandbox-options';

export interface SandboxTransportSettings extends RenderSettings {
  /** Milliseconds from start to result. */
  latencyMilliseconds: number;
}

/** The job handle: plain JSON that says everything about the job, so any process can poll it. */
interface SandboxHandle extends JsonObject {
  jobId: string;
  provider: string;
  mode: SandboxMode;
  startedAt: number;
  readyAt: number;
}

/** Cancelled job ids, bounded: the engine stops polling a cancelled job, so old ids can go. */
const cancelledJobs = new Set<string>();
const cancelledLimit = 10_000;

/**
 * A transport that never leaves the machine. It keeps no timers: a job is ready when the engine's
 * clock passes `readyAt`, and the file is made on the first poll after that.
 */
export function sandboxTransport(entry: CatalogEntry, settings: SandboxTransportSettings): ProviderTransport {
  // Renders in progress, so two overlapping polls of one job make one file.
  const rendering = new Map<string, Promise<ProviderStatus>>();

  function finish(handle: SandboxHandle, request: GenerationRequest, context: ProviderCallContext): Promise<ProviderStatus> {
    if (handle.mode === 'fail') {
      return Promise.resolve({
        state: 'failed',
        code: 'GENERATION_FAILED',
        message: `Sandbox: ${entry.name} failed to generate (simulated by options.sandbox = "fail").`,
        providerCode: 'SANDBOX_FAILED',
      });
    }
    if (handle.mode === 'unavailable-after-accept') {
      return Promise.resolve({
        state: 'failed',
        code: 'PROVIDER_UNAVAILABLE',
        message: `Sandbox: ${entry.name} became unavailable after accepting the job (simulated by options.sandbox = "unavailable-after-accept").`,
        providerCode: 'SANDBOX_UNAVAILABLE',
      });
    }
    const existing = rendering.get(handle.jobId);
    if (existing) return existing;
    const result = renderOutput(entry, request, settings, context.signal)
      .then(
        (output): ProviderStatus => ({ state: 'succeeded', outputs: [output], metadata: output.metadata }),
        // An input the provider would refuse (an image over the pixel limit) fails the job, as it would there.
        (error: unknown): ProviderStatus => {
          if (isDoitongError(error) && error.code === 'INVALID_INPUT')
            return { state: 'failed', code: 'GENERATION_FAILED', message: error.message, providerCode: 'SANDBOX_INPUT_REFUSED' };
          throw error;
        },
      )
      .finally(() => rendering.delete(handle.jobId));
    rendering.set(handle.jobId, result);
    return result;
  }

  return {
    livemode: false,
    async start(request, context) {
      const mode = modeOf(request);
      if (mode === 'unavailable') {
        throw new ProviderError(
          'PROVIDER_UNAVAILABLE',
          `Sandbox: ${entry.name} is unavailable and did not accept the job (simulated by options.sandbox = "unavailable").`,
          { providerId: entry.id, responseStatus: 503, acceptance: 'rejected' },
        );
      }
      const problem = entry.check?.(request);
      if (problem !== undefined) {
        throw new ProviderError('INVALID_INPUT', problem, { providerId: entry.id, responseStatus: 400, acceptance: 'rejected' });
      }
      // A video needs ffmpeg: without one the job is refused now, saying how to provide it, rather than failing after the wait.
      if (entry.plan(request).kind === 'video') await ffmpegAvailable(entry, settings);
      const latency =
        (numberOption(request, 'sandboxLatencyMilliseconds') ?? numberOption(request, 'sandboxLatencyMs') ?? settings.latencyMilliseconds) *
        (mode === 'slow' ? 10 : 1);
      const startedAt = context.now();
      const handle: SandboxHandle = { jobId: `sandbox_${randomUUID()}`, provider: entry.id, mode, startedAt, readyAt: startedAt + latency };
      // A synchronous provider with nothing to wait for answers in the create call, as the live one does.
      if (entry.synchronous && latency === 0 && mode !== 'timeout') {
        return { handle, status: await finish(handle, request, context) };
      }
      return { handle, pollAfterMilliseconds: mode === 'timeout' ? timeoutPoll : pollHint(latency, latency) };
    },
    async status(rawHandle, request, context) {
      const handle = rawHandle as SandboxHandle;
      if (cancelledJobs.has(handle.jobId)) return { state: 'cancelled' };
      const now = context.now();
      if (handle.mode === 'timeout') {
        return { state: 'running', progress: timeoutProgress(now - handle.startedAt), pollAfterMilliseconds: timeoutPoll };
      }
      if (now < handle.readyAt) {
        const total = handle.readyAt - handle.startedAt;
        const progress = Math.min(99, Math.max(0, Math.floor(((now - handle.startedAt) / total) * 100)));
        const pollAfterMilliseconds = pollHint(total, handle.readyAt - now);
        // The first tenth of the wait plays the provider's queue.
        return { state: progress < 10 ? 'queued' : 'running', progress, pollAfterMilliseconds };
      }
      return finish(handle, request, context);
    },
    async cancel(rawHandle, _request, context) {
      const handle = rawHandle as SandboxHandle;
      const finished = handle.mode !== 'timeout' && context.now() >= handle.readyAt;
      if (finished) return false;
      if (cancelledJobs.size >= cancelledLimit) {
        const oldest = cancelledJobs.values().next().value;
        if (oldest !== undefined) cancelledJobs.delete(oldest);
      }
      cancelledJobs.add(handle.jobId);
      return true;
    },
  };
}

async function ffmpegAvailable(entry: CatalogEntry, settings: SandboxTransportSettings): Promise<void> {
  try {
    await ffmpegPath(settings.ffmpegPath);
  } catch (error) {
    if (!(error instanceof FfmpegMissing)) throw error;
    throw new ProviderError('PROVIDER_UNAVAILABLE', `Sandbox: ${entry.name} video needs ffmpeg. ${error.message}`, {
      providerId: entry.id,
      responseStatus: 503,
      acceptance: 'rejected',
    });
  }
}

function modeOf(request: GenerationRequest): SandboxMode {
  const mode = stringOption(request, 'sandbox');
  return sandboxModes.find((candidate) => candidate === mode) ?? 'succeed';
}

/** A job that never ends is polled at a calm pace until the engine's maxJobTime gives up on it. */
const timeoutPoll = 1000;

/**
 * When to poll next: about four progress updates over the wait, never past the ready time. The
 * engine would otherwise pace polls by the live provider's estimated time (minutes for video).
 */
function pollHint(total: number, remaining: number): number {
  return Math.max(0, Math.min(remaining, Math.max(100, Math.round(total / 4))));
}

/** Progress of a job that never ends: it creeps towards 95 and stays there. */
function timeoutProgress(elapsed: number): number {
  return Math.min(95, Math.floor(95 * (1 - Math.exp(-elapsed / 60_000))));
}

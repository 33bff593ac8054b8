import type { OptionSpec } from '@doitong/core';

/** Outcomes the sandbox can act out, one per path the engine must handle. */
export const sandboxModes = ['succeed', 'fail', 'unavailable', 'unavailable-after-accept', 'slow', 'timeout'] as const;
export type SandboxMode = (typeof sandboxModes)[number];

/**
 * Options only sandbox adapters declare, so tests and demos can walk every failure path through
 * the public API. The live catalog does not have them: sent to a live provider they are refused
 * as unknown options.
 */
export const sandboxOptions: readonly OptionSpec[] = [
  {
    name: 'sandbox',
    type: 'string',
    description:
      'Sandbox only: the outcome to simulate. succeed: a real file after the latency; fail: accepted, then failed with GENERATION_FAILED; ' +
      'unavailable: refused before acceptance with PROVIDER_UNAVAILABLE (safe to retry or fall back); ' +
      'unavailable-after-accept: accepted, then failed with PROVIDER_UNAVAILABLE; slow: ten times the latency; ' +
      'timeout: accepted and never finishes, until the engine’s maxJobTime ends it.',
    allowedValues: sandboxModes,
    default: 'succeed',
  },
  {
    name: 'sandboxLatencyMilliseconds',
    type: 'integer',
    description: 'Sandbox only: milliseconds from start to result for this request, instead of the sandbox’s latency (0: ready at the first poll).',
    minimum: 0,
    maximum: 3_600_000,
  },
  {
    name: 'sandboxLatencyMs',
    type: 'integer',
    description: 'Sandbox only, deprecated: the former name of sandboxLatencyMilliseconds, which wins when both are given.',
    minimum: 0,
    maximum: 3_600_000,
  },
];

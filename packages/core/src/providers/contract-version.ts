/**
 * The version of the provider contract this core implements: the types in this folder that an
 * adapter fills in or returns (`ProviderDescription`, `ProviderTransport` and what they carry).
 * An adapter says which version it was written against in `ProviderDescription.contractVersion`,
 * and `registerProvider` refuses one this core cannot honour, at start-up rather than on a paid job.
 *
 * `major.minor`, and what a change of each means:
 * - minor (1.0 → 1.1): something was added that an adapter may use or leave out (a new optional
 *   description field or transport method, a new optional field in a status or an output). An
 *   adapter written for an older minor works unchanged. One written for a newer minor than this
 *   core's is refused: it may rely on an addition this core would silently ignore (a `find` that
 *   prevents a second charge, say).
 * - major (1.x → 2.0): something an existing adapter could now get wrong (a field becomes
 *   required, a unit or a rule such as `acceptance` changes meaning, something is removed). Every
 *   adapter is reviewed against the changelog and declares the new major; others are refused.
 * Wording and documentation changes change no version.
 */
export const providerContractVersion = '1.0';

/** Why an adapter declaring `declared` cannot be registered on this core, or undefined when it can. */
export function contractVersionProblem(declared: unknown, implemented: string = providerContractVersion): string | undefined {
  // Adapters written before the declaration existed were written against 1.0.
  if (declared === undefined) return contractVersionProblem('1.0', implemented);
  const given = typeof declared === 'string' ? /^(\d+)\.(\d+)$/.exec(declared) : null;
  if (!given) return `contractVersion must be "major.minor" (this core implements ${implemented})`;
  const [major, minor] = implemented.split('.').map(Number) as [number, number];
  if (Number(given[1]) !== major) return `contractVersion ${declared} is not ${major}.x, the provider contract this core implements (${implemented})`;
  if (Number(given[2]) > minor)
    return `contractVersion ${declared} is newer than the provider contract this core implements (${implemented}): upgrade @doitong/core`;
  return undefined;
}

import { fakeProvider } from '@doitong/core/testing';
import { DoitongError, ProviderRegistry, providerContractVersion, type ProviderAdapter } from '@doitong/core';
import { describe, expect, it } from 'vitest';

const declaring = (contractVersion: unknown): ProviderAdapter => ({ ...fakeProvider().adapter, contractVersion: contractVersion as string });

function refusal(adapter: ProviderAdapter): DoitongError {
  try {
    new ProviderRegistry().register(adapter);
  } catch (error) {
    if (error instanceof DoitongError) return error;
    throw error;
  }
  throw new Error('the adapter was registered');
}

describe('the provider contract version', () => {
  it('is major.minor', () => {
    expect(providerContractVersion).toMatch(/^\d+\.\d+$/);
  });

  it('registers an adapter written against this version, an older minor of it, or one that declares none', () => {
    const [major] = providerContractVersion.split('.');
    for (const version of [providerContractVersion, `${major}.0`, undefined]) {
      const registry = new ProviderRegistry();
      registry.register(declaring(version));
      expect(registry.ids('test')).toEqual(['fake']);
    }
  });

  it('refuses, at registration, an adapter written against another major or a newer minor', () => {
    const [major, minor] = providerContractVersion.split('.').map(Number) as [number, number];
    const newerMinor = refusal(declaring(`${major}.${minor + 1}`));
    expect(newerMinor.code).toBe('INVALID_INPUT');
    expect(newerMinor.message).toContain(
      `contractVersion ${major}.${minor + 1} is newer than the provider contract this core implements (${providerContractVersion})`,
    );
    const nextMajor = refusal(declaring(`${major + 1}.0`));
    expect(nextMajor.code).toBe('INVALID_INPUT');
    expect(nextMajor.message).toContain(`contractVersion ${major + 1}.0 is not ${major}.x`);
  });

  it('refuses a version that is not major.minor', () => {
    for (const version of ['1', '1.0.0', 'latest', 1]) {
      const error = refusal(declaring(version));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain('contractVersion must be "major.minor"');
    }
  });
});

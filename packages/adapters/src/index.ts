export * from './catalog';
export { sandboxProviders, sandboxModes, sandboxOptions, type SandboxAdapter, type SandboxMode, type SandboxOptions } from './sandbox';

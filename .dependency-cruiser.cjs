/** Import cycles, checked by `pnpm check:cycles` (dependency-cruiser) in CI. */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycle',
      comment: 'No import cycle between files, type-only imports included: a cycle means two files are one idea, or a piece sits on the wrong side.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      conditionNames: ['source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
    combinedDependencies: false,
  },
};

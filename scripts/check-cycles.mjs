// No import cycle between files in any package, and none between core's folders
// (packages/core/src/<folder>): dependency-cruiser reads every import, type-only ones included, with
// the rules of .dependency-cruiser.cjs; the folder graph is folded from the same output here, since a
// cycle between folders needs no cycle between files (a1 → b1 and b2 → a2).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const depcruise = fileURLToPath(new URL('../node_modules/.bin/depcruise', import.meta.url));
let output;
try {
  output = execFileSync(depcruise, ['packages', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
    encoding: 'utf8',
  });
} catch (error) {
  // depcruise exits non-zero when a rule is broken; its JSON is still on stdout.
  if (!error.stdout) throw error;
  output = error.stdout;
}
const { modules, summary } = JSON.parse(output);
const problems = [];

const seen = new Set();
for (const violation of summary.violations) {
  if (violation.type !== 'cycle') {
    problems.push(`${violation.rule.name}: ${violation.from} → ${violation.to}`);
    continue;
  }
  const cycle = [violation.from, ...violation.cycle.map((step) => step.name)];
  // Each cycle is reported once per file on it; keep one, named by its files in order.
  const key = [...new Set(cycle)].sort().join(' ');
  if (seen.has(key)) continue;
  seen.add(key);
  problems.push(`file cycle: ${cycle.join(' → ')}`);
}

const corePrefix = 'packages/core/src/';
const folderOf = (path) => {
  if (!path.startsWith(corePrefix)) return undefined;
  const rest = path.slice(corePrefix.length);
  return rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : undefined;
};
/** folder → folder → one import that makes the edge, as evidence. */
const edges = new Map();
for (const module of modules) {
  const from = folderOf(module.source);
  if (!from) continue;
  for (const dependency of module.dependencies) {
    const to = folderOf(dependency.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
  }
}
for (const component of stronglyConnected(edges)) {
  if (component.length < 2) continue;
  const inside = new Set(component);
  const evidence = [];
  for (const from of component) for (const [to, example] of edges.get(from) ?? []) if (inside.has(to)) evidence.push(`    ${from} → ${to}: ${example}`);
  problems.push(`folder cycle in packages/core/src: ${component.sort().join(', ')}\n${evidence.sort().join('\n')}`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} import cycle(s). Move the shared piece to where the dependency points one way.`);
  process.exit(1);
}
console.log(`No import cycle: ${summary.totalCruised} modules and ${summary.totalDependenciesCruised} imports, ${edges.size} folders of core.`);

/** Tarjan's strongly connected components of a graph given as node → (node → anything). */
function stronglyConnected(graph) {
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((targets) => [...targets.keys()])]);
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}

/** Self time by function (and by package) from a .cpuprofile: `tsx bench/profile-summary.ts file [top]`. */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const top = Number(process.argv[3] ?? 30);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, time] of self) {
  const frame = byId.get(id)!.callFrame;
  const where = frame.url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '');
  const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + time);
  const pkg = where.startsWith('packages/')
    ? where.split('/').slice(0, 4).join('/')
    : where.startsWith('node:')
      ? where
      : where
          .split('/')
          .slice(0, where.startsWith('@') ? 2 : 1)
          .join('/') || frame.functionName;
  packages.set(pkg, (packages.get(pkg) ?? 0) + time);
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((time / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
};
print('self time by function', functions);
print('self time by file/package', packages);

// Inclusive time: a sample counts once for every distinct function on its stack, which shows
// which phase (a resolver, the worker's finish, the HTTP write) the self time belongs to.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, time] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)!.callFrame;
    const where = frame.url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '');
    if (!where.startsWith('packages/')) continue;
    const key = `${frame.functionName || '(anonymous)'} ${where}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + time);
  }
}
print('inclusive time by function of the project', inclusive);

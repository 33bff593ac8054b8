/**
 * How well automatic selection reads requests: `npx --yes pnpm@10 bench:routing`. Routes every
 * labelled request of packages/adapters/test/fixtures/routing-prompts.json over the sandbox catalog
 * and prints, per intent and overall, how many went to a provider a person would have chosen,
 * apart for the part the analyser was tuned on and the held-out part it never was. Then the cost
 * of the analyser per request, in process (µs), and of a whole automatic route with and without
 * it. Figures, not a test. BENCH_VERBOSE=1 lists every miss; BENCH_ROUNDS (default 200) sets how
 * many times the set is analysed for the timing.
 */
import { readFileSync } from 'node:fs';
import { analyseRequest, ProviderRegistry, ProviderRouter, type GenerationInput, type GenerationType, type JsonValue, type Priority } from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';

interface LabelledCase {
  id: string;
  split: 'tune' | 'held-out';
  intent: string;
  type: GenerationType;
  input: GenerationInput;
  options?: Record<string, JsonValue>;
  priority?: Priority;
  acceptable: string[];
  tags?: string[];
  note?: string;
  /** 2: written after the analyser was tuned, in the way users write, to test it on what it never saw. */
  batch?: number;
}

const fixture = JSON.parse(readFileSync(new URL('../packages/adapters/test/fixtures/routing-prompts.json', import.meta.url), 'utf8')) as {
  cases: LabelledCase[];
};
const cases = fixture.cases;
const registry = new ProviderRegistry();
for (const adapter of sandboxProviders({ latencyMilliseconds: 0 })) registry.register(adapter);
const router = new ProviderRouter(registry);
const verbose = process.env.BENCH_VERBOSE === '1';
const rounds = Number(process.env.BENCH_ROUNDS ?? 200);

function route(entry: LabelledCase, analysed: boolean) {
  return router.route({
    type: entry.type,
    input: entry.input,
    options: entry.options ?? {},
    priority: entry.priority ?? null,
    mode: 'test',
    generationId: 'gen_bench',
    accountId: 'acct_bench',
    // An empty analysis routes by the priority alone, as before requests were read.
    ...(analysed ? {} : { needs: { needs: [] } }),
  });
}

interface Tally {
  right: number;
  total: number;
  baselineRight: number;
}
type Column = 'tune' | 'held-out' | 'later';
const tallies = new Map<string, Record<Column, Tally>>();
const misses: string[] = [];
const empty = (): Tally => ({ right: 0, total: 0, baselineRight: 0 });
function count(key: string, split: Column, right: boolean, baselineRight: boolean) {
  let tally = tallies.get(key);
  if (!tally) tallies.set(key, (tally = { tune: empty(), 'held-out': empty(), later: empty() }));
  tally[split].total++;
  if (right) tally[split].right++;
  if (baselineRight) tally[split].baselineRight++;
}

for (const entry of cases) {
  const baseline = route(entry, false).adapter.id;
  const chosen = route(entry, true);
  const accepts = (provider: string) => entry.acceptable.includes(provider) || (entry.acceptable.includes('*baseline') && provider === baseline);
  const right = accepts(chosen.adapter.id);
  const baselineRight = accepts(baseline);
  const language = entry.tags?.includes('no-accents')
    ? 'Vietnamese without accents'
    : entry.tags?.includes('vi')
      ? 'Vietnamese with accents'
      : 'English and others';
  for (const key of [`intent: ${entry.intent}`, `language: ${language}`, 'all']) {
    count(key, entry.split, right, baselineRight);
    if (entry.batch === 2) count(key, 'later', right, baselineRight);
  }
  if (!right) {
    misses.push(
      `${entry.split === 'tune' ? 'tune    ' : 'held-out'} ${entry.id} ${entry.type} ${JSON.stringify(entry.input.text ?? '')} -> ${chosen.adapter.id} (acceptable: ${entry.acceptable.join(', ')}; needs: ${chosen.decision.needs?.map((need) => need.intent).join(', ') || 'none'})`,
    );
  }
}

const percent = (tally: Tally, field: 'right' | 'baselineRight' = 'right') =>
  tally.total ? `${((100 * tally[field]) / tally.total).toFixed(0)} % (${tally[field]}/${tally.total})` : '–';
const rows = [...tallies.entries()].sort(([left], [right]) => (left === 'all' ? 1 : right === 'all' ? -1 : left.localeCompare(right)));
const lines = [
  `${cases.length} labelled requests (${cases.filter((entry) => entry.split === 'tune').length} tuned on, ${cases.filter((entry) => entry.split === 'held-out').length} held out), Node ${process.version}`,
  '',
  '| group | tuned-on set | held-out set | of which written after tuning | held-out, priority alone |',
  '|---|---:|---:|---:|---:|',
  ...rows.map(
    ([key, tally]) =>
      `| ${key === 'all' ? '**all**' : key} | ${percent(tally.tune)} | ${percent(tally['held-out'])} | ${percent(tally.later)} | ${percent(tally['held-out'], 'baselineRight')} |`,
  ),
];

// Cost: the analyser alone, then a whole automatic route with and without reading the request.
const requests = cases.map((entry) => ({ type: entry.type, input: entry.input, options: entry.options ?? {}, priority: entry.priority ?? null }));
function microseconds(task: () => void, repeat: number): number {
  for (let warm = 0; warm < Math.min(20, repeat); warm++) task();
  const started = process.cpuUsage();
  for (let index = 0; index < repeat; index++) task();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / repeat / requests.length;
}
const analyser = microseconds(() => {
  for (const request of requests) analyseRequest(request);
}, rounds);
const english = requests.filter((_, index) => !cases[index]!.tags?.includes('vi'));
const vietnamese = requests.filter((_, index) => cases[index]!.tags?.includes('vi'));
const timeOf = (subset: typeof requests) => {
  for (let warm = 0; warm < 20; warm++) for (const request of subset) analyseRequest(request);
  const started = process.cpuUsage();
  for (let round = 0; round < rounds; round++) for (const request of subset) analyseRequest(request);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / rounds / subset.length;
};
const withReading = microseconds(
  () => {
    for (const entry of cases) route(entry, true);
  },
  Math.max(1, rounds / 10),
);
const withoutReading = microseconds(
  () => {
    for (const entry of cases) route(entry, false);
  },
  Math.max(1, rounds / 10),
);
lines.push(
  '',
  `Analyser: ${analyser.toFixed(1)} µs a request on average (${timeOf(english).toFixed(1)} µs English and other languages, ${timeOf(vietnamese).toFixed(1)} µs Vietnamese), ${rounds} rounds of the set (CPU time of this process, so other load on the machine counts less).`,
  `A whole automatic route over the ${registry.ids('test', 'VIDEO').length + registry.ids('test', 'IMAGE').length + registry.ids('test', 'AUDIO').length + registry.ids('test', 'AVATAR').length}-provider catalog: ${withReading.toFixed(1)} µs reading the request, ${withoutReading.toFixed(1)} µs on the priority alone.`,
);
const shown = process.env.BENCH_VERBOSE === 'all' ? misses : misses.filter((line) => line.startsWith('tune'));
if (verbose || process.env.BENCH_VERBOSE === 'all') lines.push('', 'Misses (tuned-on set; BENCH_VERBOSE=all adds the held-out set):', ...shown);
else if (misses.length) lines.push('', `${misses.length} misses (BENCH_VERBOSE=1 lists them).`);
process.stdout.write(`${lines.join('\n')}\n`);

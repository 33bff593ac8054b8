#!/usr/bin/env bash
# The packages as a host gets them. For every package in packages/ (run `pnpm build` first):
#  - publint and @arethetypeswrong/cli on the tarball pnpm packs (pnpm rewrites `workspace:` ranges),
#    and the fields and files every package carries (LICENSE, README, repository, public access);
#  - all tarballs installed with npm into a new app outside the workspace (no EBADENGINE warning
#    allowed), type-checked with node16 (ESM and CommonJS), bundler and node10 resolution;
#  - imported as ES modules and required as CommonJS, serving a generation through Express, Koa and
#    Fastify, on Node 20 (this machine's), 22 and 24 (the npm registry's `node` package).
# NODE_VERSIONS="20 22" limits the versions run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pnpm() { npx --yes pnpm@10 "$@"; }
bin=$root/node_modules/.bin

work=$(mktemp -d "${TMPDIR:-/tmp}/doitong-packages.XXXXXX")
# Kept when a step fails, to look into (the app can be re-run by hand there).
trap 'if [ $? = 0 ] && [ -z "${KEEP_PACKAGE_CHECK:-}" ]; then rm -rf "$work"; else echo "check-packages: the packs and the app are kept in $work" >&2; fi' EXIT
packs=$work/packs
app=$work/app
mkdir -p "$packs" "$app"

pnpm -r --filter './packages/*' pack --pack-destination "$packs" >"$work/pack.log"
names=()
tarballs=()
for manifest in packages/*/package.json; do
  [ "$(node -p "require('./$manifest').private === true")" = true ] && continue
  names+=("$(node -p "require('./$manifest').name")")
  # pnpm names a tarball <scope>-<name>-<version>.tgz
  tarballs+=("$packs/$(node -p "const { name, version } = require('./$manifest'); name.replace(/^@/, '').replace('/', '-') + '-' + version + '.tgz'")")
done
echo "Packed ${#names[@]} packages: ${names[*]} (${SECONDS} s)"

failed=0
for tarball in "${tarballs[@]}"; do
  problem=0
  # What every package carries, whatever tool reads it.
  node - "$tarball" <<'NODE' || problem=1
const { execFileSync } = require('node:child_process');
const tarball = process.argv[2];
const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
const problems = [];
for (const file of ['LICENSE', 'README.md']) if (!files.includes(`package/${file}`)) problems.push(`no ${file}`);
for (const field of ['license', 'repository', 'homepage', 'bugs', 'engines']) if (!manifest[field]) problems.push(`no "${field}"`);
if (manifest.publishConfig?.access !== 'public') problems.push('publishConfig.access is not "public"');
if (manifest.repository && !manifest.repository.directory) problems.push('repository has no "directory"');
const ranges = JSON.stringify([manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies]);
if (ranges.includes('workspace:')) problems.push('a workspace: range was left in the tarball');
if (manifest.name === '@doitong/core' && !files.includes('package/dist/schema.graphql')) problems.push('schema.graphql is not shipped');
if (problems.length) {
  console.error(`${manifest.name}: ${problems.join('; ')}`);
  process.exit(1);
}
NODE
  if ! "$bin/publint" run "$tarball" --strict >"$work/publint.log" 2>&1; then cat "$work/publint.log"; problem=1; fi
  # Entry points that are not modules (the schema's SDL) have no types to check.
  assets=$(tar -xzOf "$tarball" package/package.json | node -e '
    const { exports = {} } = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    console.log(Object.keys(exports).filter((key) => /\.\w+$/.test(key) && !/\.(c|m)?js$|\.json$/.test(key)).join(" "));')
  if ! "$bin/attw" "$tarball" --format ascii ${assets:+--exclude-entrypoints $assets} >"$work/attw.log" 2>&1; then cat "$work/attw.log"; problem=1; fi
  if [ $problem = 0 ]; then echo "$(basename "$tarball"): fields, publint and attw clean"; else failed=1; fi
done
[ $failed = 0 ] || { echo "check-packages: publint, attw or the package fields found problems (above)" >&2; exit 1; }

# A host's app: every tarball, the frameworks and the peers a host brings, nothing from the workspace.
node - "$app" "${#names[@]}" "${names[@]}" "${tarballs[@]}" <<'NODE'
const { writeFileSync } = require('node:fs');
const [app, count, ...rest] = process.argv.slice(2);
const names = rest.slice(0, Number(count));
const tarballs = Object.fromEntries(names.map((name, index) => [name, `file:${rest[Number(count) + index]}`]));
writeFileSync(`${app}/package.json`, JSON.stringify({
  name: 'doitong-host-app',
  private: true,
  dependencies: {
    ...tarballs,
    express: '^5.1.0', koa: '^3.0.0', fastify: '^5.0.0', graphql: '^16.9.0', keyv: '^5.5.0',
    '@types/express': '^5.0.0', '@types/koa': '^3.0.0', '@types/node': '^20.19.0',
  },
  // Our packages depend on each other by version: those come from these tarballs, never the registry.
  overrides: tarballs,
}, null, 2));
writeFileSync(`${app}/packages.json`, JSON.stringify(names));
NODE
cp scripts/package-check/* "$app/"
# --ignore-scripts: the one dependency with a build step a host runs is better-sqlite3's native binding,
# which the workspace's own install builds and its tests load; compiling it again here (minutes on two
# cores, where its prebuilt binary cannot be downloaded) would check nothing about our packages.
(cd "$app" && npm install --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=warn >install.log 2>&1) || { cat "$app/install.log" >&2; exit 1; }
# No dependency of ours may refuse this Node (EBADENGINE); the host's own frameworks are theirs to pick.
for spec in $(sed -n "s/^npm warn EBADENGINE *package: '\(.*\)',$/\1/p" "$app/install.log"); do
  # Ours if a Doitong package depends on it, directly or through others; a peer edge (fastify, a peer
  # of @doitong/fastify) is the host's own choice.
  if (cd "$app" && npm explain "$spec" --json) | node -e '
    const nodes = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const seen = new Set();
    const ours = (node) => (node.dependents ?? []).some((edge) => {
      if (edge.type === "peer" || !edge.from || seen.has(edge.from.location)) return false;
      seen.add(edge.from.location);
      return edge.from.name?.startsWith("@doitong/") || ours(edge.from);
    });
    process.exit(nodes.some(ours) ? 0 : 1);'; then
    (cd "$app" && npm explain "$spec") >&2
    echo "check-packages: $spec, which a Doitong package brings, refuses Node $(node -v) (EBADENGINE)" >&2
    exit 1
  fi
  echo "($spec refuses Node $(node -v), but only the host's frameworks bring it)"
done
echo "Installed into a new app: $(du -sh "$app/node_modules" | cut -f1) (${SECONDS} s)"

for resolution in node16 bundler node10; do
  "$bin/tsc" -p "$app/tsconfig.$resolution.json"
  echo "Types check with $resolution resolution (${SECONDS} s)"
done

for version in ${NODE_VERSIONS:-20 22 24}; do
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$version" ]; then
    run=(node)
  else
    run=(npx --yes -p "node@$version" -- node)
  fi
  (cd "$app" && "${run[@]}" smoke.mjs && "${run[@]}" smoke.cjs)
  echo "(Node $version done at ${SECONDS} s)"
done

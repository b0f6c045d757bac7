#!/usr/bin/env bash
# Install SST's platform into .sst/platform without the GitHub downloads `sst install` normally
# makes: the component sources come from the sst npm package's binary, @pulumi/* from the npm
# registry, and Bun (which SST uses to install them) from the `bun` devDependency.
# Then emit declarations of the platform into .sst/platform/types, so tsconfig.infra.json checks
# sst.config.ts and stacks/ with the repository's strict flags without type-checking SST's sources.
# Idempotent: a stamp file skips everything when the installed SST version has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

platform=.sst/platform
stamp="$platform/.finledger-offline-install"
version="$(node -p "require('./node_modules/sst/package.json').version")"

installed() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$version" && -f "$platform/types/sst.d.ts" && -d "$platform/node_modules/@pulumi/aws" ]]
}
installed && exit 0

# `npm run typecheck` and the infra tests may both get here at once: install once, under a lock.
mkdir -p .sst
exec 9>.sst/.offline-install.lock
flock 9
installed && exit 0

# The bun package's postinstall links the platform binary into bin/; fall back to the platform
# package itself when install scripts did not run.
bun=""
for candidate in "$PWD/node_modules/.bin/bun" "$PWD"/node_modules/@oven/bun-linux-*/bin/bun "$PWD"/node_modules/@oven/bun-darwin-*/bin/bun; do
  if [[ -x "$candidate" ]] && "$candidate" --version >/dev/null 2>&1; then
    bun="$candidate"
    break
  fi
done
if [[ -z "$bun" ]]; then
  echo "sst-offline-install: no working Bun binary under node_modules; run npm ci (the bun devDependency provides it)." >&2
  exit 1
fi

# SST_BUN_PATH must be absolute: SST runs Bun from inside .sst/platform. `sst install` evaluates sst.config.ts's
# app() for the stage, and stacks/stage-config.ts refuses a stage without a declared profile.
FINLEDGER_STAGE_PROFILE=development SST_BUN_PATH="$bun" SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1 \
  node_modules/.bin/sst install --stage "${SST_STAGE:-typecheck}"

rm -rf "$platform/types"
node_modules/.bin/tsc -p "$platform/tsconfig.json" --declaration --emitDeclarationOnly --outDir "$platform/types" --skipLibCheck
cp "$platform/src/global.d.ts" "$platform/src/internal.d.ts" "$platform/types/"
# The platform's own entry, pointed at the declarations (types.generated only exists after a deploy).
sed -e 's#"./src/#"./#' -e '/types.generated/d' "$platform/config.d.ts" >"$platform/types/sst.d.ts"

echo "$version" >"$stamp"

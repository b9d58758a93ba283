#!/bin/sh
# Builds the three apps into <out-dir>, one self-contained folder each (its dist/ and its
# production dependencies, assets included), plus the entrypoint that starts one of them:
#   <out-dir>/docker-entrypoint.sh api|parse-worker|classify-worker
# The image (infra/Dockerfile) runs this script, and so does test/e2e/image-bundle.e2e.test.ts:
# the folder the test starts is the folder the image holds.
#
# The sources are first copied to a scratch directory (without node_modules, build output,
# .data, .git, ...), so a build never reads or writes the working tree it came from.
set -eu

if [ $# -ne 1 ]; then
  echo "usage: infra/build-bundle.sh <out-dir>" >&2
  exit 64
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
if [ -n "$(ls -A "$out")" ]; then
  echo "build-bundle: $out is not empty" >&2
  exit 73
fi
stage=$(mktemp -d "${TMPDIR:-/tmp}/classifyd-build-XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

# Stale tsconfig.tsbuildinfo files would make tsc -b skip emitting dist/, so they stay out too.
(cd "$repo" && tar -cf - \
  --exclude=node_modules --exclude=dist --exclude=.turbo --exclude=.data --exclude=.git \
  --exclude=coverage --exclude='*.tsbuildinfo' --exclude='.env' --exclude='.env.*' \
  --exclude=./bench/results --exclude=./eval-report --exclude=./eval/results \
  .) | (cd "$stage" && tar -xf -)

cd "$stage"
export TURBO_TELEMETRY_DISABLED=1 CI=1
# onnxruntime-node's install script downloads binaries; nothing here uses it.
export ONNXRUNTIME_NODE_INSTALL=skip
pnpm install --frozen-lockfile --prefer-offline --reporter append-only
pnpm exec turbo run build --output-logs=errors-only \
  --filter=@classifyd/api --filter=@classifyd/parse-worker --filter=@classifyd/classify-worker

for app in api parse-worker classify-worker; do
  # Hoisted: a flat node_modules of real folders, so the bundle holds no symlink that could
  # lead back into the build directory.
  pnpm --filter "@classifyd/$app" deploy --prod --legacy \
    --prefer-offline --reporter append-only "$out/$app"
  # Only what runs: sources, build metadata and test files of the workspace packages stay out.
  find "$out/$app" \( -name '*.tsbuildinfo' -o -name 'tsconfig.json' -o -name 'vitest.config.ts' \
    -o -name '*.test.js' -o -name '*.test.d.ts' -o -name '*.test.js.map' \) -type f -delete
  find "$out/$app" -type d \( -name .turbo -o -path '*/node_modules/@classifyd/*/src' \
    -o -path '*/node_modules/@classifyd/*/scripts' \) -prune -exec rm -rf {} +
  rm -rf "$out/$app/src"
done
cp "$repo/infra/docker-entrypoint.sh" "$out/docker-entrypoint.sh"
chmod 755 "$out/docker-entrypoint.sh"
echo "build-bundle: apps in $out"

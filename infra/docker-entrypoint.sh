#!/bin/sh
# Runs one classifyd app by name: api, parse-worker or classify-worker. The apps sit beside
# this script (infra/build-bundle.sh lays them out so), in the image and in a test alike.
set -eu
app="${1:-api}"
case "$app" in
  api | parse-worker | classify-worker) ;;
  *)
    echo "usage: docker-entrypoint.sh api|parse-worker|classify-worker" >&2
    exit 64
    ;;
esac
root=$(cd "$(dirname "$0")" && pwd)
cd "$root/$app"
# exec: the app is PID 1's direct successor and gets SIGTERM itself, so it drains on stop.
exec node dist/main.js

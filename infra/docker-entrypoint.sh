#!/bin/sh
# Runs one classifyd app by name: api, parse-worker or classify-worker.
set -e
app="${1:-api}"
case "$app" in
  api | parse-worker | classify-worker) ;;
  *) echo "usage: classifyd api|parse-worker|classify-worker" >&2; exit 64 ;;
esac
cd "/app/$app"
exec node dist/main.js

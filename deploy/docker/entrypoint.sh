#!/bin/sh
# Container entrypoint: applies the database migrations once (unless MIGRATE=false, as in compose and the
# Helm chart, where a one-off step does it before the processes start), then runs the command.
set -eu

if [ "${MIGRATE:-true}" = "true" ] && [ -n "${DATABASE_URL:-}" ]; then
  node /app/apps/server/dist/main.js --migrate-only
fi

exec "$@"

#!/bin/sh
# `switchboard <command>` inside the image (backup, restore, rotate-secret…; see README).
exec node /app/apps/server/dist/cli.js "$@"

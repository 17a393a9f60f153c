#!/usr/bin/env node
// `switchboard <command>`: backup, restore, verify, drill, rotate-secret (see apps/server/src/cli.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'switchboard: the server is not built yet; run `npm run build`, or `npm run switchboard -- <command>` from the sources\n',
  );
  process.exit(1);
}
process.argv[1] = bundle;
await import(bundle);

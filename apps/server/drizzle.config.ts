import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './apps/server/src/platform/db/schema.ts',
    './apps/server/src/platform/db/schema.ai.ts',
    './apps/server/src/platform/db/schema.channels.ts',
    './apps/server/src/platform/db/schema.platform.ts',
    './apps/server/src/platform/db/schema.access.ts',
    './apps/server/src/platform/db/schema.people.ts',
    './apps/server/src/platform/db/schema.backups.ts',
    './apps/server/src/platform/db/schema.learning.ts',
    './apps/server/src/platform/db/schema.teamwork.ts',
    './apps/server/src/platform/db/schema.notify.ts',
    './apps/server/src/platform/db/schema.contacts.ts',
    './apps/server/src/platform/db/schema.reports.ts',
  ],
  out: './apps/server/drizzle',
});

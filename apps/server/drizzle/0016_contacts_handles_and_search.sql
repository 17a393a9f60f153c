CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "contact_handles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"name" text,
	"username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE TABLE "contact_attribute_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"type" text NOT NULL,
	"options" text[] DEFAULT '{}' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE TABLE "conversation_numbers" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);--> statement-breakpoint
ALTER TABLE "contacts" DROP CONSTRAINT "contacts_channel_id_channels_id_fk";--> statement-breakpoint
DROP INDEX "contacts_channel_external_uq";--> statement-breakpoint
DROP INDEX "conversations_channel_contact_thread_uq";--> statement-breakpoint
ALTER TABLE "contacts" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "phones" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "emails" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "notes" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "blocked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "blocked_by" uuid;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "number" integer;--> statement-breakpoint
ALTER TABLE "contact_handles" ADD CONSTRAINT "contact_handles_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_handles" ADD CONSTRAINT "contact_handles_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_handles" ADD CONSTRAINT "contact_handles_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_attribute_definitions" ADD CONSTRAINT "contact_attribute_definitions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_numbers" ADD CONSTRAINT "conversation_numbers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_handles_channel_external_uq" ON "contact_handles" USING btree ("channel_id","external_id");--> statement-breakpoint
CREATE INDEX "contact_handles_contact_idx" ON "contact_handles" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "contact_handles_search_trgm_idx" ON "contact_handles" USING gin (lower("external_id" || ' ' || coalesce("username", '') || ' ' || coalesce("name", '')) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "contact_attribute_definitions_key_uq" ON "contact_attribute_definitions" USING btree ("account_id","key");--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_blocked_by_users_id_fk" FOREIGN KEY ("blocked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_account_created_idx" ON "contacts" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_name_trgm_idx" ON "contacts" USING gin (lower(coalesce("name", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_phones_idx" ON "contacts" USING gin ("phones");--> statement-breakpoint
CREATE INDEX "contacts_emails_idx" ON "contacts" USING gin ("emails");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_account_number_uq" ON "conversations" USING btree ("account_id","number");--> statement-breakpoint
CREATE INDEX "conversations_contact_idx" ON "conversations" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "messages_fts_idx" ON "messages" USING gin (to_tsvector('russian'::regconfig, translate(coalesce("text", ''), 'ёЁ', 'еЕ')));--> statement-breakpoint
-- Every existing contact was one channel handle: it becomes that handle (same id) of a contact of its own.
INSERT INTO "contact_handles" ("id", "account_id", "contact_id", "channel_id", "external_id", "name", "username", "created_at")
  SELECT "id", "account_id", "id", "channel_id", "external_id", "name", "username", "created_at" FROM "contacts";--> statement-breakpoint
-- WhatsApp handles are phone numbers, e-mail handles are addresses: the contact gets them as its own.
UPDATE "contacts" ct SET "phones" = ARRAY['+' || substring(h."external_id" from '^(\d{10,15})')]
  FROM "contact_handles" h JOIN "channels" ch ON ch."id" = h."channel_id"
  WHERE h."id" = ct."id" AND ch."type" IN ('whatsapp_cloud', 'green_api') AND h."external_id" ~ '^\d{10,15}';--> statement-breakpoint
UPDATE "contacts" ct SET "emails" = ARRAY[lower(h."external_id")]
  FROM "contact_handles" h JOIN "channels" ch ON ch."id" = h."channel_id"
  WHERE h."id" = ct."id" AND ch."type" = 'email' AND h."external_id" LIKE '%@%';--> statement-breakpoint
UPDATE "contacts" SET "search_text" = trim(lower(concat_ws(' ', "name", array_to_string("phones", ' '), array_to_string("emails", ' '))));--> statement-breakpoint
UPDATE "contacts" ct SET "last_seen_at" = s."at"
  FROM (SELECT c."contact_id", max(c."last_message_at") AS "at" FROM "conversations" c GROUP BY c."contact_id") s
  WHERE s."contact_id" = ct."id";--> statement-breakpoint
-- Conversation numbers, oldest first, per account.
UPDATE "conversations" c SET "number" = n."n"
  FROM (SELECT "id", row_number() OVER (PARTITION BY "account_id" ORDER BY "created_at", "id") AS "n" FROM "conversations") n
  WHERE n."id" = c."id";--> statement-breakpoint
INSERT INTO "conversation_numbers" ("account_id", "last") SELECT "account_id", max("number") FROM "conversations" GROUP BY "account_id";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handle_id" uuid;--> statement-breakpoint
UPDATE "conversations" SET "handle_id" = "contact_id";--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "handle_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_handle_id_contact_handles_id_fk" FOREIGN KEY ("handle_id") REFERENCES "public"."contact_handles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_channel_handle_thread_uq" ON "conversations" USING btree ("channel_id","handle_id","thread_key");--> statement-breakpoint
ALTER TABLE "contacts" DROP COLUMN "channel_id";--> statement-breakpoint
ALTER TABLE "contacts" DROP COLUMN "external_id";--> statement-breakpoint
ALTER TABLE "contacts" DROP COLUMN "username";

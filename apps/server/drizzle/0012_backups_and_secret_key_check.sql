CREATE TABLE "backup_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backup_drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"backup_id" uuid,
	"status" text DEFAULT 'running' NOT NULL,
	"mismatches" jsonb,
	"tables_compared" integer,
	"duration_ms" integer,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"locations" text[] DEFAULT '{}'::text[] NOT NULL,
	"size_bytes" bigint,
	"duration_ms" integer,
	"sha256" text,
	"key_id" text,
	"manifest" jsonb,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"pruned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "secret_key_check" (
	"id" text PRIMARY KEY DEFAULT 'current' NOT NULL,
	"key_id" text NOT NULL,
	"previous_key_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "backup_drills" ADD CONSTRAINT "backup_drills_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "public"."backups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "backup_alerts_open_uq" ON "backup_alerts" USING btree ("kind") WHERE "backup_alerts"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "backup_drills_backup_idx" ON "backup_drills" USING btree ("backup_id");--> statement-breakpoint
CREATE INDEX "backup_drills_started_idx" ON "backup_drills" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "backups_name_uq" ON "backups" USING btree ("name");--> statement-breakpoint
CREATE INDEX "backups_started_idx" ON "backups" USING btree ("started_at");
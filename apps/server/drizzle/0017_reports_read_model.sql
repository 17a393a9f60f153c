CREATE TABLE "account_business_hours" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"week" jsonb NOT NULL,
	"weekly_report" boolean DEFAULT false NOT NULL,
	"weekly_report_sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_conversation_facts" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"assignee_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"first_responder_id" uuid,
	"first_response_seconds" integer,
	"resolved_at" timestamp with time zone,
	"resolution_seconds" integer,
	"bot_involved" boolean DEFAULT false NOT NULL,
	"handed_over" boolean DEFAULT false NOT NULL,
	"bot_resolved" boolean DEFAULT false NOT NULL,
	"operator_replies" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_message_hours" (
	"account_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"channel_id" uuid NOT NULL,
	"author_key" uuid NOT NULL,
	"inbound" integer DEFAULT 0 NOT NULL,
	"operator_out" integer DEFAULT 0 NOT NULL,
	"bot_out" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "report_message_hours_account_id_hour_channel_id_author_key_pk" PRIMARY KEY("account_id","hour","channel_id","author_key")
);
--> statement-breakpoint
CREATE TABLE "report_projector_state" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_business_hours" ADD CONSTRAINT "account_business_hours_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_conversation_facts" ADD CONSTRAINT "report_conversation_facts_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_conversation_facts" ADD CONSTRAINT "report_conversation_facts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_message_hours" ADD CONSTRAINT "report_message_hours_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_facts_started_idx" ON "report_conversation_facts" USING btree ("account_id","started_at");--> statement-breakpoint
CREATE INDEX "report_facts_resolved_idx" ON "report_conversation_facts" USING btree ("account_id","resolved_at") WHERE "report_conversation_facts"."resolved_at" is not null;
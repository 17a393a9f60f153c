DROP INDEX "report_facts_started_idx";--> statement-breakpoint
DROP INDEX "report_facts_resolved_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "retry_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_retrying_idx" ON "messages" USING btree ("account_id","created_at") WHERE "messages"."status" = 'queued' and "messages"."failure_reason" is not null;--> statement-breakpoint
CREATE INDEX "report_facts_started_idx" ON "report_conversation_facts" USING btree ("account_id","started_at","channel_id","assignee_id","first_responder_id","first_response_seconds","bot_involved","bot_resolved","handed_over");--> statement-breakpoint
CREATE INDEX "report_facts_resolved_idx" ON "report_conversation_facts" USING btree ("account_id","resolved_at","channel_id","assignee_id","resolution_seconds") WHERE "report_conversation_facts"."resolved_at" is not null;
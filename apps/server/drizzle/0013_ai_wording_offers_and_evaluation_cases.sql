CREATE TABLE "ai_evaluation_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"question" text NOT NULL,
	"expected_article_id" uuid,
	"source" text NOT NULL,
	"conversation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_wording_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"question_message_id" uuid,
	"question" text NOT NULL,
	"article_id" uuid NOT NULL,
	"via" text NOT NULL,
	"similarity" real NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"confidence_before" real,
	"confidence_after" real,
	"operator_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai_evaluation_cases" ADD CONSTRAINT "ai_evaluation_cases_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_evaluation_cases" ADD CONSTRAINT "ai_evaluation_cases_expected_article_id_knowledge_articles_id_fk" FOREIGN KEY ("expected_article_id") REFERENCES "public"."knowledge_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_evaluation_cases" ADD CONSTRAINT "ai_evaluation_cases_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_wording_offers" ADD CONSTRAINT "ai_wording_offers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_wording_offers" ADD CONSTRAINT "ai_wording_offers_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_wording_offers" ADD CONSTRAINT "ai_wording_offers_question_message_id_messages_id_fk" FOREIGN KEY ("question_message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_wording_offers" ADD CONSTRAINT "ai_wording_offers_article_id_knowledge_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."knowledge_articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_wording_offers" ADD CONSTRAINT "ai_wording_offers_operator_id_users_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_wording_offers" ADD CONSTRAINT "ai_wording_offers_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ai_evaluation_cases_question_uq" ON "ai_evaluation_cases" USING btree ("account_id","question");--> statement-breakpoint
CREATE INDEX "ai_wording_offers_conversation_idx" ON "ai_wording_offers" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "ai_wording_offers_account_idx" ON "ai_wording_offers" USING btree ("account_id","status","decided_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ai_wording_offers_question_article_uq" ON "ai_wording_offers" USING btree ("question_message_id","article_id");
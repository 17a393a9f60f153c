CREATE TABLE "knowledge_ocr_pages" (
	"account_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"page" integer NOT NULL,
	"text" text,
	"confidence" real,
	"needs_review" boolean DEFAULT false NOT NULL,
	"recognised_at" timestamp with time zone,
	CONSTRAINT "knowledge_ocr_pages_article_id_page_pk" PRIMARY KEY("article_id","page")
);
--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD COLUMN "ocr_pages_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD COLUMN "ocr_pages_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_articles" ADD COLUMN "ocr_pages_to_review" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_ocr_pages" ADD CONSTRAINT "knowledge_ocr_pages_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_ocr_pages" ADD CONSTRAINT "knowledge_ocr_pages_article_id_knowledge_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."knowledge_articles"("id") ON DELETE cascade ON UPDATE no action;
DROP INDEX "messages_fts_idx";--> statement-breakpoint
-- The full-text vector is stored (computed once on insert, as the expression index did): a search rechecks
-- phrases and filters rows along the time index without parsing each text again.
ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('russian'::regconfig, translate(coalesce("text", ''), 'ёЁ', 'еЕ'))) STORED;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector");

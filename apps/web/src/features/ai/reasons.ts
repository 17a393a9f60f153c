import type { HandoverReason } from '@switchboard/shared';

/** Every hand-over reason the server knows (a missing or extra one fails the type check). */
const REASONS: Record<HandoverReason, true> = {
  low_confidence: true,
  repeated_low_confidence: true,
  asked_for_human: true,
  negative_sentiment: true,
  always_human_category: true,
  llm_failed: true,
  analysis_failed: true,
  operator_takeover: true,
  personal_matter: true,
};

/** Metrics key reasons by plain strings; an unknown one (a newer server) is shown as is. */
export const isHandoverReason = (reason: string): reason is HandoverReason => Object.hasOwn(REASONS, reason);

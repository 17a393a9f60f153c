import { z } from 'zod';

export const onboardingSteps = ['channel', 'knowledge', 'teammate', 'reply'] as const;
export type OnboardingStep = (typeof onboardingSteps)[number];

/** The first-run checklist: each step done or not, and whether any customer has written yet. */
export const onboarding = z.object({
  steps: z.object({ channel: z.boolean(), knowledge: z.boolean(), teammate: z.boolean(), reply: z.boolean() }),
  hasConversations: z.boolean(),
  done: z.boolean(),
});
export type Onboarding = z.infer<typeof onboarding>;

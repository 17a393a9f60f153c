import { onboarding } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { OnboardingService } from './onboarding.service.js';

export function onboardingRoutes(app: App, service: OnboardingService): void {
  app.get(
    '/api/onboarding',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['onboarding'],
        summary: 'First-run checklist: channel connected, knowledge base started, a colleague invited, a customer answered',
        response: { 200: onboarding },
      },
    },
    async (req) => service.status(actorOf(req)),
  );
}

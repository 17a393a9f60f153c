import { z } from 'zod';
import { loginResponse, signupConfirmRequest, signupRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import type { App } from '../../platform/http/server.js';
import { answerSignIn } from '../identity/identity.routes.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { SignupService } from './signup.service.js';

const tags = ['signup'];

export function signupRoutes(app: App, ctx: AppContext, identity: IdentityService, signup: SignupService): void {
  app.get(
    '/api/signup',
    {
      config: { public: true },
      schema: { tags, summary: 'Whether self-service sign-up is on', response: { 200: z.object({ enabled: z.boolean() }) } },
    },
    () => Promise.resolve({ enabled: signup.enabled }),
  );

  app.post(
    '/api/signup',
    {
      // Limited per IP and per address by the service instead.
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign up a new account: a single-use confirmation link is e-mailed (403 signup_disabled when off)',
        body: signupRequest,
        response: { 202: z.object({ accepted: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      await signup.request(req.body, req.ip);
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/api/signup/confirm',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Confirm the e-mailed link: creates the account with its owner and signs them in',
        body: signupConfirmRequest,
        response: { 201: loginResponse },
      },
    },
    async (req, reply) => {
      const result = await signup.confirm(req.body.token, { ip: req.ip, userAgent: req.headers['user-agent'] });
      return reply.status(201).send(await answerSignIn(ctx, identity, reply, result));
    },
  );
}

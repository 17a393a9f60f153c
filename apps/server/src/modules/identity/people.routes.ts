import { z } from 'zod';
import {
  acceptInvitationRequest,
  accountToken,
  challengeRequest,
  changePasswordRequest,
  idParams,
  invitation,
  invitationPreview,
  invitationPreviewRequest,
  invitationSent,
  inviteRequest,
  loginResponse,
  loginSecondStepRequest,
  mySession,
  passwordResetConfirm,
  passwordResetRequest,
  profile,
  recoveryCodesResponse,
  teamMember,
  twoFactorCode,
  twoFactorPolicy,
  twoFactorSetup,
  twoFactorStatus,
  updateProfileRequest,
} from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import type { App } from '../../platform/http/server.js';
import { readUpload } from '../../platform/http/upload.js';
import { actorOf } from './identity.auth.js';
import { answerSignIn } from './identity.routes.js';
import type { IdentityService } from './identity.service.js';
import { invitationStatus, type InvitationService } from './invitations.service.js';
import type { MembersService } from './members.service.js';
import type { PasswordResetService } from './password-reset.service.js';
import type { ProfileService } from './profile.service.js';

export interface PeopleServices {
  identity: IdentityService;
  invitations: InvitationService;
  members: MembersService;
  resets: PasswordResetService;
  profile: ProfileService;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

function invitationDto(row: {
  id: string;
  email: string;
  role: string;
  invitedBy?: string | null;
  sentAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: invitationStatus(row),
    invitedBy: row.invitedBy ?? null,
    sentAt: row.sentAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

const memberDto = (m: Awaited<ReturnType<MembersService['list']>>[number]) => ({
  ...m,
  lastActiveAt: iso(m.lastActiveAt),
  createdAt: m.createdAt.toISOString(),
});

/** Invitations, the team list, password reset, the sign-in's second step, my profile and sessions. */
export function peopleRoutes(app: App, ctx: AppContext, s: PeopleServices): void {
  // ---- signing in and getting in (public)

  app.post(
    '/api/auth/login/2fa',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Second step of a sign-in: a TOTP code or a recovery code',
        description:
          'Five tries per challenge. `rememberDevice` skips this step in this browser for 30 days. When the step completed a forced enrolment, the answer carries the ten recovery codes (shown once).',
        body: loginSecondStepRequest,
        response: { 200: loginResponse.extend({ recoveryCodes: z.array(z.string()).optional() }) },
      },
    },
    async (req, reply) => {
      const result = await s.identity.loginSecondStep(req.body, { ip: req.ip, userAgent: req.headers['user-agent'] });
      const body = await answerSignIn(ctx, s.identity, reply, result);
      return { ...body, ...(result.recoveryCodes ? { recoveryCodes: result.recoveryCodes } : {}) };
    },
  );

  app.post(
    '/api/auth/login/2fa/enrol',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Enrolment forced at sign-in: the authenticator secret and otpauth URI for the challenge',
        body: challengeRequest,
        response: { 200: twoFactorSetup },
      },
    },
    async (req) => s.identity.twoFactor.enrolmentSetup(req.body.challenge),
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Forgot password: e-mails a reset link (always 202, whether or not the address has an account)',
        body: passwordResetRequest,
        response: { 202: z.object({ accepted: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      await s.resets.request(req.body.email, req.ip);
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sets a new password with a reset link (single use, 1 hour); every session and API token of the person ends',
        body: passwordResetConfirm,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      await s.resets.confirm(req.body.token, req.body.password, req.ip);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/invitations/preview',
    {
      config: { public: true },
      schema: {
        tags: ['invitations'],
        summary: 'What an invitation link is for (address, account, role)',
        body: invitationPreviewRequest,
        response: { 200: invitationPreview },
      },
    },
    async (req) => {
      const p = await s.invitations.preview(req.body.token);
      return { ...p, expiresAt: p.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/invitations/accept',
    {
      config: { public: true },
      schema: {
        tags: ['invitations'],
        summary: 'Accept an invitation: choose a name and password; signs the new member in',
        body: acceptInvitationRequest,
        response: { 201: loginResponse },
      },
    },
    async (req, reply) => {
      const result = await s.invitations.accept(req.body, { ip: req.ip, userAgent: req.headers['user-agent'] });
      const body = await answerSignIn(ctx, s.identity, reply, result);
      return reply.status(201).send(body);
    },
  );

  // ---- invitations and the team (managers)

  app.get(
    '/api/invitations',
    {
      config: { permission: 'user.read' },
      schema: {
        tags: ['invitations'],
        summary: 'Invitations not yet accepted (pending, expired, recently revoked)',
        response: { 200: items(invitation) },
      },
    },
    async (req) => ({ items: (await s.invitations.list(actorOf(req))).map(invitationDto) }),
  );

  app.post(
    '/api/invitations',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['invitations'],
        summary: 'Invite someone by e-mail with a role (link valid 7 days, single use)',
        description: 'Without a mail server (`SMTP_URL`) the answer carries the link (`mailed: false`) for the inviter to pass on.',
        body: inviteRequest,
        response: { 201: invitationSent },
      },
    },
    async (req, reply) => {
      const sent = await s.invitations.invite(actorOf(req), req.body);
      return reply.status(201).send({ ...invitationDto(sent.row), link: sent.mailed ? null : sent.link, mailed: sent.mailed });
    },
  );

  app.post(
    '/api/invitations/:id/resend',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['invitations'],
        summary: 'Send a new link (the old one stops working) valid 7 more days',
        params: idParams,
        response: { 200: invitationSent },
      },
    },
    async (req) => {
      const sent = await s.invitations.resend(actorOf(req), req.params.id);
      return { ...invitationDto(sent.row), link: sent.mailed ? null : sent.link, mailed: sent.mailed };
    },
  );

  app.delete(
    '/api/invitations/:id',
    { config: { permission: 'user.manage' }, schema: { tags: ['invitations'], summary: 'Revoke an invitation', params: idParams } },
    async (req, reply) => {
      await s.invitations.revoke(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/team/members',
    {
      config: { permission: 'user.read' },
      schema: {
        tags: ['users'],
        summary: 'The team: members with status, last activity and two-factor',
        response: { 200: items(teamMember) },
      },
    },
    async (req) => ({ items: (await s.members.list(actorOf(req))).map(memberDto) }),
  );

  app.post(
    '/api/users/:id/deactivate',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['users'],
        summary:
          'Deactivate a member: sessions, API tokens and Telegram links revoked at once, conversations back to the queue, history kept',
        params: idParams,
        response: { 200: teamMember },
      },
    },
    async (req) => memberDto(await s.members.deactivate(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/users/:id/reactivate',
    {
      config: { permission: 'user.manage' },
      schema: { tags: ['users'], summary: 'Let a deactivated member sign in again', params: idParams, response: { 200: teamMember } },
    },
    async (req) => memberDto(await s.members.reactivate(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/users/:id/password-reset',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['users'],
        summary: 'A password reset link for a teammate (mailed, and shown to the manager when mail is not set up)',
        params: idParams,
        response: { 200: z.object({ link: z.string().nullable(), mailed: z.boolean() }) },
      },
    },
    async (req) => {
      const r = await s.resets.linkFor(actorOf(req), req.params.id);
      return { link: r.mailed ? null : r.link, mailed: r.mailed };
    },
  );

  app.delete(
    '/api/users/:id/two-factor',
    {
      config: { permission: 'user.manage' },
      schema: { tags: ['users'], summary: "Turn off a teammate's two-factor sign-in (lost phone)", params: idParams },
    },
    async (req, reply) => {
      await s.identity.twoFactor.resetFor(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/users/:id/avatar',
    { config: { permission: 'signed_in' }, schema: { tags: ['users'], summary: "A member's picture", params: idParams } },
    async (req, reply) => {
      const a = await s.profile.avatar(actorOf(req), req.params.id);
      return reply
        .type(a.contentType)
        .header('cache-control', 'private, max-age=300')
        .header('content-security-policy', "default-src 'none'")
        .send(a.data);
    },
  );

  app.get(
    '/api/tokens/all',
    {
      config: { permission: 'token.manage_all' },
      schema: {
        tags: ['tokens'],
        summary: 'Every live API token of the account, whoever holds it',
        response: { 200: items(accountToken) },
      },
    },
    async (req) => ({
      items: (await s.identity.listAccountTokens(actorOf(req))).map((t) => ({
        ...t,
        createdAt: t.createdAt.toISOString(),
        lastUsedAt: iso(t.lastUsedAt),
      })),
    }),
  );

  app.get(
    '/api/account/two-factor-policy',
    {
      config: { permission: 'account.manage' },
      schema: { tags: ['account'], summary: 'Whether owners and admins must use two-factor sign-in', response: { 200: twoFactorPolicy } },
    },
    async (req) => ({ requireTwoFactor: await s.identity.twoFactor.policy(actorOf(req)) }),
  );

  app.put(
    '/api/account/two-factor-policy',
    {
      config: { permission: 'account.manage' },
      schema: {
        tags: ['account'],
        summary: 'Require two-factor sign-in for owners and admins (enrolment is forced at their next sign-in)',
        body: twoFactorPolicy,
        response: { 200: twoFactorPolicy },
      },
    },
    async (req) => {
      await s.identity.twoFactor.setPolicy(actorOf(req), req.body.requireTwoFactor);
      return { requireTwoFactor: req.body.requireTwoFactor };
    },
  );

  // ---- my profile

  app.get(
    '/api/profile',
    { config: { permission: 'signed_in' }, schema: { tags: ['profile'], summary: 'My profile', response: { 200: profile } } },
    async (req) => s.profile.get(actorOf(req)),
  );

  app.patch(
    '/api/profile',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'Change my display name (what customers see), language or time zone',
        body: updateProfileRequest,
        response: { 200: profile },
      },
    },
    async (req) => s.profile.update(actorOf(req), req.body),
  );

  app.post(
    '/api/profile/password',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'Change my password; my other sessions end',
        body: changePasswordRequest,
        response: { 200: z.object({ sessionsEnded: z.number().int() }) },
      },
    },
    async (req) => s.profile.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword),
  );

  app.post(
    '/api/profile/avatar',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'Upload my picture (PNG, JPEG or WebP, at most 512 KB; multipart "file")',
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const upload = await readUpload(req);
      await s.profile.setAvatar(actorOf(req), upload.buffer);
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/profile/avatar',
    { config: { permission: 'signed_in' }, schema: { tags: ['profile'], summary: 'Remove my picture' } },
    async (req, reply) => {
      await s.profile.deleteAvatar(actorOf(req));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/profile/sessions',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'My signed-in sessions in this account (device, IP, last used)',
        response: { 200: items(mySession) },
      },
    },
    async (req) => ({
      items: (await s.profile.sessions(actorOf(req))).map((x) => ({
        ...x,
        createdAt: x.createdAt.toISOString(),
        lastSeenAt: x.lastSeenAt.toISOString(),
      })),
    }),
  );

  app.delete(
    '/api/profile/sessions/:id',
    { config: { permission: 'signed_in' }, schema: { tags: ['profile'], summary: 'Sign one of my sessions out', params: idParams } },
    async (req, reply) => {
      await s.profile.revokeSession(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/profile/two-factor',
    {
      config: { permission: 'signed_in' },
      schema: { tags: ['profile'], summary: 'My two-factor sign-in', response: { 200: twoFactorStatus } },
    },
    async (req) => s.identity.twoFactor.status(actorOf(req)),
  );

  app.post(
    '/api/profile/two-factor/setup',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'Start setting up an authenticator (QR code); confirm with its first code',
        response: { 200: twoFactorSetup },
      },
    },
    async (req) => s.identity.twoFactor.setup(actorOf(req)),
  );

  app.post(
    '/api/profile/two-factor/confirm',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'Turn two-factor sign-in on with the first code; answers the ten recovery codes (shown once)',
        body: twoFactorCode,
        response: { 200: recoveryCodesResponse },
      },
    },
    async (req) => ({ recoveryCodes: await s.identity.twoFactor.confirm(actorOf(req), req.body.code) }),
  );

  app.post(
    '/api/profile/two-factor/recovery-codes',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['profile'],
        summary: 'Ten new recovery codes (the old ones stop working)',
        body: twoFactorCode,
        response: { 200: recoveryCodesResponse },
      },
    },
    async (req) => ({ recoveryCodes: await s.identity.twoFactor.regenerateRecoveryCodes(actorOf(req), req.body.code) }),
  );

  app.post(
    '/api/profile/two-factor/disable',
    {
      config: { permission: 'signed_in' },
      schema: { tags: ['profile'], summary: 'Turn two-factor sign-in off (needs a current code)', body: twoFactorCode },
    },
    async (req, reply) => {
      await s.identity.twoFactor.disable(actorOf(req), req.body.code);
      return reply.status(204).send();
    },
  );
}

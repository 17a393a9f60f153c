import { z } from 'zod';
import { role } from './common.js';

/** People of an account: invitations, the team list, profile, password reset and two-factor sign-in. */

const password = z.string().min(1).max(1000);
const token = z.string().min(10).max(200);
const name = z.string().trim().min(1).max(200);

export const inviteRequest = z.object({ email: z.email().max(320), role });
export type InviteRequest = z.infer<typeof inviteRequest>;

export const invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  role,
  status: z.enum(['pending', 'expired', 'accepted', 'revoked']),
  invitedBy: z.string().nullable(),
  sentAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type Invitation = z.infer<typeof invitation>;

/** `link` is the accept link: shown to the inviter when no mail server is configured (`mailed: false`). */
export const invitationSent = invitation.extend({ link: z.string().nullable(), mailed: z.boolean() });
export type InvitationSent = z.infer<typeof invitationSent>;

/** What the accept page shows before the invitee chooses a name and password. */
export const invitationPreview = z.object({ email: z.string(), accountName: z.string(), role, expiresAt: z.iso.datetime() });
export type InvitationPreview = z.infer<typeof invitationPreview>;
export const invitationPreviewRequest = z.object({ token });
export const acceptInvitationRequest = z.object({ token, name, password });

export const teamMember = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
  status: z.enum(['active', 'deactivated']),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  lastActiveAt: z.iso.datetime().nullable(),
  twoFactor: z.boolean(),
  hasAvatar: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type TeamMember = z.infer<typeof teamMember>;

export const passwordResetRequest = z.object({ email: z.email().max(320) });
export const passwordResetConfirm = z.object({ token, password });

export const profile = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  locale: z.enum(['ru', 'en']).nullable(),
  timeZone: z.string().nullable(),
  hasAvatar: z.boolean(),
  twoFactor: z.boolean(),
  /** Whether the account obliges this person to use two-factor sign-in (owners and admins when set). */
  twoFactorRequired: z.boolean(),
});
export type Profile = z.infer<typeof profile>;
/** An IANA time zone the runtime knows ("Europe/Moscow", "UTC", and aliases such as "Europe/Kiev"). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const updateProfileRequest = z.object({
  name: name.optional(),
  locale: z.enum(['ru', 'en']).nullable().optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'unknown time zone').nullable().optional(),
});
export const changePasswordRequest = z.object({ currentPassword: password, newPassword: password });

export const mySession = z.object({
  id: z.uuid(),
  ip: z.string().nullable(),
  device: z.string(),
  userAgent: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  current: z.boolean(),
});
export type MySession = z.infer<typeof mySession>;
export const signOutEverywhereRequest = z.object({ includeTokens: z.boolean().default(false) });

/** An API token as a manager sees it: whose it is. */
export const accountToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  userId: z.uuid(),
  userName: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type AccountToken = z.infer<typeof accountToken>;

export const twoFactorStatus = z.object({ enabled: z.boolean(), required: z.boolean(), recoveryCodesLeft: z.number().int() });
export type TwoFactorStatus = z.infer<typeof twoFactorStatus>;
/** A new authenticator waiting for its first code: the secret for manual entry and the otpauth:// URI for the QR code. */
export const twoFactorSetup = z.object({ secret: z.string(), uri: z.string() });
export type TwoFactorSetup = z.infer<typeof twoFactorSetup>;
export const twoFactorCode = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'six digits'),
});
export const recoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()) });

/** The first step of a sign-in with two-factor: a password matched, a code is needed (or enrolment first). */
export const twoFactorChallenge = z.object({
  twoFactorRequired: z.literal(true),
  challenge: z.string(),
  enrolmentRequired: z.boolean(),
});
export type TwoFactorChallenge = z.infer<typeof twoFactorChallenge>;
export const loginSecondStepRequest = z
  .object({
    challenge: token,
    code: z.string().trim().max(20).optional(),
    recoveryCode: z.string().trim().max(40).optional(),
    rememberDevice: z.boolean().default(false),
  })
  .refine((b) => Boolean(b.code) !== Boolean(b.recoveryCode), 'send either code or recoveryCode');
export const challengeRequest = z.object({ challenge: token });

export const twoFactorPolicy = z.object({ requireTwoFactor: z.boolean() });

import type { ChannelType } from '@switchboard/shared';
import type { ParseKeys } from 'i18next';

export type FieldKind = 'text' | 'textarea' | 'secret' | 'number' | 'switch' | 'mode' | 'origins' | 'select' | 'color';
export type FieldValue = string | number | boolean | string[];
export type FormValues = Record<string, FieldValue>;
export type FieldSection = 'main' | 'imap' | 'smtp' | 'advanced' | 'behaviour';

/** One input of a channel's settings form, generated into a Mantine control. */
export interface FieldSpec {
  /** Path in `config`, dotted for nested objects (`preChat.name`). */
  key: string;
  kind: FieldKind;
  label: ParseKeys;
  hint?: ParseKeys;
  /** Shown when the value does not have the shape the schema wants (instead of zod's English text). */
  invalid?: ParseKeys;
  placeholder?: string;
  /** Required on create (the schema decides; this only draws the asterisk). */
  required?: boolean;
  initial?: FieldValue;
  options?: readonly { value: string; label: ParseKeys }[];
  min?: number;
  max?: number;
  section?: FieldSection;
  testId?: string;
  /** Shown only when this holds for the current values. */
  visible?: (values: FormValues) => boolean;
}

const F = 'channels.fields';

const behaviour: FieldSpec[] = [
  {
    key: 'assistant.enabled',
    kind: 'switch',
    label: `${F}.assistant.label`,
    hint: `${F}.assistant.hint`,
    initial: false,
    section: 'behaviour',
    testId: 'channel-assistant-input',
  },
  {
    key: 'silenceAlertMinutes',
    kind: 'number',
    label: `${F}.silenceAlertMinutes.label`,
    hint: `${F}.silenceAlertMinutes.hint`,
    min: 5,
    max: 60 * 24 * 14,
    section: 'behaviour',
    testId: 'channel-silence-input',
  },
];

const mode = (hint: ParseKeys): FieldSpec => ({
  key: 'mode',
  kind: 'mode',
  label: `${F}.mode.label`,
  hint,
  initial: 'webhook',
  testId: 'channel-mode-input',
});

const FIELDS: Record<ChannelType, FieldSpec[]> = {
  telegram: [
    {
      key: 'botToken',
      kind: 'secret',
      label: `${F}.botToken.label`,
      hint: `${F}.botToken.hint`,
      invalid: `${F}.botToken.invalid`,
      required: true,
      testId: 'channel-token-input',
    },
    mode(`${F}.mode.telegramHint`),
    {
      key: 'purpose',
      kind: 'select',
      label: `${F}.purpose.label`,
      hint: `${F}.purpose.hint`,
      initial: 'customers',
      options: [
        { value: 'customers', label: `${F}.purpose.customers` },
        { value: 'operators', label: `${F}.purpose.operators` },
      ],
      section: 'advanced',
    },
    {
      key: 'bridgeGroupChatId',
      kind: 'text',
      label: `${F}.bridgeGroupChatId.label`,
      hint: `${F}.bridgeGroupChatId.hint`,
      placeholder: '-1001234567890',
      section: 'advanced',
      visible: (v) => v.purpose === 'operators',
    },
  ],
  avito: [
    { key: 'clientId', kind: 'text', label: `${F}.clientId.label`, hint: `${F}.clientId.hint`, required: true },
    { key: 'clientSecret', kind: 'secret', label: `${F}.clientSecret.label`, required: true },
    mode(`${F}.mode.avitoHint`),
    {
      key: 'authorizationCode',
      kind: 'secret',
      label: `${F}.authorizationCode.label`,
      hint: `${F}.authorizationCode.hint`,
      section: 'advanced',
    },
    {
      key: 'redirectUri',
      kind: 'text',
      label: `${F}.redirectUri.label`,
      invalid: `${F}.url.invalid`,
      placeholder: 'https://',
      section: 'advanced',
    },
  ],
  whatsapp_cloud: [
    {
      key: 'phoneNumberId',
      kind: 'text',
      label: `${F}.phoneNumberId.label`,
      hint: `${F}.phoneNumberId.hint`,
      invalid: `${F}.phoneNumberId.invalid`,
      required: true,
      placeholder: '106540352242922',
    },
    { key: 'accessToken', kind: 'secret', label: `${F}.accessToken.label`, hint: `${F}.accessToken.hint`, required: true },
    { key: 'appSecret', kind: 'secret', label: `${F}.appSecret.label`, hint: `${F}.appSecret.hint`, required: true },
  ],
  green_api: [
    {
      key: 'idInstance',
      kind: 'text',
      label: `${F}.idInstance.label`,
      invalid: `${F}.idInstance.invalid`,
      required: true,
      placeholder: '1101000001',
    },
    { key: 'apiTokenInstance', kind: 'secret', label: `${F}.apiTokenInstance.label`, required: true },
    mode(`${F}.mode.greenApiHint`),
    {
      key: 'apiUrl',
      kind: 'text',
      label: `${F}.apiUrl.label`,
      hint: `${F}.apiUrl.hint`,
      invalid: `${F}.url.invalid`,
      placeholder: 'https://7103.api.greenapi.com',
      section: 'advanced',
    },
  ],
  widget: [
    { key: 'title', kind: 'text', label: `${F}.title.label`, hint: `${F}.title.hint` },
    { key: 'greeting', kind: 'textarea', label: `${F}.greeting.label`, hint: `${F}.greeting.hint` },
    { key: 'color', kind: 'color', label: `${F}.color.label`, invalid: `${F}.color.invalid`, placeholder: '#228be6' },
    {
      key: 'locale',
      kind: 'select',
      label: `${F}.locale.label`,
      initial: 'auto',
      options: [
        { value: 'auto', label: `${F}.locale.auto` },
        { value: 'ru', label: `${F}.locale.ru` },
        { value: 'en', label: `${F}.locale.en` },
      ],
    },
    {
      key: 'allowedOrigins',
      kind: 'origins',
      label: `${F}.allowedOrigins.label`,
      hint: `${F}.allowedOrigins.hint`,
      invalid: `${F}.allowedOrigins.invalid`,
      placeholder: 'https://shop.example',
      initial: [],
    },
    { key: 'preChat.name', kind: 'switch', label: `${F}.preChatName.label`, initial: false },
    { key: 'preChat.email', kind: 'switch', label: `${F}.preChatEmail.label`, initial: false },
  ],
  email: [
    {
      key: 'address',
      kind: 'text',
      label: `${F}.address.label`,
      invalid: `${F}.address.invalid`,
      required: true,
      placeholder: 'support@shop.example',
    },
    { key: 'fromName', kind: 'text', label: `${F}.fromName.label`, hint: `${F}.fromName.hint` },
    { key: 'imapHost', kind: 'text', label: `${F}.host.label`, required: true, placeholder: 'imap.example.com', section: 'imap' },
    { key: 'imapPort', kind: 'number', label: `${F}.port.label`, required: true, initial: 993, min: 1, max: 65535, section: 'imap' },
    { key: 'imapSecure', kind: 'switch', label: `${F}.secure.label`, initial: true, section: 'imap' },
    { key: 'imapUser', kind: 'text', label: `${F}.user.label`, required: true, section: 'imap' },
    { key: 'imapPassword', kind: 'secret', label: `${F}.password.label`, required: true, section: 'imap' },
    { key: 'imapMailbox', kind: 'text', label: `${F}.mailbox.label`, initial: 'INBOX', section: 'imap' },
    { key: 'smtpHost', kind: 'text', label: `${F}.host.label`, required: true, placeholder: 'smtp.example.com', section: 'smtp' },
    { key: 'smtpPort', kind: 'number', label: `${F}.port.label`, required: true, initial: 465, min: 1, max: 65535, section: 'smtp' },
    { key: 'smtpSecure', kind: 'switch', label: `${F}.secure.label`, initial: true, section: 'smtp' },
    { key: 'smtpUser', kind: 'text', label: `${F}.user.label`, required: true, section: 'smtp' },
    { key: 'smtpPassword', kind: 'secret', label: `${F}.password.label`, required: true, section: 'smtp' },
  ],
  api: [
    {
      key: 'callbackUrl',
      kind: 'text',
      label: `${F}.callbackUrl.label`,
      hint: `${F}.callbackUrl.hint`,
      invalid: `${F}.url.invalid`,
      placeholder: 'https://crm.example/switchboard',
    },
  ],
};

/** The form of a channel type: its own settings, then the assistant and the silence alert every type has. */
export function fieldsOf(type: ChannelType): FieldSpec[] {
  return [...FIELDS[type], ...behaviour];
}

/** Types whose connection needs a step on the other side (paste a URL into Meta, embed a snippet, call an API). */
export const NEEDS_SETUP_STEP: readonly ChannelType[] = ['whatsapp_cloud', 'widget', 'api'];

import {
  IconApi,
  IconBrandTelegram,
  IconBrandWhatsapp,
  IconMail,
  IconMessageCircle,
  IconMessages,
  IconShoppingBag,
  type Icon,
} from '@tabler/icons-react';

const ICONS: Record<string, { icon: Icon; color: string }> = {
  telegram: { icon: IconBrandTelegram, color: '#229ED9' },
  whatsapp: { icon: IconBrandWhatsapp, color: '#25D366' },
  whatsapp_cloud: { icon: IconBrandWhatsapp, color: '#25D366' },
  // WhatsApp through the Green-API gateway: the same messenger, a darker green to tell them apart.
  green_api: { icon: IconBrandWhatsapp, color: '#128C7E' },
  email: { icon: IconMail, color: 'var(--mantine-color-orange-6)' },
  widget: { icon: IconMessageCircle, color: 'var(--mantine-color-indigo-5)' },
  avito: { icon: IconShoppingBag, color: '#00AAFF' },
  api: { icon: IconApi, color: 'var(--mantine-color-teal-6)' },
};

export function ChannelIcon({ type, size = 16 }: { type: string; size?: number }) {
  const { icon: TypeIcon, color } = ICONS[type] ?? { icon: IconMessages, color: 'var(--mantine-color-gray-6)' };
  return <TypeIcon size={size} color={color} aria-label={type} role="img" style={{ flexShrink: 0 }} />;
}

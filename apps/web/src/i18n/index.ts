import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import baseEn from './en.json';
import baseRu from './ru.json';
import contactsEn from '../features/contacts/locales/en.json';
import contactsRu from '../features/contacts/locales/ru.json';
import searchEn from '../features/search/locales/en.json';
import searchRu from '../features/search/locales/ru.json';
import teamworkEn from '../features/teamwork/locales/en.json';
import teamworkRu from '../features/teamwork/locales/ru.json';
import notificationsEn from '../features/notifications/locales/en.json';
import notificationsRu from '../features/notifications/locales/ru.json';
import chatEn from '../features/chat/locales/en.json';
import chatRu from '../features/chat/locales/ru.json';
import reportsEn from '../features/reports/locales/en.json';
import reportsRu from '../features/reports/locales/ru.json';
import onboardingEn from '../features/onboarding/locales/en.json';
import onboardingRu from '../features/onboarding/locales/ru.json';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Newer domains keep their texts beside their code (`features/<domain>/locales/{en,ru}.json`), each under
 * its own top-level key, so parallel work on several domains never edits one shared file.
 */
const en = {
  ...baseEn,
  contacts: contactsEn,
  search: searchEn,
  teamwork: teamworkEn,
  notifications: notificationsEn,
  chat: chatEn,
  reports: reportsEn,
  onboarding: onboardingEn,
};
// Compile-time check that the Russian files have every key of the English ones.
const ruTranslation: typeof en = {
  ...baseRu,
  contacts: contactsRu,
  search: searchRu,
  teamwork: teamworkRu,
  notifications: notificationsRu,
  chat: chatRu,
  reports: reportsRu,
  onboarding: onboardingRu,
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** Russian for Russian-language browsers, English otherwise; the user's choice is remembered. */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, ru: { translation: ruTranslation } },
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: 'switchboard.language', caches: ['localStorage'] },
    returnNull: false,
  });

const syncHtmlLang = (lng: string) => document.documentElement.setAttribute('lang', lng);
syncHtmlLang(i18n.resolvedLanguage ?? 'en');
i18n.on('languageChanged', syncHtmlLang);

/** The active UI language, narrowed to the ones we ship. */
export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'ru' ? 'ru' : 'en';
}

export default i18n;

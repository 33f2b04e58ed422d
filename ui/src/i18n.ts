/**
 * The UI's languages. Messages live in files, one per feature and language:
 * `locales/<language>/<feature>.json` becomes `<feature>.<key>` (so `locales/es/nav.json`'s
 * `"findTraining"` is `t('nav.findTraining')`). English is the fallback for any missing message.
 * The chosen language is kept in the browser and sent to the API, which writes emails in it.
 */
import { createI18n } from 'vue-i18n';

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
] as const;
export type Language = (typeof languages)[number]['code'];

interface Messages {
  [key: string]: string | Messages;
}
const files = import.meta.glob<Messages>('./locales/*/*.json', { eager: true, import: 'default' });

function messagesByLanguage(): Record<Language, Messages> {
  const out: Record<string, Messages> = { en: {}, es: {} };
  for (const [file, messages] of Object.entries(files)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(file);
    if (!match) continue;
    const [, language = '', feature = ''] = match;
    (out[language] ??= {})[feature] = messages;
  }
  return out as Record<Language, Messages>;
}

const storageKey = 'mopd.language';

function isLanguage(value: string | null | undefined): value is Language {
  return languages.some((l) => l.code === value);
}

export function initialLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(storageKey);
  if (isLanguage(stored)) return stored;
  const preferred = typeof navigator === 'undefined' ? '' : navigator.language.slice(0, 2);
  return isLanguage(preferred) ? preferred : 'en';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLanguage() as string,
  fallbackLocale: 'en',
  messages: messagesByLanguage(),
});

/** Switches the UI's language, remembers it, and tells assistive technology through <html lang>. */
export function setLanguage(language: Language): void {
  i18n.global.locale.value = language;
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
}

export function currentLanguage(): Language {
  return i18n.global.locale.value as Language;
}

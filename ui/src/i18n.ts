/**
 * The UI's languages. Messages live in files, one per feature and language:
 * `locales/<language>/<feature>.json` becomes `<feature>.<key>` (so `locales/es/nav.json`'s
 * `"findTraining"` is `t('nav.findTraining')`). English is the fallback for any missing message.
 * The chosen language is kept in the browser and sent to the API, which writes emails in it.
 */
import { createI18n } from 'vue-i18n';
import type { Language } from '../../rules/domain';

export type { Language };
/** Each language MOPD speaks (rules/domain.ts LANGUAGES), named in itself. */
export const languages: ReadonlyArray<{ code: Language; name: string }> = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
];

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

function pluralIndex(choice: number, choicesLength: number): number {
  const n = Math.abs(choice);
  if (choicesLength === 3) return n === 0 ? 0 : n === 1 ? 1 : 2;
  return n === 1 ? 0 : 1;
}

/**
 * A record of labels whose values are messages (`<prefix>.<key>`), read in the current language
 * each time: templates keep writing `LABELS[value]` and follow a language switch.
 */
export function translatedLabels<K extends string>(prefix: string, keys: readonly K[]): Readonly<Record<K, string>> {
  const labels = {} as Record<K, string>;
  for (const key of keys)
    Object.defineProperty(labels, key, { enumerable: true, get: () => i18n.global.t(`${prefix}.${key}`) });
  return labels;
}

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
  // "one | other" (or "zero | one | other") messages: English and Spanish both use "one" for exactly 1 only.
  pluralRules: { en: pluralIndex, es: pluralIndex },
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

/**
 * The locale for Intl (dates, numbers, lists) in the current language: Spanish as written in the
 * United States. Reading it inside a render makes the text follow a language switch.
 */
export function intlLocale(): string {
  return currentLanguage() === 'es' ? 'es-US' : 'en-US';
}

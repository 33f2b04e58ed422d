/**
 * What instruments written as data (the self-assessment, the micro-credential catalog) share for
 * their translations: English is the text itself; other languages are kept beside it by the same
 * ids, each text optional (shown in English when left out) but never empty when given.
 */
import { z } from 'zod';
import { LANGUAGES, type Language } from './domain.js';

export type TranslatedLanguage = Exclude<Language, 'en'>;

/** The languages an instrument may be translated into. */
export const TRANSLATED_LANGUAGES = LANGUAGES.filter((l) => l !== 'en') as [
  TranslatedLanguage,
  ...TranslatedLanguage[],
];

/** A translated text, when given, says something. */
export const translatedText = z.string().trim().min(1, 'must not be empty');

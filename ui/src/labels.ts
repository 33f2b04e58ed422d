/**
 * Labels of the registry's codes in the current language, one place for every page: topics and
 * course levels read the same in the catalog, on event pages, in applications and in suggestions.
 */
import { i18n } from './i18n';
import { TOPICS } from '../../rules/domain';

/** A topic's label; a code the translations do not know yet shows its English name, then the code itself. */
export function topicLabel(code: string): string {
  const key = `recommendations.topics.${code}`;
  return i18n.global.te(key)
    ? i18n.global.t(key)
    : ((TOPICS as Record<string, string>)[code] ?? code.replace(/-/g, ' '));
}

/** Every topic as [code, label] in the current language (call it inside a computed or a render). */
export const topicEntries = (): Array<[string, string]> => Object.keys(TOPICS).map((code) => [code, topicLabel(code)]);

/** A course level's label (introductory, intermediate, advanced). */
export function levelLabel(code: string): string {
  const key = `recommendations.levels.${code}`;
  return i18n.global.te(key) ? i18n.global.t(key) : code;
}

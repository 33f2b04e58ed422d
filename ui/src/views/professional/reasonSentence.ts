/**
 * Why a training is suggested, in the reader's language: MOPD's own sentence for the reason
 * (`recommendations.reasons.<key>`, ui/src/locales/<language>/recommendations.json) with the values
 * it names (rules/recommendations.ts ReasonWords). A reason without words, or one whose sentence,
 * topic, level or delivery this UI does not know, shows the English `text` the ranking wrote.
 * Labels from the rule set (a deadline's, an hours requirement's, a credit rule's reasons) are
 * policy text and stay as the rule set says them.
 */
import type { ReasonWords } from '../../../../rules/recommendations.js';
import { wordedSentence, type Formats, type Wording } from '../../wordedSentence.js';

export interface SaidReason {
  text: string;
  words?: ReasonWords | null;
}

/** Where the UI names a code a value carries. */
const LABELS: Record<string, string> = {
  topic: 'recommendations.topics',
  level: 'recommendations.levels',
  delivery: 'profile.self.delivery',
};

export function reasonSentence(reason: SaidReason, wording: Wording, formats: Formats): string {
  const hours = (value: number) => wording.t('recommendations.hours', { n: formats.number(value) }, value);
  return wordedSentence('recommendations.reasons', reason.words, reason.text, wording, { hours, ...formats }, LABELS);
}

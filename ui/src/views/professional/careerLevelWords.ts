/**
 * A career level's name and description in the reader's language. The levels are policy: the rule
 * set names them, in English, and policy staff may rename them. The page says the shipped names in
 * the reader's words (`profile.careerLevels.<n>`), and only when the rule set still says exactly the
 * shipped English; a name policy staff wrote shows as they wrote it.
 */
import type { Wording } from '../../wordedSentence.js';

/** The English of rules/versions/mopd-compliance.v1.json, by the key of its words. */
const SHIPPED: Record<string, string> = {
  'Level 1 · Entry': 'level1.label',
  'Everyone in the registry starts here.': 'level1.description',
  'Level 2 · Developing': 'level2.label',
  '30 or more credited clock hours.': 'level2.description',
  'Level 3 · Credentialed': 'level3.label',
  'A CDA credential or a higher degree, and 60 or more credited clock hours.': 'level3.description',
  'Level 4 · Degreed': 'level4.label',
  'An associate degree or higher, or 12 or more college credit hours of coursework, and 90 or more credited clock hours.':
    'level4.description',
  'Level 5 · Advanced': 'level5.label',
  "A bachelor's degree or higher and 120 or more credited clock hours.": 'level5.description',
  'Level 6 · Leader': 'level6.label',
  "A master's degree or higher and 180 or more credited clock hours.": 'level6.description',
};

export function careerLevelWords(text: string, wording: Wording): string {
  const key = SHIPPED[text];
  return key && wording.te(`profile.careerLevels.${key}`) ? wording.t(`profile.careerLevels.${key}`, {}) : text;
}

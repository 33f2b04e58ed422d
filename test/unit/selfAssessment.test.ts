/** The self-assessment instrument as data: checking answers, area scores, strengths, growth areas and change. */
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../rules/domain.js';
import {
  answerProblems,
  changeBetween,
  CURRENT_INSTRUMENT,
  instrumentIn,
  INSTRUMENTS,
  parseInstrument,
  profileOf,
  scoreAreas,
  untranslatedTexts,
  type Answers,
} from '../../rules/selfAssessment.js';
import selfAssessmentV1 from '../../rules/instruments/self-assessment.v1.json' with { type: 'json' };

const instrument = CURRENT_INSTRUMENT;
/** Every statement answered `value`, then the given areas' statements answered as said. */
function answers(value: number, byArea: Record<string, number[]> = {}): Answers {
  const out: Answers = {};
  for (const section of instrument.sections)
    section.statements.forEach((s, i) => (out[s.id] = byArea[section.area]?.[i] ?? value));
  return out;
}

describe('the instrument', () => {
  it('has one section per competency area, each with two or three statements, on a 4-point scale', () => {
    expect(instrument.sections.map((s) => s.area).sort()).toEqual(Object.keys(TOPICS).sort());
    for (const section of instrument.sections) expect(section.statements.length).toBeGreaterThanOrEqual(2);
    for (const section of instrument.sections) expect(section.statements.length).toBeLessThanOrEqual(3);
    expect(instrument.scale.map((p) => p.label)).toEqual(['Not yet', 'Sometimes', 'Usually', 'Could coach others']);
    expect(instrument.version).toBe('self-assessment.v1');
  });

  it('refuses an instrument that leaves out an area or repeats a statement id', () => {
    const missing = { ...selfAssessmentV1, sections: selfAssessmentV1.sections.filter((s) => s.area !== 'guidance') };
    expect(() => parseInstrument(missing)).toThrow(/no section for the competency area guidance/);
    const first = selfAssessmentV1.sections[0]!;
    const repeated = {
      ...selfAssessmentV1,
      sections: [
        { ...first, statements: [...first.statements, first.statements[0]!] },
        ...selfAssessmentV1.sections.slice(1),
      ],
    };
    expect(() => parseInstrument(repeated)).toThrow(/statement id twice/);
  });
});

describe('the instrument in Spanish', () => {
  it('has a Spanish text for every text of every shipped version', () => {
    for (const shipped of INSTRUMENTS.values()) expect(untranslatedTexts(shipped, 'es')).toEqual([]);
  });

  it('names a new statement that has no Spanish text yet', () => {
    const first = selfAssessmentV1.sections[0]!;
    const added = parseInstrument({
      ...selfAssessmentV1,
      sections: [
        {
          ...first,
          statements: [
            ...first.statements,
            { id: 'health-safety-new', text: 'A statement added without its translation.' },
          ],
        },
        ...selfAssessmentV1.sections.slice(1),
      ],
    });
    expect(untranslatedTexts(added, 'es')).toEqual(['statements.health-safety-new']);
    // Until it has one, a Spanish speaker reads it in English; the rest stays Spanish.
    const shown = instrumentIn(added, 'es').sections[0]!;
    expect(shown.statements.at(-1)).toEqual({
      id: 'health-safety-new',
      text: 'A statement added without its translation.',
    });
    expect(shown.statements[0]!.text).toMatch(/^Reviso todos los días/);
  });

  it('refuses an empty translation, or one of a statement or scale value the instrument does not have', () => {
    const es = selfAssessmentV1.translations.es;
    expect(() =>
      parseInstrument({
        ...selfAssessmentV1,
        translations: { es: { ...es, statements: { ...es.statements, 'guidance-calm': '  ' } } },
      }),
    ).toThrow(/must not be empty/);
    expect(() =>
      parseInstrument({
        ...selfAssessmentV1,
        translations: { es: { ...es, statements: { ...es.statements, 'guidance-calmm': 'Mantengo la calma.' } } },
      }),
    ).toThrow(/is not a statement id/);
    expect(() =>
      parseInstrument({ ...selfAssessmentV1, translations: { es: { ...es, scale: { ...es.scale, '5': 'Siempre' } } } }),
    ).toThrow(/is not a value on the scale/);
    expect(() => parseInstrument({ ...selfAssessmentV1, translations: { fr: es } })).toThrow();
  });

  it('keeps the ids, values and thresholds: only the words change', () => {
    const spanish = instrumentIn(instrument, 'es');
    const english = instrumentIn(instrument, 'en');
    expect(spanish.sections.map((s) => s.statements.map((st) => st.id))).toEqual(
      english.sections.map((s) => s.statements.map((st) => st.id)),
    );
    expect(spanish.scale.map((p) => p.value)).toEqual(english.scale.map((p) => p.value));
    expect(spanish.thresholds).toEqual(instrument.thresholds);
    expect(english.sections.find((s) => s.area === 'guidance')).toMatchObject({
      label: TOPICS.guidance,
      statements: instrument.sections.find((s) => s.area === 'guidance')!.statements,
    });
    expect(spanish.sections.find((s) => s.area === 'guidance')!.label).toBe('Orientación y conducta positiva');
  });
});

describe('checking answers', () => {
  it('accepts every statement answered on the scale', () => {
    expect(answerProblems(instrument, answers(3))).toEqual([]);
  });

  it('names each statement left unanswered or answered off the scale, and any it does not ask', () => {
    const given: Record<string, unknown> = answers(3);
    delete given['guidance-calm'];
    given['curriculum-plan'] = 5;
    given['assessment-observe'] = '3';
    given['made-up'] = 2;
    expect(answerProblems(instrument, given)).toEqual([
      { statementId: 'curriculum-plan', message: "must be one of the scale's values, 1 to 4" },
      { statementId: 'guidance-calm', message: 'must be answered' },
      { statementId: 'assessment-observe', message: "must be one of the scale's values, 1 to 4" },
      { statementId: 'made-up', message: 'is not a statement of self-assessment.v1' },
    ]);
  });
});

describe('the profile', () => {
  it('averages each area to two decimals', () => {
    const scores = scoreAreas(instrument, answers(3, { guidance: [1, 2, 2], 'infant-safe-sleep': [4, 3] }));
    expect(scores.find((s) => s.area === 'guidance')).toEqual({
      area: 'guidance',
      label: 'Guidance and positive behavior',
      average: 1.67,
    });
    expect(scores.find((s) => s.area === 'infant-safe-sleep')!.average).toBe(3.5);
  });

  it('calls areas at 3.25 or more strengths and areas at 2.25 or less growth areas, lowest first', () => {
    const profile = profileOf(
      instrument,
      answers(3, { guidance: [1, 2, 2], assessment: [2, 2, 3], 'family-engagement': [4, 4, 3], curriculum: [3, 3, 4] }),
    );
    expect(profile.growthAreas).toEqual(['guidance']);
    expect(profile.strengths).toEqual(['curriculum', 'family-engagement']);
  });

  it('takes the two lowest areas that are not strengths as growth areas when none is low', () => {
    const profile = profileOf(
      instrument,
      answers(4, { assessment: [3, 3, 2], professionalism: [3, 3, 3], curriculum: [3, 3, 4] }),
    );
    expect(profile.growthAreas).toEqual(['assessment', 'professionalism']);
  });

  it('finds no growth area when every area is a strength', () => {
    expect(profileOf(instrument, answers(4)).growthAreas).toEqual([]);
  });

  it('shows the change in each area from the earlier assessment', () => {
    const earlier = profileOf(instrument, answers(3, { guidance: [1, 2, 2] }));
    const later = profileOf(instrument, answers(3, { guidance: [3, 3, 2], curriculum: [2, 2, 2] }));
    const change = changeBetween(earlier, later);
    expect(change.find((c) => c.area === 'guidance')).toEqual({
      area: 'guidance',
      label: 'Guidance and positive behavior',
      before: 1.67,
      after: 2.67,
      difference: 1,
    });
    expect(change.find((c) => c.area === 'curriculum')).toMatchObject({ before: 3, after: 2, difference: -1 });
    expect(change.find((c) => c.area === 'health-safety')).toMatchObject({ difference: 0 });
  });
});

/** Ranking recommended training: each fact's weight, and the reasons every suggestion carries, in English and Spanish. */
import { describe, expect, it } from 'vitest';
import {
  rankRecommendations,
  reasonsFor,
  REASON_WORDINGS,
  WEIGHTS,
  type Candidate,
  type LearnerFacts,
  type ReasonWords,
} from '../../rules/recommendations.js';
import { createI18n } from 'vue-i18n';
import { reasonSentence, type SaidReason } from '../../ui/src/views/professional/reasonSentence.js';
import en from '../../ui/src/locales/en/recommendations.json' with { type: 'json' };
import es from '../../ui/src/locales/es/recommendations.json' with { type: 'json' };
import enProfile from '../../ui/src/locales/en/profile.json' with { type: 'json' };
import esProfile from '../../ui/src/locales/es/profile.json' with { type: 'json' };

// The rule set's own reason texts, as the credit decision hands them over (rules/versions/mopd-compliance.v1.json).
const ONLINE_CPR =
  'CPR/First Aid taken only online does not earn clock hours; it must include an in-person skills assessment.';
const BLENDED_CPR =
  'For blended CPR/First Aid only the in-person skills part earns clock hours; the online part does not.';

let nextId = 1;
/** A candidate whose hours all count, unless `credit` says otherwise. */
function aCandidate(over: Partial<Candidate> = {}): Candidate {
  const id = nextId++;
  const clockHours = over.clockHours ?? 2;
  return {
    credit: { hours: clockHours, none: false, reasons: [] },
    kind: 'event',
    id,
    courseId: id,
    title: `Course ${id}`,
    topic: 'health-safety',
    level: null,
    delivery: 'in_person',
    clockHours: 2,
    startsOn: '2026-12-01',
    miles: null,
    feeCents: 0,
    ratings: { count: 0, average: null },
    enrollments: null,
    ...over,
  };
}

function facts(over: Partial<LearnerFacts> = {}): LearnerFacts {
  return {
    today: '2026-11-20',
    growthAreas: [],
    deadlines: [],
    hourGaps: [],
    experienceYears: null,
    delivery: null,
    excluded: { courseIds: [], eventIds: [] },
    ...over,
  };
}

const titles = (list: Array<{ title: string }>) => list.map((r) => r.title);

describe('recommendation ranking', () => {
  it('suggests introductory training to a newcomer and advanced training to a veteran', () => {
    const candidates = [
      aCandidate({ title: 'Guidance basics', topic: 'guidance', level: 'introductory' }),
      aCandidate({ title: 'Guidance in depth', topic: 'guidance', level: 'intermediate' }),
      aCandidate({ title: 'Leading guidance practice', topic: 'guidance', level: 'advanced' }),
    ];
    const newcomer = rankRecommendations(candidates, facts({ growthAreas: ['guidance'], experienceYears: 0.5 }));
    const veteran = rankRecommendations(candidates, facts({ growthAreas: ['guidance'], experienceYears: 20 }));
    expect(newcomer[0]!.title).toBe('Guidance basics');
    expect(newcomer[0]!.reasons.map((r) => r.text)).toContain('Introductory — suited to your first years');
    expect(veteran[0]!.title).toBe('Leading guidance practice');
    expect(veteran[0]!.reasons.map((r) => r.text)).toContain('Advanced — suited to your 20 years of experience');
    expect(titles(veteran).at(-1)).toBe('Guidance basics');
  });

  it('puts training on a deadline topic above training in a growth area', () => {
    const ranked = rankRecommendations(
      [
        aCandidate({ title: 'Positive guidance', topic: 'guidance' }),
        aCandidate({ title: 'Safe sleep', topic: 'infant-safe-sleep' }),
      ],
      facts({
        growthAreas: ['guidance'],
        deadlines: [
          {
            topic: 'infant-safe-sleep',
            label: 'Infant safe-sleep training within 30 days of hire',
            dueOn: '2026-12-05',
          },
        ],
      }),
    );
    expect(titles(ranked)).toEqual(['Safe sleep', 'Positive guidance']);
    expect(ranked[0]!.reasons[0]).toEqual({
      source: 'deadline',
      points: WEIGHTS.deadline + WEIGHTS.urgentDeadline,
      text: 'Due by 2026-12-05: Infant safe-sleep training within 30 days of hire',
      words: {
        key: 'deadlineDue',
        values: { label: 'Infant safe-sleep training within 30 days of hire', dueOn: '2026-12-05' },
      },
    });
    expect(ranked[1]!.reasons).toEqual([
      {
        source: 'growth-area',
        points: WEIGHTS.growthArea,
        text: 'A growth area in your self-assessment: Guidance and positive behavior',
        words: { key: 'growthArea', values: { topic: 'guidance' } },
      },
    ]);
  });

  it('gives a deadline less weight when the training falls after it is due', () => {
    const deadline = { topic: 'infant-safe-sleep', label: 'Infant safe sleep', dueOn: '2026-11-25' };
    const [inTime, late] = [
      aCandidate({ topic: 'infant-safe-sleep', startsOn: '2026-11-24' }),
      aCandidate({ topic: 'infant-safe-sleep', startsOn: '2026-12-10' }),
    ].map((c) => reasonsFor(c, facts({ deadlines: [deadline] }))[0]!);
    expect(late!.points).toBeLessThan(inTime!.points);
    expect(late!.text).toBe('Due by 2026-11-25: Infant safe sleep (this date is after it is due)');
  });

  it('puts training in a growth area above training on an unrelated topic', () => {
    const ranked = rankRecommendations(
      [
        aCandidate({ title: 'Family nights', topic: 'family-engagement' }),
        aCandidate({ title: 'Observing children', topic: 'assessment' }),
      ],
      facts({
        growthAreas: ['assessment'],
        hourGaps: [
          {
            label: 'Licensing: 12 clock hours each calendar year',
            periodLabel: '2026',
            periodEnd: '2026-12-31',
            hoursShort: 5,
          },
        ],
      }),
    );
    expect(titles(ranked)).toEqual(['Observing children', 'Family nights']);
    expect(ranked[1]!.reasons.map((r) => r.text)).toEqual([
      '2 hours toward Licensing: 12 clock hours each calendar year for 2026: 5 hours still to go by 2026-12-31',
    ]);
  });

  it('prefers the nearer of two events on the same topic, and says how near', () => {
    const ranked = rankRecommendations(
      [
        aCandidate({ title: 'Far', miles: 150 }),
        aCandidate({ title: 'Near', miles: 12.4 }),
        aCandidate({ title: 'Middling', miles: 40 }),
      ],
      facts({ growthAreas: ['health-safety'] }),
    );
    expect(titles(ranked)).toEqual(['Near', 'Middling', 'Far']);
    expect(ranked[0]!.reasons.map((r) => r.text)).toContain('12 miles from you');
    expect(ranked[2]!.drawbacks.map((r) => r.text)).toEqual(['150 miles away']);
  });

  it('prefers the better-rated course once three have rated, and ignores fewer ratings', () => {
    const ranked = rankRecommendations(
      [
        aCandidate({ title: 'Rated 2.5', ratings: { count: 8, average: 2.5 } }),
        aCandidate({ title: 'Rated 4.6', ratings: { count: 14, average: 4.6 } }),
        aCandidate({ title: 'Two fives', ratings: { count: 2, average: 5 } }),
      ],
      facts({ growthAreas: ['health-safety'] }),
    );
    expect(titles(ranked)).toEqual(['Rated 4.6', 'Two fives', 'Rated 2.5']);
    expect(ranked[0]!.reasons.map((r) => r.text)).toContain('Rated 4.6 of 5 by 14 participants');
    expect(ranked[1]!.reasons.map((r) => r.source)).not.toContain('rating');
  });

  it('prefers an online course most who start finish, and the delivery the person asked for', () => {
    const ranked = rankRecommendations(
      [
        aCandidate({
          kind: 'online_course',
          title: 'Often dropped',
          delivery: 'online',
          startsOn: null,
          enrollments: { started: 10, completed: 2 },
        }),
        aCandidate({
          kind: 'online_course',
          title: 'Usually finished',
          delivery: 'online',
          startsOn: null,
          enrollments: { started: 17, completed: 15 },
        }),
        aCandidate({ title: 'In a room', delivery: 'in_person' }),
      ],
      facts({ growthAreas: ['health-safety'], delivery: 'online' }),
    );
    expect(titles(ranked)).toEqual(['Usually finished', 'Often dropped', 'In a room']);
    expect(ranked[0]!.reasons.map((r) => r.text)).toEqual([
      'A growth area in your self-assessment: Health and safety',
      'Online, as you prefer',
      'Finished by 15 of 17 who started it (88%)',
    ]);
  });

  it('gives every suggestion at least one reason, and leaves out what nothing speaks for', () => {
    const ranked = rankRecommendations(
      [
        aCandidate({ title: 'Nothing for it', topic: 'professionalism' }),
        aCandidate({ title: 'Growth', topic: 'curriculum' }),
        aCandidate({ title: 'Nearby', topic: 'cpr-first-aid', miles: 3 }),
      ],
      facts({ growthAreas: ['curriculum'] }),
    );
    expect(titles(ranked)).toEqual(['Growth', 'Nearby']);
    for (const r of ranked) expect(r.reasons.length).toBeGreaterThan(0);
  });

  it('leaves out courses taken this year and events already registered for, and offers a course once at its best event', () => {
    const taken = aCandidate({ title: 'Taken', topic: 'guidance' });
    const registered = aCandidate({ title: 'Registered', topic: 'guidance' });
    const sooner = aCandidate({ title: 'Twice', topic: 'guidance', startsOn: '2026-12-01', miles: 80 });
    const nearer = aCandidate({
      title: 'Twice',
      topic: 'guidance',
      courseId: sooner.courseId,
      startsOn: '2026-12-08',
      miles: 5,
    });
    const ranked = rankRecommendations(
      [taken, registered, sooner, nearer],
      facts({ growthAreas: ['guidance'], excluded: { courseIds: [taken.courseId], eventIds: [registered.id] } }),
    );
    expect(ranked.map((r) => r.id)).toEqual([nearer.id]);
  });

  it('returns at most ten, best first', () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      aCandidate({ title: `Course ${String(i).padStart(2, '0')}`, clockHours: (i % 5) + 1 }),
    );
    const ranked = rankRecommendations(
      many,
      facts({ hourGaps: [{ label: 'Licensing', periodLabel: '2026', periodEnd: '2026-12-31', hoursShort: 12 }] }),
    );
    expect(ranked).toHaveLength(10);
    expect(ranked.map((r) => r.score)).toEqual([...ranked.map((r) => r.score)].sort((a, b) => b - a));
    expect(ranked[0]!.clockHours).toBe(5);
  });

  describe('counts only what the rules would credit', () => {
    const cprDeadline = { topic: 'cpr-first-aid', label: 'CPR/First Aid certification', dueOn: '2026-12-10' };
    const licensing = {
      label: 'Licensing: 12 clock hours each calendar year',
      periodLabel: '2026',
      periodEnd: '2026-12-31',
      hoursShort: 5,
    };
    const onlineOnly = () =>
      aCandidate({
        kind: 'online_course',
        title: 'CPR online',
        topic: 'cpr-first-aid',
        delivery: 'online',
        startsOn: null,
        clockHours: 2,
        credit: { hours: 0, none: true, reasons: [ONLINE_CPR] },
      });

    it('does not suggest online-only CPR toward a CPR deadline or the hours still needed', () => {
      const inPerson = aCandidate({ title: 'CPR in a room', topic: 'cpr-first-aid', clockHours: 2 });
      const online = onlineOnly();
      const ranked = rankRecommendations(
        [online, inPerson],
        facts({ deadlines: [cprDeadline], hourGaps: [licensing], delivery: 'online' }),
      );
      expect(titles(ranked)).toEqual(['CPR in a room']);
      expect(reasonsFor(online, facts({ deadlines: [cprDeadline], hourGaps: [licensing] }))).toEqual([]);
    });

    it('suggests training that earns nothing only for a growth area, and says it earns no clock hours and why', () => {
      const [suggested] = rankRecommendations(
        [onlineOnly()],
        facts({ growthAreas: ['cpr-first-aid'], deadlines: [cprDeadline], hourGaps: [licensing] }),
      );
      expect(suggested!.reasons.map((r) => r.source)).toEqual(['growth-area']);
      expect(suggested!.creditedHours).toBe(0);
      expect(suggested!.creditNote).toBe(`Earns no clock hours: ${ONLINE_CPR}`);
    });

    it('explains a blended CPR course by the part of its hours that counts, and weighs only that part', () => {
      const blended = aCandidate({
        title: 'CPR blended',
        topic: 'cpr-first-aid',
        delivery: 'blended',
        clockHours: 3,
        credit: { hours: 1.5, none: false, reasons: [BLENDED_CPR] },
      });
      const full = aCandidate({ title: 'CPR in full', topic: 'cpr-first-aid', clockHours: 3 });
      const [suggested] = rankRecommendations([blended], facts({ hourGaps: [licensing] }));
      expect(suggested!.reasons).toEqual([
        {
          source: 'hour-gap',
          points: Math.round(WEIGHTS.hourGap + WEIGHTS.hourGapPerHour * 1.5),
          text: '1.5 of its 3 hours toward Licensing: 12 clock hours each calendar year for 2026: 5 hours still to go by 2026-12-31',
          words: {
            key: 'hourGapPartly',
            values: {
              credited: 1.5,
              clockHours: 3,
              label: licensing.label,
              periodLabel: '2026',
              shortHours: 5,
              periodEndOn: '2026-12-31',
            },
          },
        },
      ]);
      expect(suggested!.creditedHours).toBe(1.5);
      expect(suggested!.creditNote).toBe(`Counts for 1.5 of its 3 hours: ${BLENDED_CPR}`);
      expect(suggested!.creditWords).toEqual({
        key: 'creditPartlyBecause',
        values: { credited: 1.5, clockHours: 3, reasons: BLENDED_CPR },
      });
      expect(rankRecommendations([full], facts({ hourGaps: [licensing] }))[0]!.creditNote).toBeNull();
    });
  });
});

describe("the reasons in the reader's language", () => {
  const licensing = {
    label: 'Licensing: 12 clock hours each calendar year',
    periodLabel: '2026',
    periodEnd: '2026-12-31',
    hoursShort: 5,
  };
  const deadline = (dueOn: string | null) => ({ topic: 'infant-safe-sleep', label: 'Infant safe sleep', dueOn });
  const reasonOf = (over: Partial<Candidate>, learner: Partial<LearnerFacts>) =>
    reasonsFor(aCandidate(over), facts(learner));
  const creditOf = (credit: Candidate['credit']) =>
    rankRecommendations(
      [aCandidate({ topic: 'cpr-first-aid', clockHours: 3, credit })],
      facts({ growthAreas: ['cpr-first-aid'] }),
    )[0]!;

  /** One reason (or credit note) of every kind the ranking words, as the page receives it. */
  function everyKind(): SaidReason[] {
    const notes = [
      creditOf({ hours: 0, none: true, reasons: [] }),
      creditOf({ hours: 0, none: true, reasons: [ONLINE_CPR] }),
      creditOf({ hours: 1.5, none: false, reasons: [] }),
      creditOf({ hours: 1.5, none: false, reasons: [BLENDED_CPR] }),
    ].map((r) => ({ text: r.creditNote!, words: r.creditWords }));
    return [
      ...reasonOf({ topic: 'infant-safe-sleep' }, { deadlines: [deadline(null)] }),
      ...reasonOf({ topic: 'infant-safe-sleep' }, { deadlines: [deadline('2026-11-01')] }),
      ...reasonOf({ topic: 'infant-safe-sleep', startsOn: '2026-11-24' }, { deadlines: [deadline('2026-11-25')] }),
      ...reasonOf({ topic: 'infant-safe-sleep', startsOn: '2026-12-10' }, { deadlines: [deadline('2026-11-25')] }),
      ...reasonOf({ topic: 'guidance' }, { growthAreas: ['guidance'] }),
      ...reasonOf({ clockHours: 1 }, { hourGaps: [{ ...licensing, hoursShort: 1 }] }),
      ...reasonOf(
        { clockHours: 3, credit: { hours: 1.5, none: false, reasons: [BLENDED_CPR] } },
        { hourGaps: [licensing] },
      ),
      ...reasonOf({ level: 'introductory' }, { experienceYears: 0.5 }),
      ...reasonOf({ level: 'advanced' }, { experienceYears: 0.5 }),
      ...reasonOf({ level: 'advanced' }, { experienceYears: 20 }),
      ...reasonOf({ level: 'introductory' }, { experienceYears: 20 }),
      ...reasonOf({ miles: 1 }, {}),
      ...reasonOf({ miles: 150 }, {}),
      ...reasonOf({ delivery: 'blended' }, { delivery: 'blended' }),
      ...reasonOf({ ratings: { count: 14, average: 4.6 } }, {}),
      ...reasonOf({ enrollments: { started: 17, completed: 15 } }, {}),
      ...notes,
    ];
  }

  /** The page's messages and plural rule (ui/src/i18n.ts: "one" is exactly 1 in both languages). */
  function wordingIn(locale: 'en' | 'es') {
    const one = (choice: number) => (Math.abs(choice) === 1 ? 0 : 1);
    const messages = {
      en: { recommendations: en, profile: enProfile },
      es: { recommendations: es, profile: esProfile },
    };
    const { t, te } = createI18n({
      legacy: false,
      locale,
      fallbackLocale: 'en',
      messages,
      pluralRules: { en: one, es: one },
    }).global;
    return { t, te };
  }
  /** As the page says it: dates marked so a test sees they went through the page's formatting, numbers in the reader's locale. */
  function say(reason: SaidReason, language: 'en' | 'es'): string {
    const number = (n: number) => new Intl.NumberFormat(`${language}-US`, { maximumFractionDigits: 2 }).format(n);
    return reasonSentence(reason, wordingIn(language), { day: (date) => `[${date}]`, number });
  }
  const plainEnglish = (reason: SaidReason) =>
    reasonSentence(reason, wordingIn('en'), { day: (date) => date, number: String });

  it('words every reason and credit note with a sentence the page has in English and in Spanish', () => {
    const kinds = everyKind();
    expect(kinds.every((r) => r.words)).toBe(true);
    expect(new Set(kinds.map((r) => r.words!.key))).toEqual(new Set(REASON_WORDINGS));
    for (const messages of [en, es]) expect(Object.keys(messages.reasons).sort()).toEqual([...REASON_WORDINGS].sort());
  });

  it('says each reason in English as its text says it, and in Spanish in other words with every value filled in', () => {
    for (const reason of everyKind()) {
      expect(plainEnglish(reason)).toBe(reason.text);
      const spanish = say(reason, 'es');
      expect(spanish).not.toBe(reason.text);
      expect(spanish).not.toMatch(/[{}]/);
    }
  });

  it("says reasons in Spanish with topics, levels and delivery in Spanish, dates as the page writes them, plurals by count and the rule set's reasons as given", () => {
    const [growth] = reasonOf({ topic: 'guidance' }, { growthAreas: ['guidance'] });
    expect(say(growth!, 'es')).toBe('Un área de crecimiento de su autoevaluación: Orientación y conducta positiva');
    const [late] = reasonOf(
      { topic: 'infant-safe-sleep', startsOn: '2026-12-10' },
      { deadlines: [deadline('2026-11-25')] },
    );
    expect(say(late!, 'es')).toBe('Vence el [2026-11-25]: Infant safe sleep (esta fecha es posterior al vencimiento)');
    expect(say(reasonOf({ miles: 1 }, {})[0]!, 'es')).toBe('A 1 milla de usted');
    expect(say(reasonOf({ miles: 12.4 }, {})[0]!, 'es')).toBe('A 12 millas de usted');
    expect(say(reasonOf({ level: 'advanced' }, { experienceYears: 20 })[0]!, 'es')).toBe(
      'Avanzado: adecuado para sus 20 años de experiencia',
    );
    expect(say(reasonOf({ delivery: 'online' }, { delivery: 'online' })[0]!, 'es')).toBe('En línea, como prefiere');
    const [partly] = reasonOf(
      { clockHours: 3, credit: { hours: 1.5, none: false, reasons: [BLENDED_CPR] } },
      { hourGaps: [{ ...licensing, hoursShort: 1 }] },
    );
    expect(say(partly!, 'es')).toBe(
      '1.5 de sus 3 horas para Licensing: 12 clock hours each calendar year en 2026: aún debe completar 1 hora antes del [2026-12-31]',
    );
    const note = creditOf({ hours: 1.5, none: false, reasons: [BLENDED_CPR] });
    expect(say({ text: note.creditNote!, words: note.creditWords }, 'es')).toBe(
      `Cuenta por 1.5 de sus 3 horas: ${BLENDED_CPR}`,
    );
  });

  it('shows the English text when a reason has no words, or a sentence or code the page does not know', () => {
    expect(say({ text: 'Recorded before reasons were worded' }, 'es')).toBe('Recorded before reasons were worded');
    const unknown: ReasonWords = { key: 'somethingNew' as never, values: {} };
    expect(say({ text: 'Something new', words: unknown }, 'es')).toBe('Something new');
    const [newTopic] = reasonOf({ topic: 'outdoor-play' }, { growthAreas: ['outdoor-play' as never] });
    expect(say(newTopic!, 'es')).toBe('A growth area in your self-assessment: outdoor-play');
  });
});

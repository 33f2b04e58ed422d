/** Facts of an ordinary approved in-person training, for rule tests to vary one fact at a time. */
import type { TrainingFacts } from '../../rules/engine.js';

export function trainingFacts(training: Partial<TrainingFacts['training']> = {}, history: Partial<TrainingFacts['history']> = {}): TrainingFacts {
  return {
    training: {
      approved: true,
      delivery: 'in_person',
      topic: 'guidance',
      sponsor: 'Child Care Aware of Missouri',
      hours: 3,
      courseHours: training.hours ?? 3,
      inPersonHours: null,
      source: 'attendance',
      completedOn: '2026-03-02',
      registeredOn: null,
      cprModel: null,
      trainerHasInstructorCertification: null,
      inRatio: false,
      usedForGroup: false,
      ...training,
    },
    history: { creditedCompletionsOfCourseThisYear: 0, overlapsAnotherCourseInProgress: false, ...history },
  };
}

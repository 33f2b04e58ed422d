/** Facts of an ordinary approved in-person training, for rule tests to vary one fact at a time. */
import type { TrainingFacts } from '../../rules/engine.js';
import { factsOf } from '../../rules/workedCases.js';

export function trainingFacts(
  training: Partial<TrainingFacts['training']> = {},
  history: Partial<TrainingFacts['history']> = {},
): TrainingFacts {
  return factsOf({ scope: 'training', facts: { training, history } }) as unknown as TrainingFacts;
}

/**
 * Telling people whose stored compliance turned (met ↔ not met), whatever turned it: a period
 * ending (the rollover), a new rule-set version taking effect, or records brought in by a legacy
 * import. A required notice: it goes whatever a person chose about optional reminders. One email
 * and one in-app notification per person, written in the transaction that stores the new standing
 * and keyed by what turned it, so a batch done again tells nobody twice. Two reads and two writes
 * for a whole batch of people.
 */
import type { Knex } from 'knex';
import type { Language } from '../rules/domain.js';
import { addManyToOutboxInLanguage, type EmailInLanguage } from './mail/outboxInLanguage.js';
import type { RenderedEmail } from './mail/templates.js';
import { notifyPeople, type PersonNotice } from './reminders.js';

export interface StandingTurned {
  professionalId: number;
  compliant: boolean;
}

/** What every notice says of its person; the wording adds what turned it. */
export interface TurnedFacts {
  name: string;
  compliant: boolean;
  url: string;
}

export async function tellStandingTurned(
  trx: Knex.Transaction,
  options: {
    turned: StandingTurned[];
    publicUrl: string;
    keyOf: (professionalId: number) => string;
    wording: (language: Language, facts: TurnedFacts) => RenderedEmail;
  },
): Promise<void> {
  if (options.turned.length === 0) return;
  const people = new Map(
    (
      await trx('professionals')
        .whereIn(
          'id',
          options.turned.map((t) => t.professionalId),
        )
        .select('id', 'email', 'first_name', 'last_name')
    ).map((p: { id: number; email: string | null; first_name: string; last_name: string }) => [Number(p.id), p]),
  );
  const emails: EmailInLanguage[] = [];
  const notices: PersonNotice[] = [];
  for (const t of options.turned) {
    const person = people.get(t.professionalId);
    if (!person) continue;
    const link = `/professionals/${t.professionalId}/compliance`;
    const facts: TurnedFacts = {
      name: `${person.first_name} ${person.last_name}`,
      compliant: t.compliant,
      url: `${options.publicUrl}${link}`,
    };
    const key = options.keyOf(t.professionalId);
    const compose = (language: Language) => options.wording(language, facts);
    if (person.email) emails.push({ dedupeKey: key, template: 'compliance-turned', to: person.email, compose });
    notices.push({ professionalId: t.professionalId, key, link, compose });
  }
  await addManyToOutboxInLanguage(trx, emails);
  await notifyPeople(trx, notices);
}

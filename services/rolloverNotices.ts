/**
 * Telling people whose stored compliance turned when a period turned (the `complianceRollover`
 * workflow). A required notice: it goes whatever a person chose about optional reminders. Keyed
 * by the rollover date and person, so a batch done again tells nobody twice.
 */
import type { Knex } from 'knex';
import type { LocalDate } from '../rules/dates.js';
import type { Language } from '../rules/domain.js';
import { addManyToOutboxInLanguage, type EmailInLanguage } from './mail/outboxInLanguage.js';
import { complianceTurnedAtRollover } from './mail/templates.js';
import { notifyPeople, type PersonNotice } from './reminders.js';

export const rolloverTurnedKey = (asOf: LocalDate, professionalId: number) =>
  `rollover-${asOf}-turned-${professionalId}`;

export async function tellTurnedAtRollover(
  trx: Knex.Transaction,
  options: { asOf: LocalDate; turned: Array<{ professionalId: number; compliant: boolean }>; publicUrl: string },
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
    const facts = {
      name: `${person.first_name} ${person.last_name}`,
      compliant: t.compliant,
      asOf: options.asOf,
      url: `${options.publicUrl}${link}`,
    };
    const key = rolloverTurnedKey(options.asOf, t.professionalId);
    const compose = (language: Language) => complianceTurnedAtRollover(language, facts);
    if (person.email) emails.push({ dedupeKey: key, template: 'compliance-turned', to: person.email, compose });
    notices.push({ professionalId: t.professionalId, key, link, compose });
  }
  await addManyToOutboxInLanguage(trx, emails);
  await notifyPeople(trx, notices);
}

/**
 * Telling a person about a training record of theirs: a notification for each of their accounts and
 * one email, in their language, each linking to their transcript. Attendance (a record issued) and
 * the registry (a record corrected, voided or credited again) say different things the same way.
 */
import type { Knex } from 'knex';
import type { TrainingRecordRow } from '../db/rows.js';
import { addNotification } from '../db/notifications.js';
import type { Language } from '../rules/domain.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import type { RenderedEmail } from './mail/templates.js';

/** What the person is told, and under which key it is told once. */
export interface RecordWording {
  /** The email's dedupe key; each account's notification is keyed `<key>-user-<id>`. */
  key: string;
  /** The outbox template name. */
  template: string;
  /** The message in a language, for the person by name, with the full link to their transcript. */
  compose: (language: Language, person: { name: string; url: string }) => RenderedEmail;
}

export async function tellAboutRecord(
  trx: Knex.Transaction,
  record: Pick<TrainingRecordRow, 'professional_id'>,
  publicUrl: string,
  wording: RecordWording,
): Promise<void> {
  const person = await trx('professionals')
    .where({ id: record.professional_id })
    .first<{ email: string | null; first_name: string; last_name: string } | undefined>(
      'email',
      'first_name',
      'last_name',
    );
  if (!person) return;
  const path = `/professionals/${record.professional_id}/transcript`;
  const about = { name: `${person.first_name} ${person.last_name}`, url: `${publicUrl}${path}` };
  const users: Array<{ id: number; language: Language | null }> = await trx('users')
    .where({ professional_id: record.professional_id })
    .select('id', 'language');
  for (const user of users) {
    const notice = wording.compose(user.language ?? 'en', about);
    await addNotification(trx, {
      userId: Number(user.id),
      title: notice.subject,
      // The paragraphs between the greeting and the link.
      body: notice.text.split('\n\n').slice(1, -2).join(' '),
      link: path,
      dedupeKey: `${wording.key}-user-${user.id}`,
    });
  }
  if (person.email)
    await addToOutboxInLanguage(trx, {
      dedupeKey: wording.key,
      template: wording.template,
      to: person.email,
      compose: (language) => wording.compose(language, about),
    });
}

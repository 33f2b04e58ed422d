/**
 * Writes an email to the outbox in its recipient's language. The language is chosen here, when the
 * row is written, not when the mailer sends it: the row then holds exactly the words that go out
 * (an admin reading the outbox sees them, a retry resends them), and rows already queued before a
 * language change, or before this existed, still send as written.
 */
import type { Db } from '../../db/connection.js';
import { addToOutbox, type OutgoingEmail } from '../../db/outbox.js';
import { languageOfAddress } from '../../db/users.js';
import type { Language } from '../../rules/domain.js';
import type { RenderedEmail } from './templates.js';

export async function addToOutboxInLanguage(
  db: Db,
  email: {
    dedupeKey: string;
    template: string;
    to: string;
    compose: (language: Language) => RenderedEmail & Pick<OutgoingEmail, 'headers' | 'attachments'>;
  },
): Promise<boolean> {
  const language = await languageOfAddress(db, email.to);
  return addToOutbox(db, {
    dedupeKey: email.dedupeKey,
    template: email.template,
    to: email.to,
    ...email.compose(language),
  });
}

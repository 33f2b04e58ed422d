/** Micro-credentials after the award: revoking one, with the holder's notification and the audit. */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { findAwardedCredential, markCredentialRevoked, type AwardedCredentialRow } from '../db/microCredentials.js';
import { addNotification } from '../db/notifications.js';
import { accountOfProfessional } from '../db/users.js';
import { DomainError } from './errors.js';
import { emailMessages, fill } from './mail/messages.js';

/**
 * Revokes an awarded credential with the reason, in one transaction: the award (locked, so it is
 * revoked once), the holder's notification in their language, the audit entry. Answers the award
 * as it is now.
 */
export async function revokeCredential(
  db: Db,
  input: { id: number; reason: string },
  context: { actorUserId: number; requestId?: string },
): Promise<AwardedCredentialRow> {
  return db.transaction(async (trx) => {
    const award = await findAwardedCredential(trx, input.id, { forUpdate: true });
    if (!award) throw new DomainError('NotFound', 'No awarded credential with this id', 'id');
    if (award.revoked_at)
      throw new DomainError('Conflict', `This credential was already revoked: ${award.revoked_reason}`);
    await markCredentialRevoked(trx, award.id, { userId: context.actorUserId, reason: input.reason });
    const holder = await accountOfProfessional(trx, award.professional_id);
    if (holder) {
      const title = fill(emailMessages[holder.language].caseNotice.microCredentialAwarded.revokedTitle, {
        title: award.title,
      });
      await addNotification(trx, {
        userId: holder.id,
        caseId: award.case_id,
        title,
        body: input.reason,
        link: `/cases/${award.case_id}`,
        dedupeKey: `credential-${award.id}-revoked`,
      });
    }
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: 'credential.revoked',
      entity: 'awarded_credential',
      entityId: award.id,
      before: { revoked: false },
      after: { revoked: true, reason: input.reason },
      requestId: context.requestId,
    });
    return (await findAwardedCredential(trx, award.id))!;
  });
}

/**
 * A credential's standing on a date. The renewal rule supplies how early "expiring" begins; a card
 * not yet verified (or rejected) by a reviewer says so until it expires.
 */
import { addDays, compareDates, type LocalDate } from './dates.js';
import type { CardVerification, CredentialStatus } from './domain.js';

export function credentialStatusOn(
  expiresOn: LocalDate | null,
  remindDaysBefore: number | null,
  on: LocalDate,
  verification: CardVerification = 'verified',
): CredentialStatus {
  if (expiresOn === null) return 'none';
  if (compareDates(expiresOn, on) < 0) return 'expired';
  if (verification !== 'verified') return verification;
  if (remindDaysBefore !== null && compareDates(addDays(expiresOn, -remindDaysBefore), on) <= 0) return 'expiring';
  return 'verified';
}

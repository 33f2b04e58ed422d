/** A credential's standing on a date. The renewal rule supplies how early "expiring" begins. */
import { addDays, compareDates, type LocalDate } from './dates.js';
import type { CredentialStatus } from './domain.js';

export function credentialStatusOn(
  expiresOn: LocalDate | null,
  remindDaysBefore: number | null,
  on: LocalDate,
): CredentialStatus {
  if (expiresOn === null) return 'none';
  if (compareDates(expiresOn, on) < 0) return 'expired';
  if (remindDaysBefore !== null && compareDates(addDays(expiresOn, -remindDaysBefore), on) <= 0) return 'expiring';
  return 'valid';
}

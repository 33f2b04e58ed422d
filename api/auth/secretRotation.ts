/**
 * Moves every stored TOTP secret to the current key (issue 16): plain ones (from before
 * encryption) are sealed, ones sealed with an older key are sealed again with the first key of
 * SECRETS_KEYS. Used by `npm run secrets:rotate` and after every `npm run migrate`. Safe to run
 * again and beside a running API: a row is only rewritten if it still holds what was read.
 */
import type { Db } from '../../db/connection.js';
import { mfaSecretContext, PLAIN_PREFIX, SecretUnreadable, type SecretBox } from './secretBox.js';

export interface RotationReport {
  /** Rows already sealed with the current key, left alone. */
  current: number;
  /** Plain rows sealed now. */
  sealed: number;
  /** Rows sealed again with the current key, by the key they had. */
  rekeyed: Record<string, number>;
  /** Rows turned back to plain (`toPlain`, before rolling back the migration). */
  unsealed: number;
  /** Rows that could not be opened (a key no longer configured, a changed value), by user id; left as they are. */
  unreadable: number[];
  /** Rows that changed while being rotated (a person set up their authenticator meanwhile); run again. */
  changedMeanwhile: number;
}

const BATCH = 500;

export async function rotateSecrets(
  db: Db,
  box: SecretBox,
  options: { toPlain?: boolean; onlyPlain?: boolean } = {},
): Promise<RotationReport> {
  const report: RotationReport = {
    current: 0,
    sealed: 0,
    rekeyed: {},
    unsealed: 0,
    unreadable: [],
    changedMeanwhile: 0,
  };
  let after = 0;
  for (;;) {
    const rows: Array<{ id: string; mfa_secret: string }> = await db('users')
      .whereNotNull('mfa_secret')
      .where('id', '>', after)
      .modify((q) => {
        if (options.onlyPlain) void q.where('mfa_secret', 'like', `${PLAIN_PREFIX}%`);
      })
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'mfa_secret');
    if (rows.length === 0) return report;
    for (const row of rows) {
      const id = Number(row.id);
      let keyId: string;
      let secret: string;
      try {
        keyId = box.keyIdOf(row.mfa_secret);
        secret = box.open(row.mfa_secret, mfaSecretContext(id));
      } catch (error) {
        if (!(error instanceof SecretUnreadable)) throw error;
        report.unreadable.push(id);
        continue;
      }
      let next: string;
      if (options.toPlain) {
        if (keyId === 'plain') continue;
        next = `${PLAIN_PREFIX}${secret}`;
      } else {
        if (keyId === box.currentKeyId) {
          report.current++;
          continue;
        }
        next = box.seal(secret, mfaSecretContext(id));
      }
      const written = await db('users').where({ id, mfa_secret: row.mfa_secret }).update({ mfa_secret: next });
      if (written === 0) report.changedMeanwhile++;
      else if (options.toPlain) report.unsealed++;
      else if (keyId === 'plain') report.sealed++;
      else report.rekeyed[keyId] = (report.rekeyed[keyId] ?? 0) + 1;
    }
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** The report in a few lines for a terminal: counts and user ids, never a secret. */
export function describeRotation(report: RotationReport, currentKeyId: string): string {
  const rekeyed = Object.entries(report.rekeyed);
  return [
    `TOTP secrets on key ${currentKeyId} already: ${report.current}`,
    `plain secrets sealed with key ${currentKeyId}: ${report.sealed}`,
    ...(rekeyed.length
      ? rekeyed.map(([from, n]) => `sealed again from key ${from} to ${currentKeyId}: ${n}`)
      : [`sealed again from older keys: 0`]),
    ...(report.unsealed ? [`turned back to plain: ${report.unsealed}`] : []),
    ...(report.changedMeanwhile ? [`changed while rotating (run again): ${report.changedMeanwhile}`] : []),
    ...(report.unreadable.length
      ? [`could not be opened with the configured keys, left as they are (users ${report.unreadable.join(', ')})`]
      : []),
  ].join('\n');
}

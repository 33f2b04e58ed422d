/**
 * The CPR/First Aid card's renewal workflow on the time-skipping server: reminder before expiry,
 * expired on the day after, directors told, and a newer card ending it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentialAddedSignal,
  credentialRenewal,
  credentialRenewalWorkflowId,
} from '../../workflows/credentialRenewal.js';
import { addCredential } from '../../db/profile.js';
import { addDays } from '../../rules/dates.js';
import { aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import type { DeadlineRow } from '../../db/rows.js';

let t: TimeSkipping;
beforeAll(async () => {
  t = await startTimeSkipping();
});
afterAll(async () => {
  await t?.close();
});

const renewalOf = async (credentialId: number): Promise<DeadlineRow> =>
  (await t.database.db('deadlines').where({ credential_id: credentialId }).first())!;

async function aCardHolder(expiresInDays: number) {
  const { db } = t.database;
  const today = await t.serverToday();
  const organization = await anOrganization(db);
  const director = await aProfessional(db, { firstName: 'Dana' });
  await anEmployment(db, director, organization, '2020-01-06', 'director');
  const holder = await aProfessional(db, { firstName: 'Casey' });
  await anEmployment(db, holder, organization, '2022-03-01');
  const card = await addCredential(db, holder.id, {
    kind: 'cpr_first_aid_card',
    issuer: 'American Red Cross',
    issuedOn: addDays(today, expiresInDays - 730),
    expiresOn: addDays(today, expiresInDays),
  });
  return { director, holder, card };
}

const follow = (taskQueue: string, credentialId: number) =>
  t.env.client.workflow.start(credentialRenewal, {
    taskQueue,
    workflowId: credentialRenewalWorkflowId(credentialId),
    args: [{ credentialId }],
  });

describe('CPR/First Aid card renewal', () => {
  it('reminds 60 days before expiry, marks the card expired the day after, and tells the holder and their director', async () => {
    const { director, holder, card } = await aCardHolder(90);
    await t.withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, card.id);
      await t.env.sleep('20 days');
      expect(await renewalOf(card.id)).toMatchObject({
        status: 'open',
        reminded_at: null,
        due_on: card.expires_on,
        requirement: 'cpr-first-aid-card-renewal',
      });

      await t.env.sleep('15 days'); // 55 days before expiry: past the 60-day reminder
      expect((await renewalOf(card.id)).reminded_at).not.toBeNull();
      expect((await t.outboxTo(holder.email)).map((r) => r.template)).toEqual(['credential-renewal-reminder']);

      await t.env.sleep('56 days'); // the day after expiry
      expect(await renewalOf(card.id)).toMatchObject({ status: 'overdue' });
      expect((await t.outboxTo(holder.email)).map((r) => r.template)).toEqual([
        'credential-renewal-reminder',
        'credential-expired',
      ]);
      expect((await t.outboxTo(director.email)).map((r) => r.template)).toEqual(['staff-credential-expired']);
      expect(await handle.query('renewalStatus')).toEqual({ 'cpr-first-aid-card-renewal': 'overdue' });

      // A renewed card added late still settles it, as met late.
      const renewed = await addCredential(t.database.db, holder.id, {
        kind: 'cpr_first_aid_card',
        issuer: 'American Heart Association',
        issuedOn: await t.serverToday(),
        expiresOn: addDays(await t.serverToday(), 730),
      });
      await handle.signal(credentialAddedSignal, { credentialId: renewed.id });
      expect(await handle.result()).toEqual({ 'cpr-first-aid-card-renewal': 'met_late' });
      await keepHistory(handle, 'credentialRenewal-reminded-expired-renewed-late');
      expect(await renewalOf(card.id)).toMatchObject({ status: 'met_late', met_by_credential_id: renewed.id });
    });
    await t.mail.relay();
    const received = await t.smtp.waitFor((m) => m.to.includes(holder.email) || m.to.includes(director.email), 3);
    expect(received.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/^Expired: your CPR\/First Aid card expired/),
      expect.stringMatching(/^Reminder: your CPR\/First Aid card expires/),
      expect.stringMatching(/^Staff card expired: Casey /),
    ]);
  });

  it('ends without any email when the card is renewed before the reminder', async () => {
    const { holder, card } = await aCardHolder(200);
    await t.withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, card.id);
      await t.env.sleep('10 days');
      const renewed = await addCredential(t.database.db, holder.id, {
        kind: 'cpr_first_aid_card',
        issuer: 'National Safety Council',
        issuedOn: await t.serverToday(),
        expiresOn: addDays(await t.serverToday(), 730),
      });
      await handle.signal(credentialAddedSignal, { credentialId: renewed.id });
      expect(await handle.result()).toEqual({ 'cpr-first-aid-card-renewal': 'met' });
    });
    expect(await t.outboxTo(holder.email)).toEqual([]);
  });

  it('notices a renewal on its next check even if the signal was lost', async () => {
    const { holder, card } = await aCardHolder(100);
    await t.withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, card.id);
      await t.env.sleep('5 days');
      await addCredential(t.database.db, holder.id, {
        kind: 'cpr_first_aid_card',
        issuer: 'ProTrainings',
        issuedOn: await t.serverToday(),
        expiresOn: addDays(await t.serverToday(), 730),
      });
      // No signal: the check before the reminder finds the newer card and sends nothing.
      expect(await handle.result()).toEqual({ 'cpr-first-aid-card-renewal': 'met' });
    });
    expect(await t.outboxTo(holder.email)).toEqual([]);
  });
});

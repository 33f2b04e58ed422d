/** The outbox path against real PostgreSQL, Redis (BullMQ) and an SMTP server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox } from '../../db/outbox.js';
import { deliverOutboxEmail, createTransport, outboxMessageId } from '../../services/mail/mailer.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestMail } from '../support/mail.js';
import { until } from '../support/polling.js';

let database: TestDatabase;
let smtp: SmtpCapture;
let mail: Awaited<ReturnType<typeof startTestMail>>;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpCapture();
  mail = await startTestMail(database.db, smtp.smtpUrl);
});

afterAll(async () => {
  await mail?.close();
  await smtp?.close();
  await database?.drop();
});

const anEmail = (key: string, to: string) => ({
  dedupeKey: key,
  template: 'test',
  to,
  subject: `Subject ${key}`,
  text: 'Plain words',
  html: '<p>Plain words</p>',
});

describe('the outbox', () => {
  it('keeps one row per cause, however often the cause is recorded', async () => {
    expect(await addToOutbox(database.db, anEmail('cause-1', 'a@example.org'))).toBe(true);
    expect(await addToOutbox(database.db, anEmail('cause-1', 'a@example.org'))).toBe(false);
    expect(
      await database.db('outbox').where({ dedupe_key: 'cause-1' }).count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 1 }]);
  });

  it('delivers exactly one email per row even when two relays run at once and again afterwards', async () => {
    const recipients = Array.from({ length: 25 }, (_, i) => `person${i}@relay.example.org`);
    for (const [i, to] of recipients.entries()) await addToOutbox(database.db, anEmail(`relay-${i}`, to));

    // The mailer waits until the crash below has been put right, so what the crash left is known.
    await mail.worker.pause();
    const moved = await Promise.all([mail.relay(), mail.relay()]);
    expect(moved[0]! + moved[1]!).toBeGreaterThanOrEqual(25);
    // A relay that crashed after queueing but before marking leaves its rows pending, and the
    // next relay hands every one of them on again (under the same job ids: no second email).
    expect(
      await database
        .db('outbox')
        .whereLike('dedupe_key', 'relay-%')
        .whereNot({ status: 'sent' })
        .update({ status: 'pending' }),
    ).toBe(25);
    expect(await mail.relay()).toBe(25);
    await mail.worker.resume();

    await smtp.waitFor((m) => m.to[0]!.endsWith('@relay.example.org'), 25);
    await expect
      .poll(() => database.db('outbox').whereLike('dedupe_key', 'relay-%').distinct('status'), { timeout: 10_000 })
      .toEqual([{ status: 'sent' }]);
    // A second email could only come from a job still waiting, delayed or running: wait until the
    // queue holds none (every job has finished, so whatever it sent has arrived), then count.
    await until(
      () => mail.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'),
      (counts) => Object.values(counts).every((n) => n === 0),
    );
    const received = smtp.messages.filter((m) => m.to[0]!.endsWith('@relay.example.org'));
    expect(received).toHaveLength(25);
    expect(new Set(received.map((m) => m.to[0])).size).toBe(25);
  });

  it('does not send a row that is already sent when its job runs again', async () => {
    await addToOutbox(database.db, anEmail('again', 'again@example.org'));
    const row = (await database.db('outbox').where({ dedupe_key: 'again' }).first())!;
    const transport = createTransport(smtp.smtpUrl);
    try {
      expect(await deliverOutboxEmail(database.db, transport, 'MOPD <no-reply@mopd.test>', row.id)).toBe('sent');
      expect(await deliverOutboxEmail(database.db, transport, 'MOPD <no-reply@mopd.test>', row.id)).toBe(
        'already-sent',
      );
    } finally {
      transport.close();
    }
    expect(smtp.messages.filter((m) => m.to.includes('again@example.org'))).toHaveLength(1);
    const sent = smtp.messages.find((m) => m.to.includes('again@example.org'))!;
    expect(sent.messageId).toBe(outboxMessageId(row));
  });

  it('sends the headers and attachments written with the row, and its own headers over them', async () => {
    const invitation = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    await addToOutbox(database.db, {
      ...anEmail('extras', 'extras@example.org'),
      headers: {
        'List-Unsubscribe': '<https://mopd.test/unsubscribe/abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-MOPD-Template': 'forged',
      },
      attachments: [{ filename: 'training.ics', contentType: 'text/calendar; charset=utf-8', content: invitation }],
    });
    const row = (await database.db('outbox').where({ dedupe_key: 'extras' }).first())!;
    expect(row.attachments).toHaveLength(1);
    const transport = createTransport(smtp.smtpUrl);
    try {
      expect(await deliverOutboxEmail(database.db, transport, 'MOPD <no-reply@mopd.test>', row.id)).toBe('sent');
    } finally {
      transport.close();
    }
    const [sent] = await smtp.waitFor((m) => m.to.includes('extras@example.org'));
    expect(sent!.headers['list-unsubscribe']).toBe('<https://mopd.test/unsubscribe/abc>');
    expect(sent!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(sent!.headers['x-mopd-template']).toBe('test');
    expect(sent!.attachments).toEqual([
      { filename: 'training.ics', contentType: 'text/calendar', content: invitation },
    ]);
  });

  it('keeps an email pending in the outbox while the SMTP server is away, and sends it once it is back', async () => {
    const transport = createTransport('smtp://127.0.0.1:1');
    await addToOutbox(database.db, anEmail('no-smtp', 'later@example.org'));
    const row = (await database.db('outbox').where({ dedupe_key: 'no-smtp' }).first())!;
    await expect(deliverOutboxEmail(database.db, transport, 'MOPD <no-reply@mopd.test>', row.id)).rejects.toThrow();
    transport.close();
    expect(await database.db('outbox').where({ id: row.id }).first()).toMatchObject({ status: 'pending', attempts: 1 });
    await mail.relay();
    await smtp.waitFor((m) => m.to.includes('later@example.org'));
    expect(smtp.messages.filter((m) => m.to.includes('later@example.org'))).toHaveLength(1);
  });
});

/**
 * Course fees and the payment provider (issue 16): the offline provider exists only where
 * configuration turns it on, a webhook changes something only with the provider's HMAC-SHA256
 * signature of its exact body, and the way back from checkout stays on this site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { offlinePaymentProvider } from '../../services/payments.js';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';

const SECRET = 'payments-test-webhook-secret-at-least-32-characters';
const provider = offlinePaymentProvider({ secret: SECRET });
let withOffline: HttpApp;
let withNone: HttpApp;

beforeAll(async () => {
  [withOffline, withNone] = await Promise.all([
    startHttpApp('payments-offline', { payments: provider }),
    startHttpApp('payments-none', { payments: undefined }),
  ]);
});
afterAll(async () => {
  await Promise.all([withOffline?.close(), withNone?.close()]);
});

/** A $5 online course and a learner enrolled in it, awaiting payment. */
async function anUnpaidEnrollment(http: HttpApp) {
  const { db } = http.database;
  const author = await aUser(db, ['trainer']);
  const course = await aCourse(db, {
    title: 'Nutrition Online',
    delivery: 'online',
    topic: 'health-safety',
    clock_hours: 1,
    sponsor: 'Child Care Aware of Missouri',
    fee_cents: 500,
    trainer_user_id: author.user.id,
  });
  await createOnlineCourses({ db }).saveContent({
    courseId: course.id,
    byUserId: author.user.id,
    content: {
      passMarkPercent: 100,
      modules: [{ title: 'M', body: 'B' }],
      questions: [{ prompt: 'Q', choices: ['a', 'b'], correctChoice: 0 }],
    },
  });
  const learner = await signIn(http.app, await aUser(db, ['professional']));
  return { course, learner, enrolled: learner.post(`/api/online-courses/${course.id}/enrollments`) };
}

describe('the offline payment provider', () => {
  it('does not exist where no provider is configured: no checkout page, no webhook, no fee taken', async () => {
    const { app, database } = withNone;
    await request(app).get('/payments/offline/offline_x?amount=500&return=/learn/1').expect(404);
    // Without a session this is refused before any route (CSRF); it is no payment page in any case.
    expect(
      (await request(app).post('/payments/offline/offline_x?amount=500').type('form').send({ outcome: 'paid' })).status,
    ).toBe(403);
    const signed = provider.sign({ providerReference: 'offline_x', outcome: 'paid', amountCents: 500 });
    // Even correctly signed, a webhook meets only the signed-in API's CSRF check: there is no payment route.
    const webhook = await request(app)
      .post('/api/payments/offline/notifications')
      .set('content-type', 'application/json')
      .set('x-payment-signature', signed.signature)
      .send(signed.rawBody)
      .expect(403);
    expect(webhook.body.error.message).not.toMatch(/signature/);
    const { enrolled } = await anUnpaidEnrollment(withNone);
    const refused = await enrolled.expect(409);
    expect(refused.body.error.message).toMatch(/takes no payments/);
    expect(await database.db('payments').count('* as n')).toEqual([{ n: 0 }]);
  });
});

describe('payment webhooks', () => {
  it('refuse a notification that is unsigned, wrongly signed, signed with another secret or altered, and change nothing', async () => {
    const { app, database } = withOffline;
    const { enrolled } = await anUnpaidEnrollment(withOffline);
    const { enrollmentId } = (await enrolled.expect(201)).body;
    const payment = (await database.db('payments').where({ enrollment_id: enrollmentId }).first())!;
    const notification = { providerReference: payment.provider_reference, outcome: 'paid' as const, amountCents: 500 };
    const body = JSON.stringify(notification);
    const post = () => request(app).post('/api/payments/offline/notifications').set('content-type', 'application/json');

    await post().send(body).expect(403);
    await post().set('x-payment-signature', 'f'.repeat(64)).send(body).expect(403);
    await post()
      .set(
        'x-payment-signature',
        offlinePaymentProvider({ secret: 'some-other-secret-of-at-least-32-characters' }).sign(notification).signature,
      )
      .send(body)
      .expect(403);
    const signed = provider.sign(notification);
    await post()
      .set('x-payment-signature', signed.signature)
      .send(signed.rawBody.replace('"paid"', '"paid" '))
      .expect(403);

    expect((await database.db('payments').where({ id: payment.id }).first())?.status).toBe('pending');
    expect((await database.db('enrollments').where({ id: enrollmentId }).first())?.status).toBe('awaiting_payment');
    expect(
      await database
        .db('audit_log')
        .where({ entity: 'payment', entity_id: String(payment.id) })
        .count('* as n'),
    ).toEqual([{ n: 0 }]);

    // The provider's own signature of that body is accepted.
    expect(
      (await post().set('x-payment-signature', signed.signature).send(signed.rawBody).expect(200)).body.status,
    ).toBe('paid');
    expect((await database.db('enrollments').where({ id: enrollmentId }).first())?.status).toBe('in_progress');
  });
});

describe('the way back from checkout', () => {
  it('goes only to a path on this site, never to another host written as //host or /\\host', async () => {
    const { app } = withOffline;
    const { enrolled } = await anUnpaidEnrollment(withOffline);
    const { checkoutUrl } = (await enrolled.expect(201)).body;
    const checkout = new URL(checkoutUrl, 'http://mopd.test');
    for (const away of ['//evil.example', '/\\evil.example', '//evil', 'https://evil.example/learn']) {
      checkout.searchParams.set('return', away);
      const page = await request(app)
        .get(checkout.pathname + checkout.search)
        .expect(200);
      expect(page.text).not.toContain('evil');
      const answered = await request(app)
        .post(checkout.pathname + checkout.search)
        .type('form')
        .send({ outcome: 'failed' })
        .expect(303);
      expect(answered.headers.location).toBe('/?payment=failed');
    }
    checkout.searchParams.set('return', '/learn/7');
    const paid = await request(app)
      .post(checkout.pathname + checkout.search)
      .type('form')
      .send({ outcome: 'paid' })
      .expect(303);
    expect(paid.headers.location).toBe('/learn/7?payment=paid');
  });
});

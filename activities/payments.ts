/**
 * Course fees are settled by a payment provider: MOPD starts a checkout and learns the outcome
 * from the provider's signed notification, never from the person's browser. The offline provider
 * stands in for a real one in development and tests: its checkout page is served by MOPD itself,
 * and its notifications are signed with a secret exactly as a real provider's webhooks would be.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { DomainError } from './errors.js';

export interface PaymentNotification {
  providerReference: string;
  outcome: 'paid' | 'failed';
  amountCents: number;
}

export interface PaymentProvider {
  readonly name: string;
  /** Starts a checkout; the payer is sent to `checkoutUrl`, and comes back to `returnPath`. */
  startCheckout(p: { amountCents: number; description: string; returnPath: string }): Promise<{ providerReference: string; checkoutUrl: string }>;
  /** Checks a notification's signature and reads it; throws when it is not the provider's. */
  verifyNotification(rawBody: string, signature: string | undefined): PaymentNotification;
}

const notificationBody = z.object({ providerReference: z.string().min(1).max(100), outcome: z.enum(['paid', 'failed']), amountCents: z.number().int().positive() }).strict();

/** Its checkout page is on MOPD's own site, so its address is a path on this site. */
export function offlinePaymentProvider({ secret }: { secret: string }) {
  const key = createHmac('sha256', secret).update('mopd-offline-payments').digest();
  const signatureOf = (rawBody: string) => createHmac('sha256', key).update(rawBody).digest('hex');
  return {
    name: 'offline',
    async startCheckout({ amountCents, description, returnPath }) {
      const providerReference = `offline_${randomUUID()}`;
      const query = new URLSearchParams({ amount: String(amountCents), description, return: returnPath });
      return { providerReference, checkoutUrl: `/payments/offline/${providerReference}?${query.toString()}` };
    },
    verifyNotification(rawBody, signature) {
      const expected = Buffer.from(signatureOf(rawBody));
      if (!signature || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), expected)) {
        throw new DomainError('Forbidden', 'The payment notification’s signature does not match');
      }
      return notificationBody.parse(JSON.parse(rawBody));
    },
    /** What the offline provider would send: a notification and its signature. */
    sign(notification: PaymentNotification): { rawBody: string; signature: string } {
      const rawBody = JSON.stringify(notification);
      return { rawBody, signature: signatureOf(rawBody) };
    },
  } satisfies PaymentProvider & { sign(n: PaymentNotification): { rawBody: string; signature: string } };
}

export type OfflinePaymentProvider = ReturnType<typeof offlinePaymentProvider>;

/**
 * Applies a verified notification: a payment is settled once (a repeated notification changes
 * nothing), and a paid enrollment starts. The amount must be the amount asked.
 */
export async function settlePayment(db: Db, provider: string, notification: PaymentNotification, now: Date = new Date()): Promise<{ enrollmentId: number; status: 'paid' | 'failed' | 'pending' }> {
  return db.transaction(async (trx) => {
    const payment = await trx('payments').where({ provider, provider_reference: notification.providerReference }).forUpdate().first<{ id: number; enrollment_id: number; amount_cents: number; status: string } | undefined>();
    if (!payment) throw new DomainError('NotFound', 'No payment with that reference');
    if (payment.status === 'paid') return { enrollmentId: payment.enrollment_id, status: 'paid' };
    if (notification.amountCents !== payment.amount_cents) throw new DomainError('Invalid', `The amount paid (${notification.amountCents}) is not the amount owed (${payment.amount_cents})`, 'amountCents');
    await trx('payments').where({ id: payment.id }).update({ status: notification.outcome, settled_at: now });
    await audit(trx, { actorUserId: null, action: `payment.${notification.outcome}`, entity: 'payment', entityId: payment.id, before: { status: payment.status }, after: { status: notification.outcome, provider } });
    if (notification.outcome === 'paid') {
      await trx('enrollments').where({ id: payment.enrollment_id, status: 'awaiting_payment' }).update({ status: 'in_progress', started_at: now });
    }
    return { enrollmentId: payment.enrollment_id, status: notification.outcome };
  });
}

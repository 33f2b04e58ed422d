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

/**
 * What MOPD needs of a payment provider; a real one is added by implementing it and naming it in
 * `paymentProviderFor` (and in `PAYMENT_PROVIDER`'s values in `bin/config.ts`).
 *
 * - `startCheckout` is called when someone enrolls in a course with a fee: the provider opens a
 *   checkout for the amount and answers with its reference and the address of its payment page.
 *   The payer comes back to `returnPath`, a path on MOPD's own site.
 * - The provider then POSTs its outcome to `/api/payments/<name>/notifications` (a webhook, outside
 *   the session and CSRF). `verifyNotification` receives the raw body and the value of the
 *   `signatureHeader` header, and must throw unless the provider signed exactly that body; only
 *   then is the payment settled (once, for the amount asked).
 */
export interface PaymentProvider {
  readonly name: string;
  /** The request header carrying the webhook's signature (`x-payment-signature` unless said otherwise). */
  readonly signatureHeader?: string;
  /** Starts a checkout; the payer is sent to `checkoutUrl`, and comes back to `returnPath`. */
  startCheckout(p: {
    amountCents: number;
    description: string;
    returnPath: string;
  }): Promise<{ providerReference: string; checkoutUrl: string }>;
  /** Checks a notification's signature and reads it; throws when it is not the provider's. */
  verifyNotification(rawBody: string, signature: string | undefined): PaymentNotification;
}

export const DEFAULT_SIGNATURE_HEADER = 'x-payment-signature';

/** The hex HMAC-SHA256 of a webhook body under the provider's secret. */
export const hmacSha256Hex = (secret: string | Buffer, rawBody: string) =>
  createHmac('sha256', secret).update(rawBody).digest('hex');

/**
 * Refuses a webhook body unless `signature` is its HMAC-SHA256 under `secret` (hex, compared in
 * constant time). Any provider that signs its webhooks this way can use it as it stands.
 */
export function verifyHmacSha256(secret: string | Buffer, rawBody: string, signature: string | undefined): void {
  const expected = Buffer.from(hmacSha256Hex(secret, rawBody));
  if (!signature || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), expected)) {
    throw new DomainError('Forbidden', 'The payment notification’s signature does not match');
  }
}

const notificationBody = z
  .object({
    providerReference: z.string().min(1).max(100),
    outcome: z.enum(['paid', 'failed']),
    amountCents: z.number().int().positive(),
  })
  .strict();

/** Reads a verified body; a body that is not a notification is refused as bad input. */
function readNotification(rawBody: string): PaymentNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new DomainError('Invalid', 'is not JSON', 'body');
  }
  return notificationBody.parse(parsed);
}

/**
 * Its checkout page is on MOPD's own site, so its address is a path on this site. Anyone who opens
 * that page can mark the fee paid: it exists only where configuration turns it on.
 */
export function offlinePaymentProvider({ secret }: { secret: string }) {
  return {
    name: 'offline',
    signatureHeader: DEFAULT_SIGNATURE_HEADER,
    async startCheckout({ amountCents, description, returnPath }) {
      const providerReference = `offline_${randomUUID()}`;
      const query = new URLSearchParams({ amount: String(amountCents), description, return: returnPath });
      return { providerReference, checkoutUrl: `/payments/offline/${providerReference}?${query.toString()}` };
    },
    verifyNotification(rawBody, signature) {
      verifyHmacSha256(secret, rawBody, signature);
      return readNotification(rawBody);
    },
    /** What the offline provider would send: a notification and its signature. */
    sign(notification: PaymentNotification): { rawBody: string; signature: string } {
      const rawBody = JSON.stringify(notification);
      return { rawBody, signature: hmacSha256Hex(secret, rawBody) };
    },
  } satisfies PaymentProvider & { sign(n: PaymentNotification): { rawBody: string; signature: string } };
}

/**
 * The provider configuration names (`PAYMENT_PROVIDER`), signing webhooks with `webhookSecret`;
 * none for `none` (then no payment routes exist and a course with a fee cannot be enrolled in).
 */
export function paymentProviderFor(name: 'none' | 'offline', webhookSecret: string): PaymentProvider | undefined {
  const providers: Record<typeof name, () => PaymentProvider | undefined> = {
    none: () => undefined,
    offline: () => offlinePaymentProvider({ secret: webhookSecret }),
  };
  return providers[name]();
}

export type OfflinePaymentProvider = ReturnType<typeof offlinePaymentProvider>;

/**
 * Applies a verified notification: a payment is settled once (a repeated notification changes
 * nothing), and a paid enrollment starts; a registration's payment marks its event fee paid. The amount must be the amount asked.
 */
export async function settlePayment(
  db: Db,
  provider: string,
  notification: PaymentNotification,
  now: Date = new Date(),
): Promise<{ enrollmentId: number | null; registrationId: number | null; status: 'paid' | 'failed' | 'pending' }> {
  return db.transaction(async (trx) => {
    const payment = await trx('payments')
      .where({ provider, provider_reference: notification.providerReference })
      .forUpdate()
      .first<
        | {
            id: number;
            enrollment_id: number | null;
            registration_id: number | null;
            amount_cents: number;
            status: string;
          }
        | undefined
      >();
    if (!payment) throw new DomainError('NotFound', 'No payment with that reference');
    const paidFor = { enrollmentId: payment.enrollment_id, registrationId: payment.registration_id };
    if (payment.status === 'paid') return { ...paidFor, status: 'paid' };
    if (notification.amountCents !== payment.amount_cents)
      throw new DomainError(
        'Invalid',
        `The amount paid (${notification.amountCents}) is not the amount owed (${payment.amount_cents})`,
        'amountCents',
      );
    await trx('payments').where({ id: payment.id }).update({ status: notification.outcome, settled_at: now });
    await audit(trx, {
      actorUserId: null,
      action: `payment.${notification.outcome}`,
      entity: 'payment',
      entityId: payment.id,
      before: { status: payment.status },
      after: { status: notification.outcome, provider },
    });
    // An event's fee (a registration's payment) changes nothing else: the seat was held already.
    if (notification.outcome === 'paid' && payment.enrollment_id !== null) {
      await trx('enrollments')
        .where({ id: payment.enrollment_id, status: 'awaiting_payment' })
        .update({ status: 'in_progress', started_at: now });
    }
    return { ...paidFor, status: notification.outcome };
  });
}

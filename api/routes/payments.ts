/**
 * Payment providers talk to MOPD here, outside the signed-in API (no session, no CSRF token):
 * their notifications are trusted only for a valid signature. The offline provider's checkout
 * page is served here too, standing in for a real provider's hosted page in development and tests.
 * The router exists only when a provider is configured (`PAYMENT_PROVIDER`).
 */
import express, { type Router } from 'express';
import escapeHtml from 'escape-html';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import {
  DEFAULT_SIGNATURE_HEADER,
  settlePayment,
  type OfflinePaymentProvider,
  type PaymentProvider,
} from '../../services/payments.js';
import { DomainError } from '../../services/errors.js';

/**
 * Only paths on this site may be returned to after checkout: one `/` and then no second `/` or `\`,
 * which browsers would read as another host (`//evil.example`, `/\evil.example`).
 */
const safeReturn = (value: unknown) =>
  typeof value === 'string' && /^\/(?![/\\])[A-Za-z0-9/_-]*$/.test(value) ? value : '/';

export function paymentRouter({ db, provider, logger }: { db: Db; provider: PaymentProvider; logger: Logger }): Router {
  const router = express.Router();

  router.post(
    '/api/payments/:provider/notifications',
    express.text({ type: '*/*', limit: '10kb' }),
    async (req, res, next) => {
      try {
        if (req.params.provider !== provider.name)
          throw new DomainError('NotFound', `No payment provider ${req.params.provider}`);
        const notification = provider.verifyNotification(
          typeof req.body === 'string' ? req.body : '',
          req.header(provider.signatureHeader ?? DEFAULT_SIGNATURE_HEADER),
        );
        const settled = await settlePayment(db, provider.name, notification);
        res.json(settled);
      } catch (error) {
        next(error);
      }
    },
  );

  const offline = provider.name === 'offline' ? (provider as OfflinePaymentProvider) : null;
  if (offline) {
    router.get('/payments/offline/:reference', (req, res) => {
      const amount = Number(req.query.amount);
      const description = String(req.query.description ?? '');
      const back = safeReturn(req.query.return);
      const action = `/payments/offline/${encodeURIComponent(req.params.reference)}?${new URLSearchParams({ amount: String(amount), return: back }).toString()}`;
      res.type('html')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline payment provider</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem">
<p><strong>Offline payment provider</strong> (development and tests only: no money moves).</p>
<h1>Pay $${escapeHtml((amount / 100).toFixed(2))}</h1><p>${escapeHtml(description)}</p>
<form method="post" action="${escapeHtml(action)}"><button name="outcome" value="paid">Pay $${escapeHtml((amount / 100).toFixed(2))}</button> <button name="outcome" value="failed">Decline</button></form>
</body></html>`);
    });
    // The offline provider "processes" the card and sends MOPD its signed notification.
    router.post(
      '/payments/offline/:reference',
      express.urlencoded({ extended: false, limit: '1kb' }),
      async (req, res, next) => {
        try {
          const outcome = req.body?.outcome === 'paid' ? 'paid' : 'failed';
          const { rawBody, signature } = offline.sign({
            providerReference: req.params.reference,
            outcome,
            amountCents: Number(req.query.amount),
          });
          await settlePayment(db, offline.name, offline.verifyNotification(rawBody, signature));
          res.redirect(303, `${safeReturn(req.query.return)}?payment=${outcome}`);
        } catch (error) {
          logger.warn({ err: error }, 'offline payment not settled');
          next(error);
        }
      },
    );
  }
  return router;
}

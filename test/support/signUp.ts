/**
 * Signing up the way a person does since issue 16: the form answers the same for every email, the
 * account exists once the emailed link is followed, and then the person signs in.
 */
import request from 'supertest';
import type { Db } from '../../db/connection.js';
import { until } from './polling.js';
import { session, type Session } from './app.js';

type App = Parameters<typeof request.agent>[0];

/** The emails of this template to this address in the outbox, newest last (they are written after the answer). */
export async function outboxTo(
  db: Db,
  to: string,
  template: string,
): Promise<Array<{ subject: string; body_text: string }>> {
  return db('outbox').whereRaw('lower(to_address) = lower(?)', [to]).where({ template }).orderBy('id');
}

export const linkToken = (text: string) => /token=([\w-]+)/.exec(text)?.[1] ?? '';

/** Waits for the newest sign-up link sent to this address and answers its token. */
export async function signUpToken(db: Db, email: string, count = 1): Promise<string> {
  const rows = await until(
    () => outboxTo(db, email, 'sign_up'),
    (r) => r.length >= count,
  );
  return linkToken(rows.at(-1)!.body_text);
}

export interface SignUpInput {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  county?: string;
  language?: 'en' | 'es';
}

/** Signs up through the API, follows the emailed link, and signs in: the new person's session. */
export async function signUpAndSignIn(app: App, db: Db, input: SignUpInput): Promise<Session> {
  const agent = request.agent(app);
  const csrf = async () => ((await agent.get('/api/auth/csrf').expect(200)).body as { csrfToken: string }).csrfToken;
  // (Each token is fetched before the request that sends it is built: a request takes the cookies the agent has then.)
  let token = await csrf();
  const asked = await agent.post('/api/auth/sign-up').set('x-csrf-token', token).send(input);
  if (asked.status !== 202) throw new Error(`sign-up failed: ${asked.status} ${JSON.stringify(asked.body)}`);
  const link = await signUpToken(db, input.email);
  token = await csrf();
  const confirmed = await agent.post('/api/auth/verify-email').set('x-csrf-token', token).send({ token: link });
  if (confirmed.status !== 204)
    throw new Error(`confirming the sign-up failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  token = await csrf();
  const signedIn = await agent
    .post('/api/auth/sign-in')
    .set('x-csrf-token', token)
    .send({ email: input.email, password: input.password });
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  return session(agent, signedIn.body.csrfToken as string);
}

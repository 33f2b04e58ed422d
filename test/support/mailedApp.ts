/**
 * The real app over HTTP with the real mail path behind it: the outbox relay and mailer on a queue
 * of the test's own, delivering to an SMTP capture, for tests that read the emails people get.
 */
import type { Express } from 'express';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import type { Db } from '../../db/connection.js';
import type { TestDatabase } from './database.js';
import { startHttpApp, type HttpApp } from './httpApp.js';
import { startTestMail } from './mail.js';
import { aUser, type TestUser } from './app.js';

export interface MailedApp {
  http: HttpApp;
  database: TestDatabase;
  app: Express;
  smtp: SmtpCapture;
  mail: Awaited<ReturnType<typeof startTestMail>>;
  close(): Promise<void>;
}

export async function startMailedApp(name: string): Promise<MailedApp> {
  const http = await startHttpApp(name);
  let smtp: SmtpCapture | undefined;
  try {
    smtp = await startSmtpCapture();
    const mail = await startTestMail(http.database.db, smtp.smtpUrl);
    return {
      http,
      database: http.database,
      app: http.app,
      smtp,
      mail,
      async close() {
        await mail.close();
        await smtp!.close();
        await http.close();
      },
    };
  } catch (error) {
    await smtp?.close();
    await http.close();
    throw error;
  }
}

/** A professional who signs in, their registry email the same as their account's, speaking `language`. */
export async function aPersonSpeaking(db: Db, language: 'en' | 'es'): Promise<TestUser & { email: string }> {
  const who = await aUser(db, ['professional']);
  if (who.professionalId === null) throw new Error('a professional user comes with a registry record');
  await db('professionals').where({ id: who.professionalId }).update({ email: who.user.email });
  await db('users').where({ id: who.user.id }).update({ language });
  return { ...who, email: who.user.email };
}

/**
 * A local SMTP server that keeps what it receives, for development and tests: messages are
 * readable as JSON and on a small page over HTTP. Production uses a real SMTP server (docker
 * compose wires Mailpit).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import escapeHtml from 'escape-html';

export interface CapturedEmail {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string | null;
  /** Header values as parsed; a structured one (List-Unsubscribe, dates) as its raw text. */
  headers: Record<string, string>;
  attachments: Array<{ filename: string; contentType: string; content: string }>;
}

export interface SmtpCapture {
  smtpPort: number;
  httpPort: number;
  smtpUrl: string;
  messages: CapturedEmail[];
  /** Resolves when at least `count` messages match, or rejects after `timeoutMs`. */
  waitFor(predicate: (m: CapturedEmail) => boolean, count?: number, timeoutMs?: number): Promise<CapturedEmail[]>;
  close(): Promise<void>;
}

export async function startSmtpCapture(
  options: { smtpPort?: number; httpPort?: number; host?: string } = {},
): Promise<SmtpCapture> {
  const host = options.host ?? '127.0.0.1';
  const messages: CapturedEmail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const headers: Record<string, string> = {};
          for (const [key, value] of parsed.headers) if (typeof value === 'string') headers[key] = value;
          for (const { key, line } of parsed.headerLines)
            headers[key] ??= line
              .slice(line.indexOf(':') + 1)
              .replace(/\r?\n\s+/g, ' ')
              .trim();
          messages.push({
            id: messages.length + 1,
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? null,
            headers,
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString('utf8'),
            })),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, () => resolve());
  });

  const page = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/messages')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(messages));
      return;
    }
    const rows = messages
      .slice()
      .reverse()
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to.join(', '))} · ${escapeHtml(m.receivedAt)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
      )
      .join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>MOPD mail capture</title><body style="font-family:system-ui;max-width:50rem;margin:auto;padding:1rem"><h1>Mail captured in development (${messages.length})</h1>${rows || '<p>No mail yet.</p>'}</body></html>`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    page.once('error', reject);
    page.listen(options.httpPort ?? 0, host, () => resolve());
  });

  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (page.address() as AddressInfo).port;

  return {
    smtpPort,
    httpPort,
    smtpUrl: `smtp://${host}:${smtpPort}`,
    messages,
    async waitFor(predicate, count = 1, timeoutMs = 20_000) {
      const started = Date.now();
      for (;;) {
        const found = messages.filter(predicate);
        if (found.length >= count) return found;
        if (Date.now() - started > timeoutMs) {
          throw new Error(
            `Expected ${count} matching emails within ${timeoutMs} ms, found ${found.length} of ${messages.length}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => page.close(() => resolve()));
    },
  };
}

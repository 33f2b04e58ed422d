import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Request, Response } from 'express';
import { errorHandler } from '../../api/errors.js';

/** Runs the API's error handler on an error as node-postgres raises it and returns the answer. */
function answer(error: object): {
  status: number;
  body: { error: { type: string; message: string; fields?: Array<{ field: string; message: string }> } };
} {
  const sent = { status: 0, body: undefined as never };
  const res = {
    headersSent: false,
    getHeader: () => undefined,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: never) {
      sent.body = body;
      return this;
    },
  } as unknown as Response;
  const req = { headers: {}, method: 'POST', originalUrl: '/api/x' } as unknown as Request;
  errorHandler(pino({ level: 'silent' }))(Object.assign(new Error('from postgres'), error), req, res, () => undefined);
  return sent;
}

const secretish = 'someone.else@example.org';

describe("PostgreSQL's constraint errors in answers", () => {
  it('names the field of a unique violation and never repeats the row it collided with', () => {
    const { status, body } = answer({
      code: '23505',
      table: 'users',
      constraint: 'users_email_unique',
      detail: `Key (lower(email::text))=(${secretish}) already exists.`,
    });
    expect(status).toBe(409);
    expect(body.error).toEqual({
      type: 'Conflict',
      message: 'Another record already has this email',
      fields: [{ field: 'email', message: 'Another record already has this email' }],
    });
    expect(JSON.stringify(body)).not.toContain(secretish);
  });

  it('names the reference a foreign-key violation is about, and tells a removal still referred to apart', () => {
    const missing = answer({
      code: '23503',
      table: 'employments',
      constraint: 'employments_professional_id_foreign',
      message: 'insert or update on table "employments" violates foreign key constraint',
      detail: 'Key (professional_id)=(4242) is not present in table "professionals".',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual([
      { field: 'professionalId', message: 'The professional given does not exist' },
    ]);
    expect(JSON.stringify(missing.body)).not.toContain('4242');
    const referred = answer({
      code: '23503',
      table: 'employments',
      constraint: 'employments_professional_id_foreign',
      message: 'update or delete on table "professionals" violates foreign key constraint',
      detail: 'Key (id)=(4242) is still referenced from table "employments".',
    });
    expect(referred.status).toBe(409);
    expect(JSON.stringify(referred.body)).not.toContain('4242');
  });

  it('answers a check or not-null violation without the failing row, which holds every column', () => {
    const row = `Failing row contains (7, ${secretish}, $argon2id$v=19$m=19456,t=2,p=1$hash, v1:k1:secret).`;
    const check = answer({
      code: '23514',
      table: 'organization_claims',
      constraint: 'organization_claims_status_known',
      detail: row,
    });
    expect(check.status).toBe(400);
    expect(check.body.error.fields?.[0]?.field).toBe('status');
    const notNull = answer({ code: '23502', table: 'users', column: 'display_name', detail: row });
    expect(notNull.status).toBe(400);
    expect(notNull.body.error.fields).toEqual([
      { field: 'displayName', message: 'A value for display name is required' },
    ]);
    for (const { body } of [check, notNull]) {
      expect(JSON.stringify(body)).not.toContain(secretish);
      expect(JSON.stringify(body)).not.toContain('argon2id');
    }
  });
});

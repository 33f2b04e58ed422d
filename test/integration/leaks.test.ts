/** What answers must not carry: other people's values in database errors (issue 16). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn } from '../support/app.js';

let http: HttpApp;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('leaks');
  ({ app } = http);
});
afterAll(async () => {
  await http?.close();
});

describe('error answers', () => {
  it("answer a duplicate with the field at fault, never with PostgreSQL's detail of the row it collided with", async () => {
    const admin = await signIn(app, await aUser(http.database.db, ['admin']));
    const existing = `jane.doe-${randomUUID().slice(0, 8)}@example.org`;
    await admin.post('/api/admin/users', { email: existing, displayName: 'Jane Doe', roles: ['reviewer'] }).expect(201);
    // The same address in capitals: only the database's unique index on lower(email) sees the clash.
    const response = await admin.post('/api/admin/users', { email: existing.toUpperCase(), displayName: 'Someone Else', roles: ['reviewer'] });
    expect(response.status).toBe(409);
    expect(response.body.error.fields).toEqual([{ field: 'email', message: 'Another record already has this email' }]);
    expect(response.text).not.toContain(existing);
    expect(response.text).not.toMatch(/Key \(|already exists\./);
  });
});

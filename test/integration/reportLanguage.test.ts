/**
 * Downloaded tables speak the downloader's language (issue 19): the staff report's and the
 * transcript's CSV columns, statuses, topics, sources and roles are labels, in English or Spanish
 * as the person chose, never codes. Over HTTP against PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { recordTraining } from '../../services/training.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';
import { addCredential } from '../../db/profile.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('report-language');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const lines = (text: string) => text.trim().split('\n');

describe('CSV downloads in the reader’s language', () => {
  it('labels the staff report and the transcript in Spanish for a Spanish speaker and in English otherwise', async () => {
    const { db } = database;
    const center = await anOrganization(db, { name: 'Centro Arce', licensed: true, serves_infants: false });
    const person = await aProfessional(db, { firstName: 'Sol', lastName: 'Corto' });
    await anEmployment(db, person, center, '2024-01-10');
    const course = await aCourse(db, { clock_hours: 5, topic: 'guidance' });
    await recordTraining(db, {
      professionalId: person.id,
      courseId: course.id,
      completedOn: '2025-06-01',
      source: 'attendance',
    });
    await addCredential(db, person.id, {
      kind: 'cpr_first_aid_card',
      issuer: 'American Heart Association',
      issuedOn: '2023-05-20',
      expiresOn: '2025-05-20',
    });
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: center.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const me = await signIn(app, director);
    const report = `/api/organizations/${center.id}/staff-report?asOf=2025-08-01&format=csv`;
    const transcript = `/api/professionals/${person.id}/transcript?format=csv`;

    const english = lines((await me.get(report).expect(200)).text);
    expect(english[0]).toMatch(/^MOPD ID,Name,Role,Hire date,Compliant,/);
    expect(english[1]).toContain(',Sol Corto,Teacher,2024-01-10,no,');
    expect(english[1]).toContain(',In progress,');
    expect(english[1]).toMatch(/,Expired,2025-05-20$/);
    const englishTranscript = lines((await me.get(transcript).expect(200)).text);
    expect(englishTranscript[1]).toContain(`,${course.title},Guidance and positive behavior,Attendance,5,5,`);

    await me.put('/api/me/language', { language: 'es' }).expect(200);
    const spanish = lines((await me.get(report).expect(200)).text);
    expect(spanish[0]).toBe(
      'MOPD ID,Nombre,Puesto,Fecha de contratación,Cumple,Requisito,Período,Horas requeridas,Horas aplicadas,Estado del período,Horas faltantes arrastradas,Plazos,Autorizado/a para supervisar solo/a,Tarjeta de RCP/Primeros auxilios,Vence la tarjeta',
    );
    expect(spanish[1]).toContain(',Sol Corto,Maestro/a,2024-01-10,no,');
    expect(spanish[1]).toContain(',En curso,');
    expect(spanish[1]).toMatch(/,Vencida,2025-05-20$/);
    // No code is left where a label belongs.
    expect(spanish[1]).not.toMatch(/,(teacher|in_progress|expired|open|met_late),/);

    const spanishTranscript = lines((await me.get(transcript).expect(200)).text);
    expect(spanishTranscript[0]).toBe(
      'Completada,Capacitación,Tema,Origen,Horas,Horas acreditadas,Por qué se redujeron las horas,Conjunto de reglas,Tiempo dedicado (minutos)',
    );
    expect(spanishTranscript[1]).toContain(`,${course.title},Orientación y conducta positiva,Asistencia,5,5,`);
  });
});

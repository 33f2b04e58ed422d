/**
 * Printable PDFs of the reports (pdfkit): the staff training report for directors and inspectors
 * and the professional's transcript. Same data as the screen and the CSV, laid out for paper, in
 * the language of the person downloading: headings and the labels of codes in their words (those
 * of the CSV, services/reportWords.ts, and the sentences below); policy text (a requirement's or
 * deadline's label, a credit rule's reason) as the rule set says it, as on the pages.
 */
import PDFDocument from 'pdfkit';
import type { Language } from '../rules/domain.js';
import type { StaffReport } from '../services/staffReport.js';
import { fillWords, labelOf, reportWords } from '../services/reportWords.js';
import type { ProfessionalRow, TrainingRecordRow } from '../db/rows.js';
import type { AwardedCredential } from '../db/microCredentials.js';

/** The sentences and headings of the two PDFs; `{name}` and the like are filled in. */
const pdfWords = {
  en: {
    page: '{title} · page {page} of {pages}',
    printed: 'Printed {at} UTC.',
    staffTitle: 'Staff training report — {name} — as of {asOf}',
    staffHeading: 'Staff training report: {name}',
    license: 'License {number}',
    unlicensed: 'License-exempt or unlicensed',
    county: '{county} County',
    region: '{region} region',
    staffSummary: 'As of {asOf}. Rule set {ruleSet} version {version}. {count} staff.',
    hired: 'hired {date}',
    requirementCell: '{label} {period}: {applied} of {required} h, {status}',
    shortEarlier: '; {hours} h short in earlier periods',
    noRequirement: 'No hour requirement',
    notYet: 'not yet',
    expires: 'expires {date}',
    staffColumns: [
      'Name / MOPD ID',
      'Role',
      'Compliant',
      'Hours this period',
      'Deadlines',
      'Sole supervision',
      'CPR/First Aid card',
    ],
    transcriptTitle: 'Training transcript — {name} ({mopdId})',
    transcriptHeading: 'Training transcript: {name}',
    transcriptSummary: 'MOPD ID {mopdId}. {count} training records, {hours} credited clock hours.',
    timeSpent: 'Time spent: {minutes} min',
    transcriptColumns: ['Completed', 'Training', 'Source', 'Hours', 'Credited', 'Why hours were reduced', 'Rules'],
    credentials: 'Micro-credentials',
    credentialsHint: 'Each can be checked by anyone at its link.',
    credentialColumns: ['Awarded', 'Micro-credential', 'Status', 'Valid until', 'Verify at'],
  },
  es: {
    page: '{title} · página {page} de {pages}',
    printed: 'Impreso el {at} UTC.',
    staffTitle: 'Informe de capacitación del personal — {name} — al {asOf}',
    staffHeading: 'Informe de capacitación del personal: {name}',
    license: 'Licencia {number}',
    unlicensed: 'Exento de licencia o sin licencia',
    county: 'Condado de {county}',
    region: 'Región {region}',
    staffSummary: 'Al {asOf}. Conjunto de reglas {ruleSet}, versión {version}. Personal: {count}.',
    hired: 'contratado/a el {date}',
    requirementCell: '{label} {period}: {applied} de {required} h, {status}',
    shortEarlier: '; faltan {hours} h de períodos anteriores',
    noRequirement: 'Sin requisito de horas',
    notYet: 'todavía no',
    expires: 'vence el {date}',
    staffColumns: [
      'Nombre / MOPD ID',
      'Puesto',
      'Cumple',
      'Horas de este período',
      'Plazos',
      'Supervisión a solas',
      'Tarjeta de RCP/Primeros auxilios',
    ],
    transcriptTitle: 'Historial de capacitación — {name} ({mopdId})',
    transcriptHeading: 'Historial de capacitación: {name}',
    transcriptSummary: 'MOPD ID {mopdId}. {count} registros de capacitación, {hours} horas reloj acreditadas.',
    timeSpent: 'Tiempo dedicado: {minutes} min',
    transcriptColumns: [
      'Completada',
      'Capacitación',
      'Origen',
      'Horas',
      'Acreditadas',
      'Por qué se redujeron las horas',
      'Reglas',
    ],
    credentials: 'Microcredenciales',
    credentialsHint: 'Cualquier persona puede comprobar cada una en su enlace.',
    credentialColumns: ['Otorgada', 'Microcredencial', 'Estado', 'Vigente hasta', 'Verificar en'],
  },
} satisfies Record<Language, Record<string, string | string[]>>;

const printedAt = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

type Cell = string | { text: string; type?: 'TH' | 'TD'; textColor?: string };

function render(
  language: Language,
  layout: 'portrait' | 'landscape',
  title: string,
  draw: (doc: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const doc = new PDFDocument({
    lang: language,
    size: 'LETTER',
    layout,
    margin: 36,
    info: { Title: title, Author: 'MOPD' },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    const bottom = doc.page.height - 24;
    doc
      .fontSize(7)
      .fillColor('#555')
      .text(
        fillWords(pdfWords[language].page, { title, page: String(i + 1), pages: String(pages.count) }),
        36,
        bottom,
        {
          lineBreak: false,
        },
      );
  }
  doc.end();
  return done;
}

const header = (labels: string[]): Cell[] => labels.map((text) => ({ text, type: 'TH' }));

function heading(doc: PDFKit.PDFDocument, title: string, lines: string[]): void {
  doc.font('Helvetica-Bold').fontSize(14).fillColor('#000').text(title);
  doc.font('Helvetica').fontSize(9);
  for (const line of lines) doc.text(line);
  doc.moveDown(0.8);
}

function table(doc: PDFKit.PDFDocument, columns: Array<number | string>, rows: Cell[][]): void {
  doc.fontSize(8).fillColor('#000');
  doc.table({
    columnStyles: columns,
    rowStyles: (row) => (row === 0 ? { backgroundColor: '#e8e8e8' } : undefined),
    defaultStyle: { padding: 3, border: 0.5, borderColor: '#999' },
    data: rows,
  });
}

export function staffReportPdf(report: StaffReport, generatedAt: Date, language: Language = 'en'): Promise<Buffer> {
  const w = pdfWords[language];
  const codes = reportWords[language];
  const o = report.organization;
  const title = fillWords(w.staffTitle, { name: o.name, asOf: report.asOf });
  return render(language, 'landscape', title, (doc) => {
    heading(doc, fillWords(w.staffHeading, { name: o.name }), [
      [
        o.licenseNumber ? fillWords(w.license, { number: o.licenseNumber }) : w.unlicensed,
        fillWords(w.county, { county: o.county }),
        o.region ? fillWords(w.region, { region: o.region }) : null,
        o.address,
      ]
        .filter(Boolean)
        .join(' · '),
      `${fillWords(w.staffSummary, {
        asOf: report.asOf,
        ruleSet: report.ruleSet ?? '—',
        version: String(report.ruleSetVersion ?? '—'),
        count: String(report.staff.length),
      })} ${fillWords(w.printed, { at: printedAt(generatedAt) })}`,
    ]);
    const rows: Cell[][] = report.staff.map((s) => [
      `${s.name}\n${s.mopdId}`,
      `${s.role.replace(/_/g, ' ')}\n${fillWords(w.hired, { date: s.hireDate })}`,
      {
        text: s.compliant ? codes.yes : codes.no.toUpperCase(),
        textColor: s.compliant ? '#000' : '#a00',
      },
      s.requirements
        .map(
          (r) =>
            fillWords(w.requirementCell, {
              label: r.label,
              period: r.period,
              applied: String(r.applied),
              required: String(r.required),
              status: labelOf(codes.periodStatuses, r.status),
            }) + (r.deficitsCarried ? fillWords(w.shortEarlier, { hours: String(r.deficitsCarried) }) : ''),
        )
        .join('\n') || w.noRequirement,
      s.deadlines
        .map((d) =>
          fillWords(codes.deadlineCell, {
            label: d.label,
            status: labelOf(codes.deadlineStatuses, d.status),
            dueOn: d.dueOn,
          }),
        )
        .join('\n') || '—',
      s.clearedForSoleSupervision === null ? '—' : s.clearedForSoleSupervision ? codes.yes : w.notYet,
      s.cprCard.status === 'none'
        ? labelOf(codes.cardStatuses, 'none')
        : `${labelOf(codes.cardStatuses, s.cprCard.status)}${
            s.cprCard.expiresOn ? `\n${fillWords(w.expires, { date: s.cprCard.expiresOn })}` : ''
          }`,
    ]);
    table(doc, [110, 80, 50, '*', 140, 60, 90], [header(w.staffColumns), ...rows]);
  });
}

export function transcriptPdf(
  professional: ProfessionalRow,
  records: TrainingRecordRow[],
  generatedAt: Date,
  credentials: AwardedCredential[] = [],
  language: Language = 'en',
): Promise<Buffer> {
  const w = pdfWords[language];
  const codes = reportWords[language];
  const name = `${professional.first_name} ${professional.last_name}`;
  const title = fillWords(w.transcriptTitle, { name, mopdId: professional.mopd_id });
  const credited = records.reduce((sum, r) => sum + r.credited_hours, 0);
  return render(language, 'portrait', title, (doc) => {
    heading(doc, fillWords(w.transcriptHeading, { name }), [
      fillWords(w.transcriptSummary, {
        mopdId: professional.mopd_id,
        count: String(records.length),
        hours: String(Math.round(credited * 100) / 100),
      }),
      fillWords(w.printed, { at: printedAt(generatedAt) }),
    ]);
    const rows: Cell[][] = records.map((r) => [
      r.completed_on,
      // An online course's time spent (issue 16: clock hours reflect it) under its title.
      `${r.title}\n${labelOf(codes.topics, r.topic)}${
        r.time_spent_minutes != null ? `\n${fillWords(w.timeSpent, { minutes: String(r.time_spent_minutes) })}` : ''
      }`,
      labelOf(codes.sources, r.source),
      String(r.hours),
      String(r.credited_hours),
      r.credit_reasons.map((reason) => reason.text).join(' ') || '',
      `v${r.credit_rule_set_version}`,
    ]);
    table(doc, [62, 140, 60, 36, 44, '*', 34], [header(w.transcriptColumns), ...rows]);
    if (credentials.length) {
      doc.moveDown(1);
      heading(doc, w.credentials, [w.credentialsHint]);
      const awarded: Cell[][] = credentials.map((c) => [
        c.awardedOn,
        `${c.title}\n${c.areaLabel}`,
        labelOf(codes.awardStatuses, c.status),
        c.expiresOn ?? codes.doesNotExpire,
        c.verificationUrl,
      ]);
      table(doc, [62, 150, 44, 60, '*'], [header(w.credentialColumns), ...awarded]);
    }
  });
}

/**
 * Printable PDFs of the reports (pdfkit): the staff training report for directors and inspectors
 * and the professional's transcript. Same data as the screen and the CSV, laid out for paper.
 */
import PDFDocument from 'pdfkit';
import type { StaffReport } from '../services/staffReport.js';
import type { ProfessionalRow, TrainingRecordRow } from '../db/rows.js';
import type { AwardedCredential } from '../db/microCredentials.js';

type Cell = string | { text: string; type?: 'TH' | 'TD'; textColor?: string };

function render(
  layout: 'portrait' | 'landscape',
  title: string,
  draw: (doc: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const doc = new PDFDocument({
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
      .text(`${title} · page ${i + 1} of ${pages.count}`, 36, bottom, { lineBreak: false });
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

export function staffReportPdf(report: StaffReport, generatedAt: Date): Promise<Buffer> {
  const o = report.organization;
  const title = `Staff training report — ${o.name} — as of ${report.asOf}`;
  return render('landscape', title, (doc) => {
    heading(doc, `Staff training report: ${o.name}`, [
      [
        o.licenseNumber ? `License ${o.licenseNumber}` : 'License-exempt or unlicensed',
        `${o.county} County`,
        o.region ? `${o.region} region` : null,
        o.address,
      ]
        .filter(Boolean)
        .join(' · '),
      `As of ${report.asOf}. Rule set ${report.ruleSet ?? '—'} version ${report.ruleSetVersion ?? '—'}. ${report.staff.length} staff. Printed ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    ]);
    const rows: Cell[][] = report.staff.map((s) => [
      `${s.name}\n${s.mopdId}`,
      `${s.role.replace(/_/g, ' ')}\nhired ${s.hireDate}`,
      { text: s.compliant ? 'yes' : 'NO', textColor: s.compliant ? '#000' : '#a00' },
      s.requirements
        .map(
          (r) =>
            `${r.label} ${r.period}: ${r.applied} of ${r.required} h, ${r.status.replace('_', ' ')}${r.deficitsCarried ? `; ${r.deficitsCarried} h short in earlier periods` : ''}`,
        )
        .join('\n') || 'No hour requirement',
      s.deadlines.map((d) => `${d.label}: ${d.status.replace('_', ' ')} (due ${d.dueOn})`).join('\n') || '—',
      s.clearedForSoleSupervision === null ? '—' : s.clearedForSoleSupervision ? 'yes' : 'not yet',
      s.cprCard.status === 'none'
        ? 'none on file'
        : `${s.cprCard.status}${s.cprCard.expiresOn ? `\nexpires ${s.cprCard.expiresOn}` : ''}`,
    ]);
    table(
      doc,
      [110, 80, 50, '*', 140, 60, 90],
      [
        header([
          'Name / MOPD ID',
          'Role',
          'Compliant',
          'Hours this period',
          'Deadlines',
          'Sole supervision',
          'CPR/First Aid card',
        ]),
        ...rows,
      ],
    );
  });
}

export function transcriptPdf(
  professional: ProfessionalRow,
  records: TrainingRecordRow[],
  generatedAt: Date,
  credentials: AwardedCredential[] = [],
): Promise<Buffer> {
  const title = `Training transcript — ${professional.first_name} ${professional.last_name} (${professional.mopd_id})`;
  const credited = records.reduce((sum, r) => sum + r.credited_hours, 0);
  return render('portrait', title, (doc) => {
    heading(doc, `Training transcript: ${professional.first_name} ${professional.last_name}`, [
      `MOPD ID ${professional.mopd_id}. ${records.length} training records, ${Math.round(credited * 100) / 100} credited clock hours.`,
      `Printed ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    ]);
    const rows: Cell[][] = records.map((r) => [
      r.completed_on,
      // An online course's time spent (issue 16: clock hours reflect it) under its title.
      `${r.title}\n${r.topic}${r.time_spent_minutes != null ? `\nTime spent: ${r.time_spent_minutes} min` : ''}`,
      r.source.replace(/_/g, ' '),
      String(r.hours),
      String(r.credited_hours),
      r.credit_reasons.map((reason) => reason.text).join(' ') || '',
      `v${r.credit_rule_set_version}`,
    ]);
    table(
      doc,
      [62, 140, 60, 36, 44, '*', 34],
      [header(['Completed', 'Training', 'Source', 'Hours', 'Credited', 'Why hours were reduced', 'Rules']), ...rows],
    );
    if (credentials.length) {
      doc.moveDown(1);
      heading(doc, 'Micro-credentials', ['Each can be checked by anyone at its link.']);
      const awarded: Cell[][] = credentials.map((c) => [
        c.awardedOn,
        `${c.title}\n${c.areaLabel}`,
        c.status,
        c.expiresOn ?? 'does not expire',
        c.verificationUrl,
      ]);
      table(
        doc,
        [62, 150, 44, 60, '*'],
        [header(['Awarded', 'Micro-credential', 'Status', 'Valid until', 'Verify at']), ...awarded],
      );
    }
  });
}

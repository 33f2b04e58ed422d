/**
 * The words of downloaded tables (CSV): column headings and the labels of the codes in their
 * cells, in the language of the person downloading. A spreadsheet is read by people, so it says
 * "In progress" or "En curso", never `in_progress`. Policy text (a requirement's or deadline's
 * label, a credit rule's reason) stays as the rule set says it, as on the pages.
 */
import type {
  AwardedCredentialStatus,
  CredentialStatus,
  DeadlineStatus,
  Language,
  PeriodStatus,
  Topic,
  TrainingSource,
} from '../rules/domain.js';
import { TOPICS } from '../rules/domain.js';

interface ReportWords {
  yes: string;
  no: string;
  topics: Record<Topic, string>;
  sources: Record<TrainingSource, string>;
  periodStatuses: Record<PeriodStatus, string>;
  deadlineStatuses: Record<DeadlineStatus, string>;
  cardStatuses: Record<CredentialStatus, string>;
  awardStatuses: Record<AwardedCredentialStatus, string>;
  /** "Infant safe sleep: Open (due 2027-01-06)" */
  deadlineCell: string;
  transcriptColumns: string[];
  credentialColumns: string[];
  doesNotExpire: string;
  staffReportColumns: string[];
}

const en: ReportWords = {
  yes: 'yes',
  no: 'no',
  topics: TOPICS,
  sources: {
    attendance: 'Attendance',
    online_course: 'Online course',
    individual_request: 'Individual request',
    legacy_import: 'Imported from the earlier system',
  },
  periodStatuses: { met: 'Met', in_progress: 'In progress', deficit: 'Short' },
  deadlineStatuses: { open: 'Open', met: 'Met', overdue: 'Overdue', met_late: 'Met late', cancelled: 'Cancelled' },
  cardStatuses: {
    verified: 'Verified',
    unverified: 'Not yet verified',
    rejected: 'Rejected',
    expiring: 'Expiring soon',
    expired: 'Expired',
    none: 'None on file',
  },
  awardStatuses: { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' },
  deadlineCell: '{label}: {status} (due {dueOn})',
  transcriptColumns: [
    'Completed',
    'Training',
    'Topic',
    'Source',
    'Hours',
    'Credited hours',
    'Why hours were reduced',
    'Rule set',
    'Time spent (minutes)',
  ],
  credentialColumns: ['Awarded', 'Micro-credential', 'Competency area', 'Status', 'Valid until', 'Verify at'],
  doesNotExpire: 'does not expire',
  staffReportColumns: [
    'MOPD ID',
    'Name',
    'Role',
    'Hire date',
    'Compliant',
    'Requirement',
    'Period',
    'Required hours',
    'Applied hours',
    'Period status',
    'Deficit hours carried',
    'Deadlines',
    'Cleared for sole supervision',
    'CPR/First Aid card',
    'Card expires',
  ],
};

const es: ReportWords = {
  yes: 'sí',
  no: 'no',
  topics: {
    'health-safety': 'Salud y seguridad',
    'infant-safe-sleep': 'Sueño seguro del bebé',
    'cpr-first-aid': 'RCP/Primeros auxilios',
    'child-development': 'Crecimiento y desarrollo infantil',
    curriculum: 'Currículo y ambientes de aprendizaje',
    guidance: 'Orientación y conducta positiva',
    assessment: 'Observación y evaluación',
    'family-engagement': 'Participación de la familia y la comunidad',
    professionalism: 'Profesionalismo y liderazgo',
  },
  sources: {
    attendance: 'Asistencia',
    online_course: 'Curso en línea',
    individual_request: 'Solicitud individual',
    legacy_import: 'Importado del sistema anterior',
  },
  periodStatuses: { met: 'Cumplido', in_progress: 'En curso', deficit: 'Faltan horas' },
  deadlineStatuses: {
    open: 'Abierto',
    met: 'Cumplido',
    overdue: 'Vencido',
    met_late: 'Cumplido tarde',
    cancelled: 'Cancelado',
  },
  cardStatuses: {
    verified: 'Verificada',
    unverified: 'Sin verificar',
    rejected: 'Rechazada',
    expiring: 'Vence pronto',
    expired: 'Vencida',
    none: 'Ninguna en el archivo',
  },
  awardStatuses: { valid: 'Vigente', expired: 'Vencida', revoked: 'Revocada' },
  deadlineCell: '{label}: {status} (vence el {dueOn})',
  transcriptColumns: [
    'Completada',
    'Capacitación',
    'Tema',
    'Origen',
    'Horas',
    'Horas acreditadas',
    'Por qué se redujeron las horas',
    'Conjunto de reglas',
    'Tiempo dedicado (minutos)',
  ],
  credentialColumns: ['Otorgada', 'Microcredencial', 'Área de competencia', 'Estado', 'Vigente hasta', 'Verificar en'],
  doesNotExpire: 'no vence',
  staffReportColumns: [
    'MOPD ID',
    'Nombre',
    'Puesto',
    'Fecha de contratación',
    'Cumple',
    'Requisito',
    'Período',
    'Horas requeridas',
    'Horas aplicadas',
    'Estado del período',
    'Horas faltantes arrastradas',
    'Plazos',
    'Autorizado/a para supervisar solo/a',
    'Tarjeta de RCP/Primeros auxilios',
    'Vence la tarjeta',
  ],
};

export const reportWords: Record<Language, ReportWords> = { en, es };

/** A code's label, or the code itself when the words do not know it (a code added later). */
export const labelOf = <K extends string>(labels: Record<K, string>, code: string): string =>
  (labels as Record<string, string>)[code] ?? code;

/** "{label}: {status}" filled in. */
export const fillWords = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/**
 * Where training is missing: demand against supply by topic and region, and people still owing
 * hours against seats left by region. Pure: the counts come from db/analytics.ts.
 *
 * Unmet demand is the people waitlisted plus the people with an open or overdue deadline on the
 * topic; the gap is unmet demand minus the seats still free. Counts of people are suppressed like
 * table cells (between 1 and N−1 people); unmet demand is their sum, so when one part is hidden
 * and the sum is not, the other part is hidden too (else one could subtract). A hidden unmet
 * demand hides the gap (seats are public, so the gap would tell it). Rows are sorted by the gap,
 * largest first; a hidden gap sorts by the most it could be (N−1 less the seats left), which
 * tells nothing the seats do not.
 */
import { isSmallGroup, type PublishedCell } from './tables.js';

export interface DemandInput {
  topic: string;
  region: string;
  registered: number;
  waitlisted: number;
  openDeadlines: number;
  events: number;
  seats: number;
  seatsLeft: number;
}

export interface DemandRow {
  topic: string;
  region: string;
  registered: PublishedCell;
  waitlisted: PublishedCell;
  openDeadlines: PublishedCell;
  unmetDemand: PublishedCell;
  events: number;
  seats: number;
  seatsLeft: number;
  /** Unmet demand less seats left: above zero, training is missing here. */
  gap: PublishedCell;
}

const shown = (value: number): PublishedCell => ({ suppressed: false, value });
const hidden: PublishedCell = { suppressed: true };

export function demandRows(input: DemandInput[], threshold: number): DemandRow[] {
  const rows = input
    .filter((r) => r.registered + r.waitlisted + r.openDeadlines + r.events > 0)
    .map((r) => {
      const unmet = r.waitlisted + r.openDeadlines;
      let hideWaitlisted = isSmallGroup(r.waitlisted, threshold);
      let hideDeadlines = isSmallGroup(r.openDeadlines, threshold);
      const hideUnmet = isSmallGroup(unmet, threshold);
      // A sum with exactly one hidden member gives that member away: hide a second one.
      if (!hideUnmet && hideWaitlisted !== hideDeadlines) hideWaitlisted = hideDeadlines = true;
      if (hideUnmet) hideWaitlisted = hideDeadlines = true;
      const row: DemandRow = {
        topic: r.topic,
        region: r.region,
        registered: isSmallGroup(r.registered, threshold) ? hidden : shown(r.registered),
        waitlisted: hideWaitlisted ? hidden : shown(r.waitlisted),
        openDeadlines: hideDeadlines ? hidden : shown(r.openDeadlines),
        unmetDemand: hideUnmet ? hidden : shown(unmet),
        events: r.events,
        seats: r.seats,
        seatsLeft: r.seatsLeft,
        gap: hideUnmet ? hidden : shown(unmet - r.seatsLeft),
      };
      return { row, order: hideUnmet ? threshold - 1 - r.seatsLeft : unmet - r.seatsLeft };
    });
  rows.sort(
    (a, b) => b.order - a.order || a.row.topic.localeCompare(b.row.topic) || a.row.region.localeCompare(b.row.region),
  );
  return rows.map((r) => r.row);
}

export interface HoursOwedInput {
  region: string;
  /** People with a computed compliance result. */
  people: number;
  /** Of them, those still owing hours in a current period or carrying a deficit. */
  short: number;
  seatsLeft: number;
  events: number;
}

export interface HoursOwedRow {
  region: string;
  short: PublishedCell;
  events: number;
  seatsLeft: number;
  gap: PublishedCell;
}

export function hoursOwedRows(input: HoursOwedInput[], threshold: number): HoursOwedRow[] {
  const rows = input.map((r) => {
    const hide = isSmallGroup(r.short, threshold);
    return {
      row: {
        region: r.region,
        short: hide ? hidden : shown(r.short),
        events: r.events,
        seatsLeft: r.seatsLeft,
        gap: hide ? hidden : shown(r.short - r.seatsLeft),
      },
      order: hide ? threshold - 1 - r.seatsLeft : r.short - r.seatsLeft,
    };
  });
  rows.sort((a, b) => b.order - a.order || a.row.region.localeCompare(b.row.region));
  return rows.map((r) => r.row);
}

const csvCell = (c: PublishedCell) => (c.suppressed ? 'suppressed' : String(c.value));

export function demandCsvRows(
  demand: DemandRow[],
  owed: HoursOwedRow[],
  labels: { topic: (t: string) => string; region: (r: string) => string },
): string[][] {
  const out: string[][] = [
    [
      'table',
      'topic',
      'region',
      'registered',
      'waitlisted',
      'open_deadlines',
      'unmet_demand',
      'people_owing_hours',
      'events',
      'seats',
      'seats_left',
      'gap',
    ],
  ];
  for (const d of demand) {
    out.push([
      'by_topic_and_region',
      labels.topic(d.topic),
      labels.region(d.region),
      csvCell(d.registered),
      csvCell(d.waitlisted),
      csvCell(d.openDeadlines),
      csvCell(d.unmetDemand),
      '',
      String(d.events),
      String(d.seats),
      String(d.seatsLeft),
      csvCell(d.gap),
    ]);
  }
  for (const o of owed) {
    out.push([
      'hours_owed_by_region',
      '',
      labels.region(o.region),
      '',
      '',
      '',
      '',
      csvCell(o.short),
      String(o.events),
      '',
      String(o.seatsLeft),
      csvCell(o.gap),
    ]);
  }
  return out;
}

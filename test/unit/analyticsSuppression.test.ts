import { describe, expect, it } from 'vitest';
import {
  publishTable,
  sliceTable,
  tableCsvRows,
  tableFromGroups,
  type GroupedRow,
  type PublishedTable,
  type RawTable,
} from '../../services/analytics/tables.js';
import { demandRows, hoursOwedRows } from '../../services/analytics/demand.js';
import { periodsBetween, withMargins } from '../../services/analytics/reports.js';

const N = 5;

/** A people-count table from a grid of counts (rows × columns), margins summed. */
function countTable(grid: number[][]): RawTable {
  const rows = grid.map((_, i) => ({ key: `r${i}`, label: `Row ${i}` }));
  const columns = grid[0]!.map((_, j) => ({ key: `c${j}`, label: `Column ${j}` }));
  const cells: GroupedRow[] = [];
  grid.forEach((line, i) =>
    line.forEach((people, j) => cells.push({ row: `r${i}`, column: `c${j}`, people, value: people })),
  );
  return tableFromGroups(
    { id: 't', title: 'T', rowDimension: 'row', columnDimension: 'column', measure: 'people' },
    withMargins(cells),
    rows,
    columns,
  );
}

/** Rank of a matrix of small integers (Gaussian elimination on numbers; exact enough for 0/±1). */
function rank(matrix: number[][]): number {
  const m = matrix.map((r) => [...r]);
  let r = 0;
  const columns = m[0]?.length ?? 0;
  for (let c = 0; c < columns && r < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (pivot === -1) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let k = c; k < columns; k++) m[i]![k]! -= f * m[r]![k]!;
    }
    r++;
  }
  return r;
}

/**
 * Which hidden cells an attacker can work out exactly from what is published: every row, column
 * and the totals line is an equation (cells − total = 0); shown cells are known. A hidden cell is
 * determined when removing its column from the equations over hidden cells lowers their rank.
 */
function recoverable(published: PublishedTable): string[] {
  const R = published.rows.length;
  const C = published.columns.length;
  // Every cell of the table with margins, as [row index or R for totals, column index or C for totals].
  const all: Array<{ i: number; j: number; hidden: boolean }> = [];
  for (let i = 0; i <= R; i++) {
    for (let j = 0; j <= C; j++) {
      const cell =
        i < R
          ? j < C
            ? published.cells[i]![j]!
            : published.rowTotals[i]!
          : j < C
            ? published.columnTotals[j]!
            : published.total;
      all.push({ i, j, hidden: cell.suppressed });
    }
  }
  const hidden = all.filter((c) => c.hidden);
  // A line's cells count +1 and its total −1 (the grand total is the total of both totals lines).
  const sign = (_c: { i: number; j: number }, totalSide: boolean) => (totalSide ? -1 : 1);
  const equations: number[][] = [];
  // Row lines i (0..R): cells j<C minus the total j=C.
  for (let i = 0; i <= R; i++) equations.push(hidden.map((c) => (c.i === i ? sign(c, c.j === C) : 0)));
  for (let j = 0; j <= C; j++) equations.push(hidden.map((c) => (c.j === j ? sign(c, c.i === R) : 0)));
  const full = rank(equations);
  return hidden
    .filter((_, x) => rank(equations.map((row) => row.filter((__, k) => k !== x))) < full)
    .map((c) => `${c.i},${c.j}`);
}

describe('small-group suppression of a table', () => {
  it('hides a cell of fewer than five people and never writes its number', () => {
    const published = publishTable(
      countTable([
        [3, 20],
        [12, 30],
      ]),
      N,
    );
    expect(published.cells[0]![0]).toEqual({ suppressed: true });
    expect(JSON.stringify(published)).not.toMatch(/"value":3\b/);
  });

  it('hides a second cell in the row and column so the first cannot be recovered from the totals', () => {
    const published = publishTable(
      countTable([
        [3, 20, 40],
        [12, 30, 50],
        [60, 70, 80],
      ]),
      N,
    );
    expect(published.suppressedCells).toBeGreaterThanOrEqual(4);
    expect(recoverable(published)).toEqual([]);
    // Without the complementary cells the first would be the row total less the other cells.
    const naive: PublishedTable = {
      ...published,
      cells: published.cells.map((r, i) =>
        r.map((c, j) =>
          i === 0 && j === 0 ? { suppressed: true } : c.suppressed ? { suppressed: false, value: 0 } : c,
        ),
      ),
      rowTotals: published.rowTotals.map((c) => (c.suppressed ? { suppressed: false, value: 0 } : c)),
      columnTotals: published.columnTotals.map((c) => (c.suppressed ? { suppressed: false, value: 0 } : c)),
      total: { suppressed: false, value: 0 },
    };
    expect(recoverable(naive)).toEqual(['0,0']);
  });

  it('hides small totals too, and protects them the same way', () => {
    const published = publishTable(
      countTable([
        [1, 2],
        [0, 40],
      ]),
      N,
    );
    expect(published.rowTotals[0]).toEqual({ suppressed: true });
    expect(recoverable(published)).toEqual([]);
  });

  it('shows cells of nobody as zero and cells of enough people as their number', () => {
    const published = publishTable(
      countTable([
        [0, 20],
        [12, 30],
      ]),
      N,
    );
    expect(published.cells).toEqual([
      [
        { suppressed: false, value: 0 },
        { suppressed: false, value: 20 },
      ],
      [
        { suppressed: false, value: 12 },
        { suppressed: false, value: 30 },
      ],
    ]);
    expect(published.total).toEqual({ suppressed: false, value: 62 });
    expect(published.suppressedCells).toBe(0);
  });

  it('leaves no hidden cell recoverable in 300 random tables', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let hiddenSeen = 0;
    for (let n = 0; n < 300; n++) {
      const rows = 1 + Math.floor(random() * 5);
      const columns = 1 + Math.floor(random() * 6);
      const grid = Array.from({ length: rows }, () =>
        Array.from({ length: columns }, () => (random() < 0.3 ? Math.floor(random() * 5) : Math.floor(random() * 40))),
      );
      const published = publishTable(countTable(grid), N);
      hiddenSeen += published.suppressedCells;
      expect(recoverable(published), JSON.stringify(grid)).toEqual([]);
      // Every small group is hidden.
      grid.forEach((line, i) =>
        line.forEach((people, j) => {
          if (people > 0 && people < N) expect(published.cells[i]![j]!.suppressed).toBe(true);
        }),
      );
    }
    expect(hiddenSeen).toBeGreaterThan(300);
  });

  it('publishes a rate as compliant people out of the people counted', () => {
    const groups: GroupedRow[] = [
      { row: 'licensed', column: 'Central', people: 10, value: 7 },
      { row: 'licensed', column: null, people: 10, value: 7 },
      { row: null, column: 'Central', people: 10, value: 7 },
      { row: null, column: null, people: 10, value: 7 },
    ];
    const table = tableFromGroups(
      { id: 'rate', title: 'Rate', rowDimension: 'program_type', columnDimension: 'region', measure: 'rate' },
      groups,
      [{ key: 'licensed', label: 'Licensed' }],
      [{ key: 'Central', label: 'Central' }],
    );
    const published = publishTable(table, N);
    expect(published.cells[0]![0]).toEqual({ suppressed: false, value: 7, of: 10 });
    expect(tableCsvRows([published])[1]).toEqual([
      'rate',
      'program_type',
      'Licensed',
      'region',
      'Central',
      'rate',
      '7',
      '10',
      '70',
    ]);
  });

  it('writes suppressed cells to CSV as "suppressed", never as their number', () => {
    const published = publishTable(
      countTable([
        [3, 20, 40],
        [12, 30, 50],
      ]),
      N,
    );
    const csv = tableCsvRows([published]);
    const first = csv.find((r) => r[2] === 'Row 0' && r[4] === 'Column 0')!;
    expect(first[6]).toBe('suppressed');
    expect(csv.filter((r) => r[6] === 'suppressed')).toHaveLength(published.suppressedCells);
  });
});

describe('demand against supply', () => {
  const row = {
    topic: 'guidance',
    region: 'Central',
    registered: 10,
    waitlisted: 8,
    openDeadlines: 0,
    events: 1,
    seats: 10,
    seatsLeft: 0,
  };

  it('puts the largest gap first: unmet demand less seats left', () => {
    const rows = demandRows(
      [
        { ...row, topic: 'curriculum', waitlisted: 6, seatsLeft: 4 },
        { ...row, topic: 'guidance', waitlisted: 20, seatsLeft: 0 },
        { ...row, topic: 'assessment', waitlisted: 0, registered: 0, seats: 30, seatsLeft: 30 },
      ],
      N,
    );
    expect(rows.map((r) => [r.topic, r.gap])).toEqual([
      ['guidance', { suppressed: false, value: 20 }],
      ['curriculum', { suppressed: false, value: 2 }],
      ['assessment', { suppressed: false, value: -30 }],
    ]);
  });

  it('hides a small part of unmet demand together with the other part, so the sum gives neither away', () => {
    const [r] = demandRows([{ ...row, waitlisted: 2, openDeadlines: 9 }], N);
    expect(r!.waitlisted).toEqual({ suppressed: true });
    expect(r!.openDeadlines).toEqual({ suppressed: true });
    expect(r!.unmetDemand).toEqual({ suppressed: false, value: 11 });
  });

  it('hides the gap when unmet demand is a small group, since seats are public', () => {
    const [r] = demandRows([{ ...row, waitlisted: 3, openDeadlines: 0, seatsLeft: 1 }], N);
    expect(r!.unmetDemand).toEqual({ suppressed: true });
    expect(r!.gap).toEqual({ suppressed: true });
    expect(JSON.stringify(r)).not.toMatch(/"value":(2|3)\b/);
  });

  it('hides a small number of people owing hours in a region, and its gap', () => {
    const rows = hoursOwedRows(
      [
        { region: 'Central', people: 40, short: 3, seatsLeft: 1, events: 1 },
        { region: 'Southwest', people: 40, short: 30, seatsLeft: 10, events: 2 },
      ],
      N,
    );
    expect(rows[0]).toMatchObject({
      region: 'Southwest',
      short: { suppressed: false, value: 30 },
      gap: { suppressed: false, value: 20 },
    });
    expect(rows[1]).toMatchObject({ region: 'Central', short: { suppressed: true }, gap: { suppressed: true } });
  });
});

describe('periods of the training hours report', () => {
  it('lists every month or quarter of the range, across a year end', () => {
    expect(periodsBetween('2025-11-15', '2026-02-01', 'month').map((p) => p.key)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(periodsBetween('2025-11-15', '2026-04-01', 'quarter').map((p) => p.key)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
    ]);
  });
});

describe('one line of a table on its own (a report filtered to one region)', () => {
  it('shows the line as the whole table published it, hiding what was hidden to protect another line', () => {
    const grid = [
      [2, 10, 12],
      [11, 10, 9],
      [14, 13, 10],
    ];
    const whole = publishTable(countTable(grid), N);
    // The small cell of r0 is protected by hiding cells of other rows, not only its own.
    const other = [1, 2].find((i) => whole.cells[i]!.some((c) => c.suppressed))!;
    expect(other).toBeDefined();
    const line = sliceTable(whole, 'row', `r${other}`);
    expect(line.cells).toEqual([whole.cells[other]]);
    expect(line.total).toEqual(whole.rowTotals[other]);
    expect(line.columnTotals).toEqual(whole.cells[other]);
    // Published alone, the same row has no small group and would show every cell.
    const alone = publishTable(countTable([grid[other]!]), N);
    expect(alone.cells[0]!.every((c) => !c.suppressed)).toBe(true);
    const column = sliceTable(whole, 'column', 'c0');
    expect(column.cells.map((r) => r[0])).toEqual(whole.cells.map((r) => r[0]));
    expect(column.total).toEqual(whole.columnTotals[0]);
  });
});

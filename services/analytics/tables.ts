/**
 * Workforce analytics tables and small-group suppression. Pure: no I/O.
 *
 * A table has rows, columns, their totals and a grand total, as the database counted them (one
 * GROUP BY … GROUPING SETS pass). Each cell knows how many people it describes. A cell describing
 * between 1 and N−1 people is suppressed (N is the `analytics_small_group_threshold` setting),
 * and so is every total describing that few. Then complementary suppression: in a table with its
 * margins, a suppressed cell can be worked out by subtraction exactly when it is a bridge of the
 * graph whose nodes are the table's lines (each row, each column, the totals row and the totals
 * column) and whose edges are the suppressed cells (a cell joins its row and its column; a row
 * total joins the row and the totals column; the grand total joins the totals row and column).
 * A cell on a cycle cannot be recovered: adding t and −t around the cycle changes no line's sum.
 * So while a suppressed cell is a bridge, the cheapest path of further cells (fewest people)
 * between its two lines is suppressed too, closing a cycle through it.
 *
 * Every suppressed cell is published the same way ("suppressed"), without its number or a reason:
 * telling the complementary cells apart would say they hold at least N, which narrows the others.
 */

/** What the database counted for one cell: how many people it describes and its measure. */
export interface RawCell {
  people: number;
  /** People (a count), credited hours, or compliant people (of `people`, for a rate). */
  value: number;
}

export type Measure = 'people' | 'hours' | 'rate';

export interface Heading {
  key: string;
  label: string;
}

/** A cell as published: its value (and for a rate, out of how many), or suppressed. */
export type PublishedCell = { suppressed: true } | { suppressed: false; value: number; of?: number };

export interface RawTable {
  id: string;
  title: string;
  rowDimension: string;
  columnDimension: string;
  measure: Measure;
  rows: Heading[];
  columns: Heading[];
  /** cells[row key][column key]; missing means nobody. */
  cells: Record<string, Record<string, RawCell>>;
  rowTotals: Record<string, RawCell>;
  columnTotals: Record<string, RawCell>;
  total: RawCell;
}

export interface PublishedTable {
  id: string;
  title: string;
  rowDimension: string;
  columnDimension: string;
  measure: Measure;
  rows: Heading[];
  columns: Heading[];
  /** cells[i][j] for rows[i] and columns[j]. */
  cells: PublishedCell[][];
  rowTotals: PublishedCell[];
  columnTotals: PublishedCell[];
  total: PublishedCell;
  /** How many cells (totals included) were suppressed. */
  suppressedCells: number;
}

const NOBODY: RawCell = { people: 0, value: 0 };

/** True when a cell describes some people, but fewer than the threshold. */
export function isSmallGroup(people: number, threshold: number): boolean {
  return people > 0 && people < threshold;
}

/** The graph of a table with its margins: node ids for lines, one edge per cell. */
interface Edge {
  id: string;
  a: number;
  b: number;
  people: number;
}

function edgesOf(table: RawTable): { edges: Edge[]; nodes: number } {
  const rowNode = (i: number) => i;
  const columnNode = (j: number) => table.rows.length + j;
  const totalsRow = table.rows.length + table.columns.length;
  const totalsColumn = totalsRow + 1;
  const edges: Edge[] = [];
  table.rows.forEach((r, i) => {
    table.columns.forEach((c, j) =>
      edges.push({
        id: cellId(r.key, c.key),
        a: rowNode(i),
        b: columnNode(j),
        people: (table.cells[r.key]?.[c.key] ?? NOBODY).people,
      }),
    );
    edges.push({
      id: cellId(r.key, TOTAL),
      a: rowNode(i),
      b: totalsColumn,
      people: (table.rowTotals[r.key] ?? NOBODY).people,
    });
  });
  table.columns.forEach((c, j) =>
    edges.push({
      id: cellId(TOTAL, c.key),
      a: totalsRow,
      b: columnNode(j),
      people: (table.columnTotals[c.key] ?? NOBODY).people,
    }),
  );
  edges.push({ id: cellId(TOTAL, TOTAL), a: totalsRow, b: totalsColumn, people: table.total.people });
  return { edges, nodes: totalsColumn + 1 };
}

const TOTAL = '\u0000total';
const cellId = (row: string, column: string) => `${row}\u0001${column}`;

/** Suppressed cells that are bridges of the suppressed-cell graph, i.e. recoverable from the margins. */
export function bridges(edges: Edge[], nodes: number, suppressed: Set<string>): Edge[] {
  const adjacency: Array<Array<{ to: number; edge: Edge }>> = Array.from({ length: nodes }, () => []);
  for (const e of edges) {
    if (!suppressed.has(e.id)) continue;
    adjacency[e.a]!.push({ to: e.b, edge: e });
    adjacency[e.b]!.push({ to: e.a, edge: e });
  }
  const order = new Array<number>(nodes).fill(-1);
  const low = new Array<number>(nodes).fill(0);
  const found: Edge[] = [];
  let counter = 0;
  // Iterative Tarjan: a tree edge u–v is a bridge when nothing below v reaches above it.
  for (let start = 0; start < nodes; start++) {
    if (order[start] !== -1) continue;
    const stack: Array<{ node: number; via: Edge | null; next: number }> = [{ node: start, via: null, next: 0 }];
    order[start] = low[start] = counter++;
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const neighbours = adjacency[frame.node]!;
      if (frame.next < neighbours.length) {
        const { to, edge } = neighbours[frame.next++]!;
        if (edge === frame.via) continue;
        if (order[to] === -1) {
          order[to] = low[to] = counter++;
          stack.push({ node: to, via: edge, next: 0 });
        } else low[frame.node] = Math.min(low[frame.node]!, order[to]!);
      } else {
        stack.pop();
        const parent = stack.at(-1);
        if (parent) {
          low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
          if (low[frame.node]! > order[parent.node]!) found.push(frame.via!);
        }
      }
    }
  }
  return found;
}

/**
 * The cheapest chain of not-yet-suppressed cells joining two lines without using `avoid`
 * (Dijkstra; a suppressed cell costs nothing, another costs the people it describes, a cell
 * of nobody costs as much as a small group so that real cells are preferred).
 */
function cheapestPath(edges: Edge[], nodes: number, suppressed: Set<string>, avoid: Edge, threshold: number): Edge[] {
  const adjacency: Array<Array<{ to: number; edge: Edge }>> = Array.from({ length: nodes }, () => []);
  for (const e of edges) {
    if (e === avoid) continue;
    adjacency[e.a]!.push({ to: e.b, edge: e });
    adjacency[e.b]!.push({ to: e.a, edge: e });
  }
  const cost = (e: Edge) => (suppressed.has(e.id) ? 0 : Math.max(e.people, threshold) + 1);
  const distance = new Array<number>(nodes).fill(Infinity);
  const via = new Array<Edge | null>(nodes).fill(null);
  const done = new Array<boolean>(nodes).fill(false);
  distance[avoid.a] = 0;
  for (;;) {
    let u = -1;
    for (let n = 0; n < nodes; n++)
      if (!done[n] && distance[n]! < Infinity && (u === -1 || distance[n]! < distance[u]!)) u = n;
    if (u === -1 || u === avoid.b) break;
    done[u] = true;
    for (const { to, edge } of adjacency[u]!) {
      const d = distance[u]! + cost(edge);
      if (d < distance[to]!) {
        distance[to] = d;
        via[to] = edge;
      }
    }
  }
  const path: Edge[] = [];
  for (let n = avoid.b; n !== avoid.a;) {
    const edge = via[n];
    if (!edge) return [];
    path.push(edge);
    n = edge.a === n ? edge.b : edge.a;
  }
  return path;
}

/** Which cells of a table to suppress: small groups, then enough others that none can be recovered. */
export function suppressionOf(table: RawTable, threshold: number): Set<string> {
  const { edges, nodes } = edgesOf(table);
  const suppressed = new Set(edges.filter((e) => isSmallGroup(e.people, threshold)).map((e) => e.id));
  for (let guard = 0; guard < edges.length; guard++) {
    const exposed = bridges(edges, nodes, suppressed);
    if (exposed.length === 0) break;
    const path = cheapestPath(edges, nodes, suppressed, exposed[0]!, threshold);
    if (path.length === 0) {
      // No other way round (a table of one cell): hide everything.
      for (const e of edges) suppressed.add(e.id);
      break;
    }
    for (const e of path) suppressed.add(e.id);
  }
  return suppressed;
}

/** The table as published: numbers where they describe enough people, "suppressed" elsewhere. */
export function publishTable(table: RawTable, threshold: number): PublishedTable {
  const suppressed = suppressionOf(table, threshold);
  const publish = (row: string, column: string, cell: RawCell | undefined): PublishedCell => {
    if (suppressed.has(cellId(row, column))) return { suppressed: true };
    const c = cell ?? NOBODY;
    return table.measure === 'rate'
      ? { suppressed: false, value: c.value, of: c.people }
      : { suppressed: false, value: roundHours(c.value) };
  };
  return {
    id: table.id,
    title: table.title,
    rowDimension: table.rowDimension,
    columnDimension: table.columnDimension,
    measure: table.measure,
    rows: table.rows,
    columns: table.columns,
    cells: table.rows.map((r) => table.columns.map((c) => publish(r.key, c.key, table.cells[r.key]?.[c.key]))),
    rowTotals: table.rows.map((r) => publish(r.key, TOTAL, table.rowTotals[r.key])),
    columnTotals: table.columns.map((c) => publish(TOTAL, c.key, table.columnTotals[c.key])),
    total: publish(TOTAL, TOTAL, table.total),
    suppressedCells: suppressed.size,
  };
}

/**
 * One line of a published table as a table of its own (a report filtered to one region): its
 * cells exactly as the whole table published them, so the filtered view shows nothing the
 * statewide one hides — suppressing the line on its own would reveal the cells that were hidden
 * only to protect another line. Its totals are the line's own total.
 */
export function sliceTable(table: PublishedTable, along: 'row' | 'column', key: string): PublishedTable {
  if (along === 'row') {
    const i = table.rows.findIndex((r) => r.key === key);
    if (i < 0)
      return {
        ...table,
        rows: [],
        cells: [],
        rowTotals: [],
        columnTotals: table.columns.map(() => ({ suppressed: false, value: 0 })),
        total: { suppressed: false, value: 0 },
      };
    const line = table.cells[i]!;
    return {
      ...table,
      rows: [table.rows[i]!],
      cells: [line],
      rowTotals: [table.rowTotals[i]!],
      columnTotals: line,
      total: table.rowTotals[i]!,
      suppressedCells: [...line, table.rowTotals[i]!].filter((c) => c.suppressed).length,
    };
  }
  const j = table.columns.findIndex((c) => c.key === key);
  if (j < 0)
    return {
      ...table,
      columns: [],
      cells: table.rows.map(() => []),
      columnTotals: [],
      rowTotals: table.rows.map(() => ({ suppressed: false, value: 0 })),
      total: { suppressed: false, value: 0 },
    };
  const line = table.cells.map((row) => row[j]!);
  return {
    ...table,
    columns: [table.columns[j]!],
    cells: line.map((c) => [c]),
    columnTotals: [table.columnTotals[j]!],
    rowTotals: line,
    total: table.columnTotals[j]!,
    suppressedCells: [...line, table.columnTotals[j]!].filter((c) => c.suppressed).length,
  };
}

const roundHours = (n: number) => Math.round(n * 100) / 100;

/** One grouped row from the database: null keys mark a total (GROUPING SETS). */
export interface GroupedRow {
  row: string | null;
  column: string | null;
  people: number;
  value: number;
}

/** Builds a table from grouped rows; rows and columns keep the order given, unknown keys are appended. */
export function tableFromGroups(
  meta: Pick<RawTable, 'id' | 'title' | 'rowDimension' | 'columnDimension' | 'measure'>,
  groups: GroupedRow[],
  rows: Heading[],
  columns: Heading[],
): RawTable {
  const table: RawTable = {
    ...meta,
    rows: [...rows],
    columns: [...columns],
    cells: {},
    rowTotals: {},
    columnTotals: {},
    total: { ...NOBODY },
  };
  const known = (list: Heading[], key: string) => {
    if (!list.some((h) => h.key === key)) list.push({ key, label: key });
  };
  for (const g of groups) {
    const cell = { people: Number(g.people), value: Number(g.value) };
    if (g.row !== null && g.column !== null) {
      known(table.rows, g.row);
      known(table.columns, g.column);
      (table.cells[g.row] ??= {})[g.column] = cell;
    } else if (g.row !== null) {
      known(table.rows, g.row);
      table.rowTotals[g.row] = cell;
    } else if (g.column !== null) {
      known(table.columns, g.column);
      table.columnTotals[g.column] = cell;
    } else table.total = cell;
  }
  return table;
}

/** CSV rows of published tables, one line per cell (totals as "Total"); suppressed cells say so. */
export function tableCsvRows(tables: PublishedTable[]): string[][] {
  const out: string[][] = [
    ['table', 'row_dimension', 'row', 'column_dimension', 'column', 'measure', 'value', 'out_of', 'rate_percent'],
  ];
  const line = (t: PublishedTable, row: string, column: string, cell: PublishedCell) => {
    if (cell.suppressed) return [t.id, t.rowDimension, row, t.columnDimension, column, t.measure, 'suppressed', '', ''];
    const rate =
      cell.of !== undefined ? (cell.of > 0 ? String(Math.round((cell.value / cell.of) * 1000) / 10) : '') : '';
    return [
      t.id,
      t.rowDimension,
      row,
      t.columnDimension,
      column,
      t.measure,
      String(cell.value),
      cell.of !== undefined ? String(cell.of) : '',
      rate,
    ];
  };
  for (const t of tables) {
    t.rows.forEach((r, i) => {
      t.columns.forEach((c, j) => out.push(line(t, r.label, c.label, t.cells[i]![j]!)));
      out.push(line(t, r.label, 'Total', t.rowTotals[i]!));
    });
    t.columns.forEach((c, j) => out.push(line(t, 'Total', c.label, t.columnTotals[j]!)));
    out.push(line(t, 'Total', 'Total', t.total));
  }
  return out;
}

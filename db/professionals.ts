import type { Db } from './connection.js';
import type { ProfessionalRow } from './rows.js';

export interface NewProfessional {
  firstName: string;
  lastName: string;
  email: string;
  county?: string | null;
}

/** Creates a professional with the next MOPD ID ('MO' and seven digits). */
export async function createProfessional(db: Db, input: NewProfessional): Promise<ProfessionalRow> {
  const [row] = await db('professionals')
    .insert({
      mopd_id: db.raw("'MO' || lpad(nextval('mopd_id_seq')::text, 7, '0')"),
      first_name: input.firstName,
      last_name: input.lastName,
      email: input.email,
      county: input.county ?? null,
    })
    .returning('*');
  return row as ProfessionalRow;
}

export function findProfessional(db: Db, id: number): Promise<ProfessionalRow | undefined> {
  return db('professionals').where({ id }).first();
}

export interface ProfessionalListing extends ProfessionalRow {
  compliant: boolean | null;
}

/** Professionals by name, with their last computed compliance, for pickers and lists. */
export function listProfessionals(
  db: Db,
  options: { search?: string; limit: number; offset: number; organizationIds?: number[] | null; employedOn?: string },
): Promise<ProfessionalListing[]> {
  const query = db('professionals as p')
    .leftJoin('compliance_results as c', 'c.professional_id', 'p.id')
    .select('p.*', 'c.compliant')
    .orderBy([{ column: 'p.last_name' }, { column: 'p.first_name' }, { column: 'p.id' }])
    .limit(options.limit)
    .offset(options.offset);
  if (options.organizationIds) {
    const ids = options.organizationIds;
    // Staff of those organizations now: someone who left is listed no longer (issue 16).
    void query.whereExists((q) => {
      void q
        .select(db.raw('1'))
        .from('employments as e')
        .whereRaw('e.professional_id = p.id')
        .whereIn('e.organization_id', ids);
      if (options.employedOn)
        void q.where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', options.employedOn!));
    });
  }
  if (options.search) {
    const term = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    void query.where((w) =>
      w.whereILike('p.first_name', term).orWhereILike('p.last_name', term).orWhereILike('p.mopd_id', term),
    );
  }
  return query;
}

/** Changes a professional's columns (stamping updated_at) and answers the row as it is now. */
export async function updateProfessional(
  db: Db,
  id: number,
  changes: Partial<Omit<ProfessionalRow, 'id'>>,
): Promise<ProfessionalRow> {
  const [after] = await db('professionals')
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning('*');
  return after as ProfessionalRow;
}

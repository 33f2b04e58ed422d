/** The one typed client of the MOPD API. */
import type { ComplianceResult } from '../../rules/compliance';
import type { DeadlineStatus } from '../../rules/domain';

export interface Professional {
  id: number;
  mopd_id: string;
  first_name: string;
  last_name: string;
  email: string;
  county: string | null;
  compliant?: boolean | null;
}

export interface ComplianceReport extends ComplianceResult {
  ruleSet: string;
  ruleSetVersion: number;
}

export interface Deadline {
  id: number;
  label: string;
  requirement: string;
  starts_on: string;
  due_on: string;
  status: DeadlineStatus;
  reminded_at: string | null;
  became_overdue_at: string | null;
  met_at: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
  }
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as { error?: { message: string; fields?: ApiError['fields'] } };
  if (!response.ok) throw new ApiError(response.status, body.error?.message ?? response.statusText, body.error?.fields);
  return body as T;
}

export const api = {
  professionals: (search = '') => get<{ professionals: Professional[] }>(`/api/professionals?limit=100&search=${encodeURIComponent(search)}`),
  compliance: (id: number, asOf?: string) =>
    get<{ professional: Professional; compliance: ComplianceReport }>(`/api/professionals/${id}/compliance${asOf ? `?asOf=${asOf}` : ''}`),
  deadlines: (id: number) => get<{ deadlines: Deadline[] }>(`/api/professionals/${id}/deadlines`),
};

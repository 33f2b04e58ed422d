/** The legacy import in the API client: upload a batch for its preview, apply it, follow its progress. */
import { ApiError, call, csrf } from './api';

export interface ImportProblem {
  line: number;
  column: string;
  reason: string;
}
export interface ImportFileReport {
  kind: string;
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  rejected: ImportProblem[];
  rejectedCount: number;
  /** In a preview, the first 1,000 updates of existing records. */
  updates?: ImportUpdate[];
}
export interface ImportUpdate {
  line: number;
  record: string;
  matchedBy: 'legacyId' | 'mopdId' | 'licenseNumber' | 'course';
  changes: string[];
}
export interface ImportBatch {
  id: number;
  name: string;
  system: string;
  status: 'previewed' | 'applying' | 'applied' | 'failed';
  report: Record<string, ImportFileReport>;
  appliedReport: Record<string, ImportFileReport> | null;
  progress: { done: number; total: number; currentFile: string | null };
  error: string | null;
}

export const imports = {
  /** Uploads the CSV files as one batch; answers its preview (nothing is written to the registry yet). */
  async preview(files: File[], system: string): Promise<{ batch: ImportBatch }> {
    const form = new FormData();
    form.append('system', system);
    for (const file of files) form.append('files', file);
    const response = await fetch('/api/admin/imports', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': await csrf() },
    });
    const data = (await response.json().catch(() => ({}))) as {
      batch: ImportBatch;
      error?: { message: string; fields?: Array<{ field: string; message: string }> };
    };
    if (!response.ok)
      throw new ApiError(response.status, data.error?.message ?? response.statusText, data.error?.fields);
    return data;
  },
  apply: (id: number) => call<{ batch: ImportBatch }>('POST', `/api/admin/imports/${id}/apply`),
  batch: (id: number) => call<{ batch: ImportBatch }>('GET', `/api/admin/imports/${id}`),
};

/** The legacy import in the API client: upload a batch for its preview, apply it, follow its progress. */
import { ApiError, call, csrf } from './api';
import type { Answer } from '../../api/contract';

/** The batch, its report and the files' formats as the API answers them (api/contract.ts). */
export type ImportBatch = Answer<'GET /api/admin/imports/:id'>['batch'];
export type ImportFileReport = ImportBatch['report'][string];
export type ImportFormat = Answer<'GET /api/admin/imports/formats'>['files'][number];

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
  formats: () => call<{ files: ImportFormat[] }>('GET', '/api/admin/imports/formats'),
};

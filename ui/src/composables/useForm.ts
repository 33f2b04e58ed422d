/** A form's save: busy while it runs, the server's message for each field, a line when it is done. */
import { reactive } from 'vue';
import { ApiError } from '../api';

/**
 * `reload`, when given, runs after every successful save and before the form says it is done, so
 * what the page shows is already current when the message appears.
 */
export function useForm(options: { reload?: () => Promise<unknown> } = {}) {
  const state = reactive({ saving: false, error: undefined as ApiError | undefined, done: '' });
  async function run(save: () => Promise<unknown>, done: string): Promise<boolean> {
    state.saving = true;
    state.error = undefined;
    state.done = '';
    try {
      await save();
      await options.reload?.();
      state.done = done;
      return true;
    } catch (e) {
      state.error = e instanceof ApiError ? e : new ApiError(0, (e as Error).message);
      return false;
    } finally {
      state.saving = false;
    }
  }
  return {
    state,
    run,
    /** The server's message for a field (matching its path, e.g. 'reasons' or 'certifications.0.expiresOn'). */
    message: (field: string) => state.error?.fieldMessage(field),
    /** The error when it names no field: shown above the button. */
    general: () => (state.error && state.error.fields.length === 0 ? state.error.message : undefined),
  };
}

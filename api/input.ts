/**
 * Checks every request's input before its schema sees it, for what no schema states but the
 * layers below cannot take: PostgreSQL refuses the NUL character in text and jsonb (it would be a
 * 500 at the INSERT, after part of the work), and a document nested thousands deep overflows the
 * stack of whatever walks it next (validation, JSON.stringify for a jsonb column). Found by the
 * bad-input suite (test/integration/badInput.test.ts).
 */
import { DomainError } from '../services/errors.js';

/** Deeper than any document the API takes (a rule set's conditions nest a few levels). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Throws an Invalid error naming the first field (path joined by dots, as in schema errors) whose
 * text or key holds a NUL, or that nests deeper than MAX_INPUT_DEPTH. Iterative, so that the
 * check itself cannot overflow.
 */
export function assertPlainInput(value: unknown, prefix = ''): void {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: prefix ? [prefix] : [] }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    const field = () => path.join('.') || '(body)';
    if (typeof current === 'string') {
      if (current.includes('\u0000'))
        throw new DomainError('Invalid', `${field()}: must not contain the NUL character (\\u0000)`, field());
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length - (prefix ? 1 : 0) >= MAX_INPUT_DEPTH)
      throw new DomainError('Invalid', `${field()}: nested more than ${MAX_INPUT_DEPTH} levels deep`, field());
    for (const [key, inner] of Object.entries(current)) {
      if (key.includes('\u0000'))
        throw new DomainError('Invalid', `${field()}: a key must not contain the NUL character (\\u0000)`, field());
      pending.push({ value: inner, path: [...path, key] });
    }
  }
}

/**
 * Whether text typed by someone may become a link's href: only web addresses. A `javascript:` or
 * `data:` address stored before the API refused it (or brought in from elsewhere) would run script
 * in the reader's browser when clicked, so it is shown as text instead.
 */
export const isWebAddress = (value: string | null | undefined): value is string =>
  typeof value === 'string' && /^https?:\/\/\S/i.test(value);

/** Building blocks of response schemas: what JSON makes of the values handlers return. */
import { z } from 'zod';

/** A Date the handler returned, after JSON.stringify: an ISO 8601 instant in UTC. */
export const isoDateTime = z.iso.datetime();

/** The answer of a route that returns nothing (204). */
export const noContent = z.undefined();

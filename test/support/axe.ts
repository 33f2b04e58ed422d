/**
 * Accessibility check for browser tests: runs axe-core's WCAG 2.1 A and AA rules on the page as it
 * is now and fails with each violation, its help text and the elements it found.
 *
 * axe is evaluated through the DevTools protocol (page.evaluate), which the page's
 * Content-Security-Policy does not govern, so the app's CSP stays as strict as in production.
 *
 *   await expectNoAxeViolations(page);
 *   await expectNoAxeViolations(page, { exclude: ['#chart-canvas'] });
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSource: Promise<string> | undefined;

function loadAxe(): Promise<string> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary: string }[];
}

export interface AxeOptions {
  /** CSS selectors left out of the check (a third-party widget, say); keep this list short. */
  exclude?: string[];
}

/** The WCAG 2.1 A/AA violations axe finds on the page now. */
export async function axeViolations(page: Page, options: AxeOptions = {}): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!hasAxe) await page.evaluate(await loadAxe());
  return page.evaluate(
    async ({ tags, exclude }) => {
      const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } }).axe;
      const context = exclude.length > 0 ? { exclude: exclude.map((selector) => [selector]) } : document;
      const result = (await axe.run(context, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      })) as {
        violations: {
          id: string;
          impact: string | null;
          help: string;
          helpUrl: string;
          nodes: { target: unknown[]; failureSummary?: string }[];
        }[];
      };
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary ?? '' })),
      }));
    },
    { tags: WCAG_21_AA, exclude: options.exclude ?? [] },
  );
}

/** Fails with a readable list when axe finds any WCAG 2.1 A/AA violation on the page. */
export async function expectNoAxeViolations(page: Page, options: AxeOptions = {}): Promise<void> {
  const violations = await axeViolations(page, options);
  if (violations.length === 0) return;
  const lines = violations.flatMap((v) => [
    `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.helpUrl}`,
    ...v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
  ]);
  throw new Error(`axe found ${violations.length} WCAG 2.1 AA violation(s) on ${page.url()}:\n${lines.join('\n')}`);
}

/** Fails when the page scrolls sideways at its current width (a phone layout that overflows). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth)
    throw new Error(`page scrolls sideways on ${page.url()}: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);
}

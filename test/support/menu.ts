/**
 * Goes to a page through the main menu the way a person does at any width: opens the phone's Menu
 * panel when the menu is folded away, opens the page's group (the menu is grouped: "My learning",
 * "Training", "Review", …) and follows the link. `name` is the link's exact text.
 *
 * It returns once the app is on the link's page. Following a link is a navigation inside the app
 * that finishes only when the page's code has arrived (each page is loaded when first opened): on
 * a busy machine that takes a while, and a reload meanwhile reloads the page the person was on,
 * dropping the navigation (the trainer journey's reviewer kept reloading the home page, waiting
 * for the review queue to show a case).
 *
 *   await goTo(page, 'My training');
 */
import type { Page } from 'playwright-core';

/** Opens the phone's Menu panel when the menu is folded away (at desktop width it is always open). */
export async function openMenu(page: Page): Promise<void> {
  if (!(await page.locator('#main-nav').isVisible())) await page.locator('button.usa-menu-btn').click();
}

export async function goTo(page: Page, name: string): Promise<void> {
  const nav = page.locator('#main-nav');
  await openMenu(page);
  const link = nav.getByRole('link', { name, exact: true, includeHidden: true });
  const group = nav
    .locator('.usa-nav__primary-item')
    .filter({ has: page.getByRole('link', { name, exact: true, includeHidden: true }) })
    .locator('button.usa-nav__link');
  if ((await group.count()) > 0 && (await group.getAttribute('aria-expanded')) !== 'true') await group.click();
  const target = new URL((await link.getAttribute('href')) ?? '/', page.url());
  await link.click();
  await page.waitForURL((url) => url.pathname === target.pathname && url.search === target.search);
}

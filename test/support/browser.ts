/**
 * Browser tests drive Debian's chromium through playwright-core (never a downloaded browser).
 * `openBrowser()` launches it headless; pages collect their script errors so a test can assert
 * there were none; `screenshot()` saves PNGs under test-artifacts/screenshots for reviewers;
 * `expectAccessible()` runs axe-core in the page and fails on serious or critical violations.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-artifacts/screenshots');

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (npm test installs it).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors the page produced so far. */
  errors: string[];
}

/** A fresh context (its own cookies, like a separate person) with one page at desktop size. */
export async function openPage(browser: Browser, baseURL: string): Promise<TestPage> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // Failed requests the app handles (a 401 from /api/me when signed out) are logged by the browser as
    // console errors about the resource; those are expected answers, not script errors.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** Saves a full-page PNG as test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let entrance animations and web fonts settle so the picture shows the page as a person sees it.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  // Grow the viewport to the whole page instead of using fullPage, so full-height parts of the layout
  // (the sticky sidebar) are drawn as tall as the page, as a person scrolling would see them.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: file, animations: 'disabled' });
  if (viewport && height > viewport.height) await page.setViewportSize(viewport);
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.1 A/AA and best practices) on the page as it is now. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, so the page's Content-Security-Policy (script-src 'self') does
  // not have to be loosened for the test.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Fails with a readable list when axe finds serious or critical violations; returns the rest. */
export async function expectAccessible(page: Page, where: string): Promise<AxeViolation[]> {
  const violations = await runAxe(page);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const list = blocking.map((v) => `  - [${v.impact}] ${v.id}: ${v.help}\n      ${v.targets.slice(0, 5).join('\n      ')}`).join('\n');
    throw new Error(`axe found ${blocking.length} serious/critical accessibility violation(s) on ${where}:\n${list}`);
  }
  return violations.filter((v) => !blocking.includes(v));
}

/**
 * Screenshots and axe-checks the page at desktop and phone width: <name>.png and <name>.phone.png.
 * Returns the minor/moderate findings so a test can report or assert them.
 */
export async function capture(page: Page, name: string): Promise<AxeViolation[]> {
  const found: AxeViolation[] = [];
  await page.setViewportSize(DESKTOP);
  await screenshot(page, name);
  found.push(...(await expectAccessible(page, `${name} at ${DESKTOP.width}px`)));
  await page.setViewportSize(PHONE);
  await screenshot(page, `${name}.phone`);
  found.push(...(await expectAccessible(page, `${name} at ${PHONE.width}px`)));
  await page.setViewportSize(DESKTOP);
  return found;
}

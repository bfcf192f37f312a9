// Accessibility of every console view in headless Chromium on the demo data:
// axe-core's WCAG 2 A/AA rules (labels, names, contrast, landmarks, ARIA)
// must find no violation.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 100 });
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// The views, each with what shows it is drawn.
const views = [
  ['/', 'Overview'],
  ['/profiles', 'Profiles'],
  ['/service', 'Service desk'],
  ['/sources', 'Sources'],
  ['/segments', 'Segments'],
  ['/segments/new', 'New segment'],
  ['/journeys', 'Journeys'],
  ['/templates', 'Templates'],
  ['/measurement/funnels', 'Measurement'],
  ['/journey-map', 'Journey map'],
];

test('every view passes axe-core WCAG 2 A/AA checks', { skip: env.missing || false, timeout: 240_000 }, async () => {
  // axe is injected as a script: the test context bypasses the page's CSP for it alone.
  const ctx = await env.browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  await signIn(page, env.server.url, '/');
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  const found = [];
  const check = async (label) => {
    await page.waitForFunction(() => {
      const main = document.querySelector('main');
      return main && !main.querySelector('[aria-busy="true"]') &&
        ![...main.querySelectorAll('[role=status], button')].some((e) => /Loading|Running/.test(e.textContent ?? ''));
    }, null, { timeout: 60_000 });
    await page.addScriptTag({ path: axePath });
    const res = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations.map((v) => ({
        id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      })));
    for (const v of res) found.push(`${label}: ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
  };
  for (const [path, heading] of views) {
    await page.goto(`${env.server.url}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await check(path);
  }
  // A profile's 360° view and a journey on the canvas.
  await page.goto(`${env.server.url}/profiles`);
  await page.locator('main table tbody a').first().click();
  await page.getByRole('heading', { level: 2, name: 'Identities' }).waitFor();
  await check('profile 360');
  await page.goto(`${env.server.url}/journeys`);
  await page.locator('main table tbody a').first().click();
  await page.locator('.jr-card').first().waitFor();
  await check('journey canvas');
  assert.deepEqual(found, []);
  await ctx.close();
});

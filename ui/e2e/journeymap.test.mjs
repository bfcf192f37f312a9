// The journey map in headless Chromium on the demo data: stages across,
// touchpoints down, a cell opened to its customers and to the segment and
// journeys acting on them, and on to one customer's profile.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer();

test('the journey map draws the demo lifecycle and opens a cell', { skip: env.missing || false, timeout: 180_000 }, async () => {
  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  await signIn(page, env.server.url, '/journey-map');
  await page.getByRole('heading', { level: 1, name: 'Journey map' }).waitFor();
  const grid = page.getByRole('region', { name: 'Journey map: touchpoints by lifecycle stage' });
  await grid.waitFor({ timeout: 60_000 });
  const heads = await grid.getByRole('columnheader').allTextContents();
  assert.deepEqual(heads, ['Touchpoint', 'awareness', 'consideration', 'lapsed', 'purchase', 'retention', 'advocacy']);
  assert.ok(await grid.getByRole('rowheader', { name: 'Web', exact: true }).count() === 1, 'web touchpoints are grouped');
  await page.screenshot({ path: join(artifacts, 'journey-map.png'), fullPage: true });

  // An order placed in consideration moves its customer on: the demo's stage model says so.
  const cell = grid.getByRole('button', { name: /^Web Order Completed consideration [\d,]+ / });
  assert.match(await cell.innerText(), /^[\d,]+\s+100\.0% on$/);
  await cell.click();
  const detail = page.getByRole('region', { name: 'Web · Order Completed in consideration' });
  await detail.waitFor();
  await detail.getByRole('link', { name: 'Stage: consideration' }).waitFor();
  await detail.getByRole('link', { name: 'Abandoned cart' }).waitFor(); // its goal is an order
  const customers = detail.getByRole('region', { name: 'Customers of the cell' });
  const first = customers.getByRole('rowheader').first().getByRole('link');
  await first.waitFor({ timeout: 60_000 });
  await detail.screenshot({ path: join(artifacts, 'journey-map-cell.png') });
  const href = await first.getAttribute('href');
  assert.match(href, /^\/profiles\/p_/);
  await first.click();
  await page.waitForURL(`**${href}`);
  assert.deepEqual(problems, []);
  await page.close();
});

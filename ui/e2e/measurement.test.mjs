// Every measurement view in headless Chromium on the demo data: each runs
// its analysis with its default form and draws a chart or a table, under
// the server's strict Content-Security-Policy.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer();

const runnable = [
  ['Funnels', 'funnels'],
  ['Paths', 'paths'],
  ['Retention', 'retention'],
  ['Attribution', 'attribution'],
  ['Lifetime value', 'ltv'],
  ['Lift', 'lift'],
];

test('each measurement view runs on the demo data', { skip: env.missing || false, timeout: 240_000 }, async () => {
  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  await signIn(page, env.server.url, '/measurement');
  await page.getByRole('heading', { level: 1, name: 'Measurement' }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Analyses' });

  for (const [label, path] of runnable) {
    await tabs.getByRole('link', { name: label, exact: true }).click();
    await page.waitForURL(`**/measurement/${path}`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = page.locator('main canvas, main table').first();
    await result.waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('alert').count(), 0, `${label}: no error`);
    await page.screenshot({ path: join(artifacts, `measurement-${path}.png`) }); // the viewport: a full-page capture resizes the charts mid-draw
  }

  // The report views load what the demo has (its journeys and stages).
  await tabs.getByRole('link', { name: 'Stages', exact: true }).click();
  await page.waitForURL('**/measurement/stages');
  await page.locator('main table, main canvas, main .empty').first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(artifacts, 'measurement-stages.png'), fullPage: true });
  await tabs.getByRole('link', { name: 'Experiments & journeys', exact: true }).click();
  await page.waitForURL('**/measurement/experiments');
  await page.screenshot({ path: join(artifacts, 'measurement-experiments.png'), fullPage: true });

  assert.deepEqual(problems, []);
  await page.close();
});

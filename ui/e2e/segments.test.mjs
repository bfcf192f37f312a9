// The segment builder in headless Chromium on the demo data: build a
// segment, watch its size estimate while editing, save it and see its size
// once it is computed over the stored history.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 300 });

test('build a segment and see its size', { skip: env.missing || false, timeout: 180_000 }, async () => {
  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signIn(page, env.server.url, '/segments/new');
  await page.getByRole('heading', { name: 'New segment' }).waitFor();

  // The default new condition: performed "Order Completed" within 30 days, widened to 2 years.
  await page.getByRole('button', { name: 'Add condition' }).click();
  const text = page.getByLabel('Definition as text');
  await page.waitForFunction((el) => el && /performed "Order Completed"/.test(el.textContent), await text.elementHandle());
  await page.getByText(/≈ \d/).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'segment-builder.png'), fullPage: true });

  await page.getByLabel('Name', { exact: true }).fill('Buyers (e2e)');
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.getByRole('heading', { name: 'Buyers (e2e)' }).waitFor();

  // Computed over the stored history: the page shows the size the API has.
  const list = (await env.server.api('GET', '/v1/segments')).json;
  const seg = list.segments.find((s) => s.name === 'Buyers (e2e)');
  assert.ok(seg, 'the segment is saved');
  const deadline = Date.now() + 60_000;
  let detail;
  for (;;) {
    detail = (await env.server.api('GET', `/v1/segments/${seg.id}`)).json;
    if (detail.status === 'live' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(detail.status, 'live');
  await page.reload();
  await page.getByRole('heading', { name: 'Buyers (e2e)' }).waitFor();
  await page.getByText(detail.size.toLocaleString('en-US')).first().waitFor();
  await page.screenshot({ path: join(artifacts, 'segment-page.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

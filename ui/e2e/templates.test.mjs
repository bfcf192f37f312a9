// The template editor in headless Chromium on the demo data: open the
// welcome email and preview it rendered for a real customer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adminToken, artifacts, browserMissing, launchBrowser, startServer } from './harness.mjs';

const missing = browserMissing();
if (missing && process.env.CAIRN_REQUIRE_BROWSER === '1') {
  throw new Error(`CAIRN_REQUIRE_BROWSER=1 but ${missing}`);
}

let server;
let browser;

before(async () => {
  if (missing) return;
  server = await startServer({ customers: 100 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('preview the welcome email for a demo customer', { skip: missing || false, timeout: 120_000 }, async () => {
  // A customer with an email and a first name.
  const list = (await server.api('GET', '/v1/profiles?limit=100')).json;
  const customer = list.profiles.find((p) => p.email && p.name);
  assert.ok(customer, 'a demo customer with a name and an email');

  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.url}/templates`);
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('region', { name: 'Template list' }).or(page.getByRole('table')).first().waitFor();
  await page.goto(`${server.url}/templates/welcome`);
  await page.getByLabel('Profile', { exact: true }).fill(`email:${customer.email}`);
  const frame = page.frameLocator('iframe.tpl-frame').first();
  await frame.locator('body').waitFor({ timeout: 30_000 });
  const first = customer.name.split(' ')[0];
  await frame.getByText(first).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'template-preview.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

// The template editor in headless Chromium on the demo data: open the
// welcome email, preview it rendered for a real customer, and send it to
// them as a test (the demo's email channel captures sends).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, signIn, withServer } from './harness.mjs';

const env = withServer({ customers: 100 });

test('preview the welcome email for a demo customer', { skip: env.missing || false, timeout: 120_000 }, async () => {
  // A customer with an email and a first name.
  const list = (await env.server.api('GET', '/v1/profiles?limit=100')).json;
  const customer = list.profiles.find((p) => p.email && p.name);
  assert.ok(customer, 'a demo customer with a name and an email');

  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await signIn(page, env.server.url, '/templates');
  await page.getByRole('region', { name: 'Template list' }).or(page.getByRole('table')).first().waitFor();
  await page.goto(`${env.server.url}/templates/welcome`);
  await page.getByLabel('Profile', { exact: true }).fill(`email:${customer.email}`);
  const frame = page.frameLocator('iframe.tpl-frame').first();
  await frame.locator('body').waitFor({ timeout: 30_000 });
  const first = customer.name.split(' ')[0];
  await frame.getByText(first).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'template-preview.png'), fullPage: true });

  await page.getByRole('button', { name: 'Send test' }).click();
  await page.getByRole('status').filter({ hasText: 'Queued' }).waitFor({ timeout: 30_000 });
  const ref = encodeURIComponent(`email:${customer.email}`);
  const deadline = Date.now() + 30_000;
  let sent;
  while (!sent && Date.now() < deadline) {
    const msgs = (await env.server.api('GET', `/v1/profiles/${ref}/messages`)).json?.messages ?? [];
    sent = msgs.find((m) => m.template_id === 'welcome' && m.status === 'sent');
    if (!sent) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(sent, 'the test send reached the customer');
  assert.deepEqual(problems, []);
  await page.close();
});

// End-to-end tests of the console in headless Chromium against a real
// `cairn serve --demo` (500 customers). Run: make test-console.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { adminToken, artifacts, withServer } from './harness.mjs';

const env = withServer();

// watch collects what must never happen on a page: script errors and CSP
// violations.
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return problems;
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

test('sign in, the overview, a profile 360° view, sign out', { skip: env.missing || false, timeout: 120_000 }, async () => {
  const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watch(page);
  await page.goto(`${env.server.url}/`);

  // A wrong token is refused next to the field; the right one signs in.
  await page.getByLabel('Admin token').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await assert.doesNotReject(page.getByRole('alert').waitFor());
  assert.match(await page.getByRole('alert').innerText(), /admin token/i);
  await shot(page, 'sign-in');
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

  // The overview shows the demo's numbers, as the API has them.
  const stats = (await env.server.api('GET', '/v1/stats')).json;
  assert.ok(stats.profiles > 400, `the demo has profiles (${stats.profiles})`);
  const profiles = page.locator('dt', { hasText: /^Profiles$/ }).locator('xpath=following-sibling::dd[1]');
  await page.waitForFunction((el) => el && /\d/.test(el.textContent), await profiles.elementHandle());
  assert.equal((await profiles.innerText()).replace(/\D/g, ''), String(stats.profiles));
  await shot(page, 'overview');

  // Find a demo customer by email and open the 360° view.
  const list = (await env.server.api('GET', '/v1/profiles?limit=50')).json;
  let email;
  let phone;
  let id;
  for (const p of list.profiles) {
    const full = (await env.server.api('GET', `/v1/profiles/${p.id}`)).json;
    const e = full.identities.find((i) => i.type === 'email');
    const ph = full.identities.find((i) => i.type === 'phone');
    if (e && ph && full.event_count > 5) {
      email = e.value;
      phone = ph.value;
      id = full.id;
      break;
    }
  }
  assert.ok(email, 'a demo profile with an email');
  await page.getByRole('link', { name: 'Profiles' }).click();
  await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor();
  await page.getByLabel('Find a profile').fill(email);
  await page.getByLabel('Find a profile').press('Enter');
  await page.waitForURL(`**/profiles/${id}`);
  const identities = page.getByRole('region', { name: 'Identities' });
  await identities.getByText(email).first().waitFor();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await timeline.locator('tbody tr').first().waitFor();
  assert.ok((await timeline.locator('tbody tr').count()) > 0, 'the timeline lists events');
  await shot(page, 'profile');

  await page.getByRole('region', { name: 'Messages' }).waitFor();
  await page.getByRole('region', { name: 'Privacy' }).getByRole('button', { name: 'Export as JSON' }).waitFor();

  // The service desk finds the same customer by phone.
  await page.getByRole('link', { name: 'Service desk' }).click();
  await page.getByLabel('Caller’s phone or email').fill(phone);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('region', { name: 'Recent orders' }).waitFor();
  await page.getByRole('link', { name: 'Open the full 360° profile' }).waitFor();
  await shot(page, 'service-desk');
  await page.goto(`${env.server.url}/profiles/${id}`);

  // The session survives a reload; signing out ends it.
  await page.reload();
  await page.getByRole('region', { name: 'Identities' }).waitFor();
  await page.getByRole('button', { name: /sign out/i }).click();
  await page.getByLabel('Admin token').waitFor();
  const res = await page.request.get(`${env.server.url}/v1/stats`);
  assert.equal(res.status(), 401, 'signed out: the cookie no longer opens the API');

  assert.deepEqual(problems, []);
  await page.close();
});

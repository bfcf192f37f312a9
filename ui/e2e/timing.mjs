// How long each console view takes to render, measured in headless Chromium
// against a running server (not a test: BENCHMARKS.md quotes its output).
//
//   node e2e/timing.mjs http://127.0.0.1:4280 "$(cat cairn-data/admin.token)"
//
// Each view is opened from the sidebar (a client-side navigation, as a user
// does) and timed until its main area has no loading state left: no busy
// panel, no "Loading…" or running analysis. Three rounds; the median is shown.
import { chromium } from 'playwright-core';

const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: node e2e/timing.mjs URL ADMIN_TOKEN');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CAIRN_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
await page.goto(`${url}/`);
await page.getByLabel('Admin token').fill(token);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

const ready = () =>
  page.waitForFunction(
    () => {
      const main = document.querySelector('main');
      if (!main || !main.querySelector('h1')) return false;
      if (main.querySelector('[aria-busy="true"]')) return false;
      const busy = /Loading|Running|Starting the analysis|Reading profiles/;
      return ![...main.querySelectorAll('[role=status], button')].some((e) => busy.test(e.textContent ?? ''));
    },
    null,
    { timeout: 60_000, polling: 'raf' },
  );

async function timeNav(label, open) {
  const t0 = performance.now();
  await open();
  await ready();
  return performance.now() - t0;
}

const nav = (name) => () => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
const views = [
  ['Overview', nav('Overview')],
  ['Profiles', nav('Profiles')],
  ['Profile 360°', async () => {
    await nav('Profiles')();
    await ready();
    await page.locator('main table tbody a').first().click();
  }],
  ['Service desk', nav('Service desk')],
  ['Sources', nav('Sources')],
  ['Segments', nav('Segments')],
  ['Journeys', nav('Journeys')],
  ['Journey canvas', async () => {
    await nav('Journeys')();
    await ready();
    await page.locator('main table tbody a').first().click();
  }],
  ['Templates', nav('Templates')],
  ['Measurement', nav('Measurement')],
  ['Journey map', nav('Journey map')],
];

const rows = [];
for (const [label, open] of views) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(`${url}/`); // start each run from the overview, loaded
    await ready();
    runs.push(await timeNav(label, open));
  }
  runs.sort((a, b) => a - b);
  rows.push([label, runs[1]]);
}
await browser.close();
for (const [label, ms] of rows) console.log(`${label.padEnd(16)} ${Math.round(ms)} ms`);

// The end-to-end harness: a real `cairn serve` on a small NTO demo data set
// and a real headless Chromium (Debian's package) driven by playwright-core.
// Run by `make test-console` (the README's `make test` includes it).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const adminToken = 'e2e-console-token-7c41';

// The browser: CAIRN_CHROMIUM, else Debian's /usr/bin/chromium.
export const chromiumPath = process.env.CAIRN_CHROMIUM || '/usr/bin/chromium';

// artifacts is where screenshots go (ignored by git).
export const artifacts = join(import.meta.dirname, 'artifacts');

// startServer runs the binary in CAIRN_BIN on a fresh data folder with
// `--demo` (CAIRN_E2E_CUSTOMERS customers, default 500) and resolves once
// /readyz answers 200.
export async function startServer({ customers = Number(process.env.CAIRN_E2E_CUSTOMERS || 500), extra = [] } = {}) {
  const bin = process.env.CAIRN_BIN;
  if (!bin || !existsSync(bin)) throw new Error(`set CAIRN_BIN to a built cairn binary (got ${bin})`);
  const dir = mkdtempSync(join(tmpdir(), 'cairn-console-'));
  const args = ['serve', '--data', dir, '--addr', '127.0.0.1:0', '--demo', '--demo-customers', String(customers), ...extra];
  const proc = spawn(bin, args, { env: { ...process.env, CAIRN_ADMIN_TOKEN: adminToken }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cairn serve did not log its address within 60 s:\n${log}`)), 60_000);
    const onData = (b) => {
      log += b.toString();
      const m = log.match(/msg=listening url=(http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`cairn serve exited (${code}):\n${log}`)); });
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) throw new Error(`cairn serve not ready within 120 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log: () => log,
    async api(method, path, body) {
      const res = await fetch(url + path, {
        method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// launchBrowser starts headless Chromium with the flags this machine's
// closed network needs (no background connections, no first-run setup).
export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// browserMissing says why the browser tests cannot run here, or ''.
export function browserMissing() {
  return existsSync(chromiumPath) ? '' : `no Chromium at ${chromiumPath} (apt-get install chromium, or set CAIRN_CHROMIUM)`;
}

// withServer registers the test file's server and browser: started before
// its tests, stopped after them. When Chromium is missing the tests skip
// (env.missing says why), unless CAIRN_REQUIRE_BROWSER=1 makes that fail.
export function withServer(opts = {}) {
  const env = { missing: browserMissing(), server: undefined, browser: undefined };
  if (env.missing && process.env.CAIRN_REQUIRE_BROWSER === '1') {
    throw new Error(`CAIRN_REQUIRE_BROWSER=1 but ${env.missing}`);
  }
  before(async () => {
    if (env.missing) return;
    env.server = await startServer(opts);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

// signIn opens path on the server and signs in with the admin token.
export async function signIn(page, url, path = '/') {
  await page.goto(`${url}${path}`);
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

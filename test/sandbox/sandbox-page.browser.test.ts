import { existsSync } from 'node:fs';

import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type SandboxHandle, startSandbox } from '../../connectors/platform/sandbox/index.js';
import { ALL_INTERFACES, type TestKeys, goodsRecord, inboundRecord, loadDefaultProfile, makeKeys, submit, warehouseRecord } from './sandbox-harness.js';

/**
 * Opens the sandbox page in headless Chromium from Debian's `chromium`
 * package. Without the browser the file skips with one line, except under
 * CI=true, where a missing browser fails the run.
 */

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing; install it with: apt-get update && apt-get install -y chromium`);
}
if (!hasChromium) process.stderr.write(`sandbox page browser test skipped: ${CHROMIUM} not found (apt-get install -y chromium)\n`);

const profile = loadDefaultProfile();
let sandbox: SandboxHandle;
let keys: TestKeys;
let browser: Browser;

describe.skipIf(!hasChromium)('sandbox page in Chromium', () => {
  beforeAll(async () => {
    keys = makeKeys(profile);
    sandbox = await startSandbox({
      profile,
      senders: [{ senderId: 'ENT-PAGE', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
    });

    const send = (kind: string, records: unknown[]) =>
      submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-PAGE', kind, records });
    // The name carries markup to check that the page escapes it.
    expect((await send('warehouse', [warehouseRecord('US-DEMO-01', { warehouseName: '<b>演示仓</b> Demo' })])).status).toBe(200);
    expect((await send('goods', [goodsRecord('SKU-P1'), goodsRecord('SKU-P2'), goodsRecord('SKU-P3')])).status).toBe(200);
    expect((await send('inbound', [inboundRecord('IN-P1', 'US-DEMO-01'), inboundRecord('IN-P2', 'US-DEMO-01')])).status).toBe(200);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    keys?.cleanup();
  });

  it('shows the warehouse card and counts', async () => {
    const page = await browser.newPage();
    await page.goto(`${sandbox.url}/`);

    const card = page.locator('article.card[data-warehouse="US-DEMO-01"]');
    await card.waitFor({ state: 'visible' });
    expect(await card.locator('h3').innerText()).toBe('<b>演示仓</b> Demo');
    expect(await card.locator('dd.code').innerText()).toBe('US-DEMO-01');
    expect(await card.innerText()).toContain('Los Angeles');
    expect(await card.innerText()).toContain('12000.00 m²');
    expect(await card.locator('li[data-kind="goods"] .count').innerText()).toBe('3');
    expect(await card.locator('li[data-kind="inbound"] .count').innerText()).toBe('2');
    expect(await card.locator('li[data-kind="outbound"] .count').innerText()).toBe('0');
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.close();
  });

  it('shows English alone with lang=en', async () => {
    const page = await browser.newPage();
    await page.goto(`${sandbox.url}/?lang=en`);

    expect(await page.locator('h1').innerText()).toBe('Overseas warehouses (local sandbox)');
    expect(await page.locator('article.card').first().innerText()).toContain('operating');
    await page.close();
  });
});

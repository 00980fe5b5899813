import { randomUUID } from 'node:crypto';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { OwhError } from '../../config/errors.js';
import { type SandboxHandle, parseFaultSpec, startSandbox } from '../../connectors/platform/sandbox/index.js';
import { ALL_INTERFACES, type TestKeys, getJson, goodsRecord, loadDefaultProfile, makeKeys, submit } from './sandbox-harness.js';

const profile = loadDefaultProfile();
const codes = profile.response.codesByClass;
let sandbox: SandboxHandle;
let keys: TestKeys;

// Share-triggered faults draw from this list in turn, so the tests know which requests fail.
let randomValues: number[] = [];
const nextRandom = () => randomValues.shift() ?? 0.99;

beforeAll(async () => {
  keys = makeKeys(profile);
  sandbox = await startSandbox({
    profile,
    senders: [{ senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
    random: nextRandom,
  });
});

afterEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
  randomValues = [];
});

afterAll(async () => {
  await sandbox?.close();
  keys?.cleanup();
});

async function setFaults(body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

const send = (sku: string, extra: { messageId?: string; timeoutMs?: number } = {}) =>
  submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records: [goodsRecord(sku)], ...extra });

describe('fault spec grammar', () => {
  it('parses the documented example', () => {
    const spec = parseFaultSpec('503:0.2,429:retry-after=2,slow:3000,drop:0.05,reject:SKU-1');

    expect(spec.rules).toEqual([
      { type: 'status', status: 503, share: 0.2 },
      { type: 'status', status: 429, retryAfterSeconds: 2 },
      { type: 'slow', delayMs: 3000 },
      { type: 'drop', share: 0.05 },
      { type: 'rejectKeys', keys: ['SKU-1'], code: undefined, message: undefined, field: undefined },
    ]);
  });

  it('parses counts, forms and scripts', () => {
    const spec = parseFaultSpec('500:3, 429:1:retry-after=60:form=date, store-fail:drop:answer=lost:1, seq:503/drop/200, not-opened:OW03');
    expect(spec.rules[0]).toEqual({ type: 'status', status: 500, count: 3 });
    expect(spec.rules[1]).toEqual({ type: 'status', status: 429, count: 1, retryAfterSeconds: 60, retryAfterForm: 'date' });
    expect(spec.rules[2]).toEqual({ type: 'storeThenFail', then: 'drop', forgetAnswer: true, count: 1 });
    expect(spec.rules[3]).toEqual({ type: 'sequence', steps: [503, 'drop', 200] });
    expect(spec.rules[4]).toEqual({ type: 'interfaceNotOpened', interfaceId: 'OW03' });
  });

  it('parses a percent share', () => {
    expect(parseFaultSpec('drop:20%').rules[0]).toEqual({ type: 'drop', share: 0.2 });
  });

  it.each(['404', '503:1.5', 'slow', 'slow:abc', 'store-fail:404', 'seq:503/abc', 'teapot', '429:retry-after=soon', '503:when=now'])(
    'rejects the bad spec %s',
    (text) => {
      let caught: unknown;
      try {
        parseFaultSpec(text);
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(OwhError);
      const error = caught as OwhError;
      expect(error.text.en).toContain('invalid fault spec');
      expect(error.text['zh-CN']).toContain('故障描述无效');
    },
  );
});

describe('sandbox injected faults', () => {
  it('answers 500 for a share of requests', async () => {
    await setFaults({ spec: '500:0.5' });
    randomValues = [0.1, 0.9];

    const first = await send('SKU-F500-1');
    const second = await send('SKU-F500-2');

    expect(first.status).toBe(500);
    expect(first.json.code).toBe(codes.SERVER_ERROR);
    expect(second.status).toBe(200);
    expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-F500-1`)).status).toBe(404);
  });

  it('answers 503 a counted number of times', async () => {
    await setFaults({ spec: '503:2' });

    const statuses = [(await send('SKU-F503-1')).status, (await send('SKU-F503-2')).status, (await send('SKU-F503-3')).status];
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('sends Retry-After in seconds', async () => {
    await setFaults({ spec: '429:1:retry-after=30' });
    const result = await send('SKU-RA-1');

    expect(result.status).toBe(429);
    expect(result.json.code).toBe(codes.RATE_LIMITED);
    expect(result.headers.get('retry-after')).toBe('30');
  });

  it('sends Retry-After as an HTTP-date', async () => {
    await setFaults({ spec: '429:1:retry-after=60:form=date' });
    const result = await send('SKU-RA-2');

    expect(result.status).toBe(429);
    const retryAt = Date.parse(result.headers.get('retry-after') ?? '');
    const sentAt = Date.parse(result.headers.get('date') ?? '');
    expect(Number.isNaN(retryAt)).toBe(false);
    expect(retryAt - sentAt).toBe(60_000);
  });

  it('delays past a client timeout', async () => {
    await setFaults({ spec: 'slow:1500:1' });
    const messageId = randomUUID().toUpperCase();

    await expect(send('SKU-SLOW-1', { messageId, timeoutMs: 300 })).rejects.toThrow();
    // The sandbox skips a message whose client left during the delay, and logs the request once the delay ends.
    await waitFor(async () => ((await getJson(`${sandbox.url}/_sandbox/stats`)).json.requestsByOutcome.client_gone ?? 0) >= 1);
    expect((await getJson(`${sandbox.url}/_sandbox/messages/${messageId}`)).status).toBe(404);

    const retry = await send('SKU-SLOW-1', { messageId });
    expect(retry.status).toBe(200);
  });

  it('drops the connection', async () => {
    await setFaults({ spec: 'drop:1' });

    await expect(send('SKU-DROP-1')).rejects.toThrow();
    expect((await send('SKU-DROP-2')).status).toBe(200);
  });

  it('follows a sequence script', async () => {
    await setFaults({ rules: [{ type: 'sequence', steps: [503, 503, 200] }] });
    const messageId = randomUUID().toUpperCase();

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await send('SKU-SEQ-1', { messageId })).status);

    expect(statuses).toEqual([503, 503, 200]);
    const record = (await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-SEQ-1`)).json;
    expect(record.version).toBe(1);
  });

  it('stores then answers 500', async () => {
    await setFaults({ spec: 'store-fail:500:1' });
    const messageId = randomUUID().toUpperCase();

    const first = await send('SKU-SF-1', { messageId });
    expect(first.status).toBe(500);
    expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-SF-1`)).status).toBe(200);

    const resend = await send('SKU-SF-1', { messageId });
    const stored = (await getJson(`${sandbox.url}/_sandbox/messages/${messageId}`)).json;
    expect(resend.status).toBe(200);
    expect(resend.json).toEqual(stored.answer);

    const record = (await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-SF-1`)).json;
    expect(record.version).toBe(1);
    expect(record.messageIds).toEqual([messageId]);
  });

  it('stores then drops with the answer lost', async () => {
    await setFaults({ spec: 'store-fail:drop:answer=lost:1' });
    const messageId = randomUUID().toUpperCase();

    await expect(send('SKU-SF-2', { messageId })).rejects.toThrow();
    const resend = await send('SKU-SF-2', { messageId });

    expect(resend.status).toBe(409);
    expect(resend.json.code).toBe(codes.DUPLICATE_MESSAGE);
    expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-SF-2`)).json.version).toBe(1);
  });

  it('rejects chosen record keys', async () => {
    await setFaults({ spec: 'reject:SKU-RJ-1:code=E901:message=blocked by test' });
    const result = await submit({
      url: sandbox.url,
      profile,
      signer: keys.signer,
      senderId: 'ENT-A',
      kind: 'goods',
      records: [goodsRecord('SKU-RJ-1'), goodsRecord('SKU-RJ-2')],
    });

    expect(result.status).toBe(200);
    const errors = (result.json.data as any).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0].errorCode).toBe('E901');
    expect(errors[0].errorMsg).toBe('blocked by test');
    expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-RJ-2`)).status).toBe(200);
  });

  it('closes an interface', async () => {
    await setFaults({ spec: 'not-opened:OW02' });
    const result = await send('SKU-CLOSED-1');

    expect(result.status).toBe(403);
    expect(result.json.code).toBe(codes.INTERFACE_NOT_OPENED);
  });

  it.each([
    [400, 'VALIDATION'],
    [401, 'AUTH_SIGNATURE'],
    [409, 'DUPLICATE_MESSAGE'],
    [413, 'VALIDATION'],
  ] as const)('answers %i on demand', async (status, errorClass) => {
    await setFaults({ spec: `${status}:1` });
    const result = await send(`SKU-DEMAND-${status}`);

    expect(result.status).toBe(status);
    expect(result.json.code).toBe(codes[errorClass]);
  });
});

describe('sandbox fault control endpoint', () => {
  it('shows, appends and clears faults', async () => {
    const set = await setFaults({ spec: '503:0.2' });
    expect(set.status).toBe(200);
    expect(set.json.rules).toHaveLength(1);

    const appended = await setFaults({ rules: [{ type: 'drop', count: 1 }], append: true });
    expect(appended.json.rules).toHaveLength(2);

    const active = await getJson(`${sandbox.url}/_sandbox/faults`);
    expect(active.json.rules[1].rule).toEqual({ type: 'drop', count: 1 });
    expect(active.json.rules[1].remaining).toBe(1);

    const cleared = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    expect((await cleared.json()).rules).toEqual([]);
  });

  it('rejects an invalid fault request', async () => {
    const bad = await setFaults({ spec: 'teapot' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('teapot');
    expect(bad.json.errorZh).toContain('故障描述无效');

    const badRule = await setFaults({ rules: [{ type: 'status', status: 418 }] });
    expect(badRule.status).toBe(400);

    const notJson = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('applies startup faults from a string', async () => {
    const faulty = await startSandbox({
      profile,
      senders: [{ senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
      faults: '503:1',
    });
    try {
      const result = await submit({ url: faulty.url, profile, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records: [goodsRecord('SKU-START')] });
      expect(result.status).toBe(503);
      expect(faulty.faults.snapshot().rules[0].fired).toBe(1);
    } finally {
      await faulty.close();
    }
  });
});

/** Polls an async condition every 50 ms for at most 10 s. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

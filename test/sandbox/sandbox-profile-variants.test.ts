import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Profile } from '../../connectors/platform/profile-schema.js';
import { readAnswer } from '../../connectors/platform/response-reader.js';
import { type SandboxHandle, startSandbox } from '../../connectors/platform/sandbox/index.js';
import { ALL_INTERFACES, type TestKeys, getJson, goodsRecord, loadDefaultProfile, makeKeys, submit } from './sandbox-harness.js';

let keys: TestKeys;

beforeAll(() => {
  keys = makeKeys(loadDefaultProfile());
});

afterAll(() => keys?.cleanup());

// The sandbox's clock runs this far ahead of the real one, so a test can let receipts become final without sleeping.
let clockOffsetMs = 0;

async function withSandbox(profile: Profile, run: (sandbox: SandboxHandle) => Promise<void>): Promise<void> {
  clockOffsetMs = 0;
  const sandbox = await startSandbox({
    profile,
    senders: [{ senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
    receiptDelayMs: 5_000,
    clock: () => new Date(Date.now() + clockOffsetMs),
  });
  try {
    await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

describe('sandbox receipt polling', () => {
  const profile = loadDefaultProfile();
  profile.receipts.mode = 'poll';
  const statusOf = (meaning: string) => Object.entries(profile.receipts.statusMap).find(([, value]) => value === meaning)?.[0];

  it('answers received, then final receipts', async () => {
    await withSandbox(profile, async (sandbox) => {
      const records = [goodsRecord('SKU-POLL-1'), goodsRecord('SKU-POLL-2', { hsCode: 'abc' })];
      const result = await submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records });

      expect(result.status).toBe(200);
      const answer = readAnswer(profile, result.json);
      expect(answer.success).toBe(true);
      expect(answer.recordErrors).toEqual([]);

      const query = `${sandbox.url}${profile.receipts.queryPath}?${profile.receipts.messageIdParam}=${result.messageId}`;
      const early = (await getJson(query)).json.data;
      expect(early[profile.receipts.statusField]).toBe(statusOf('processing'));
      expect(early[profile.receipts.recordsPath]).toHaveLength(2);
      expect(early[profile.receipts.recordsPath][0][profile.receipts.statusField]).toBe(statusOf('processing'));

      clockOffsetMs = 6_000;
      const final = (await getJson(query)).json.data;
      const byKey = new Map<string, Record<string, string>>(
        final[profile.receipts.recordsPath].map((record: Record<string, string>) => [record[profile.receipts.recordKeyField], record]),
      );
      expect(final[profile.receipts.statusField]).toBe(statusOf('accepted'));
      expect(byKey.get('SKU-POLL-1')?.[profile.receipts.statusField]).toBe(statusOf('accepted'));
      expect(byKey.get('SKU-POLL-2')?.[profile.receipts.statusField]).toBe(statusOf('rejected'));
      expect(byKey.get('SKU-POLL-2')?.[profile.receipts.infoField]).toContain('hsCode');
      expect(final[profile.receipts.timeField]).toMatch(/^\d{14}$/);
    });
  });

  it('answers 404 for an unknown messageId', async () => {
    await withSandbox(profile, async (sandbox) => {
      const query = `${sandbox.url}${profile.receipts.queryPath}?${profile.receipts.messageIdParam}=NO-SUCH-ID`;
      const { status, json } = await getJson(query);

      expect(status).toBe(404);
      expect(json.code).toBe(profile.response.codesByClass.VALIDATION);
    });
  });
});

describe('sandbox profile variants', () => {
  it('round-trips renamed envelope fields', async () => {
    const profile = loadDefaultProfile();
    profile.envelope.fieldNames.senderId = 'appId';
    profile.envelope.fieldNames.data = 'bizContent';
    profile.response.codeField = 'retCode';
    profile.response.recordErrorsPath = 'details.failures';

    await withSandbox(profile, async (sandbox) => {
      const records = [goodsRecord('SKU-RENAME-1'), goodsRecord('SKU-RENAME-2', { unit: 'XYZ' })];
      const result = await submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records });

      expect(JSON.parse(result.body)).toHaveProperty('appId', 'ENT-A');
      expect(result.status).toBe(200);
      expect(result.json).toHaveProperty('retCode', profile.response.successCodes[0]);
      const answer = readAnswer(profile, result.json);
      expect(answer.success).toBe(true);
      expect(answer.recordErrors).toHaveLength(1);
      expect(answer.recordErrors[0].key).toBe('SKU-RENAME-2');
    });
  });

  it('rejects the old field names after a rename', async () => {
    const renamed = loadDefaultProfile();
    renamed.envelope.fieldNames.senderId = 'appId';

    await withSandbox(renamed, async (sandbox) => {
      const original = loadDefaultProfile();
      const result = await submit({ url: sandbox.url, profile: original, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records: [goodsRecord('SKU-OLD')] });

      expect(result.status).toBe(400);
      expect(result.json.code).toBe(original.response.codesByClass.VALIDATION);
    });
  });

  it('routes per interface path', async () => {
    const profile = loadDefaultProfile();
    profile.transport.routing = 'perInterface';
    const goodsPath = profile.transport.interfacePaths.OW02;

    await withSandbox(profile, async (sandbox) => {
      const send = (path: string) =>
        submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records: [goodsRecord('SKU-ROUTE')], path });

      expect((await send(goodsPath)).status).toBe(200);
      expect((await send(profile.transport.interfacePaths.OW03)).status).toBe(400);
      expect((await send(profile.transport.gatewayPath)).status).toBe(404);
    });
  });

  it('accepts data sent as base64', async () => {
    const profile = loadDefaultProfile();
    profile.envelope.dataEncoding = 'base64';

    await withSandbox(profile, async (sandbox) => {
      const result = await submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records: [goodsRecord('SKU-B64')] });

      expect(result.status).toBe(200);
      expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-B64`)).status).toBe(200);
    });
  });
});

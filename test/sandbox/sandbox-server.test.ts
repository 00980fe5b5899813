import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAnswer } from '../../connectors/platform/response-reader.js';
import { type SandboxEvent, type SandboxHandle, startSandbox } from '../../connectors/platform/sandbox/index.js';
import {
  ALL_INTERFACES,
  type TestKeys,
  getJson,
  goodsRecord,
  inboundRecord,
  loadDefaultProfile,
  makeKeys,
  submit,
  warehouseRecord,
} from './sandbox-harness.js';

const profile = loadDefaultProfile();
const codes = profile.response.codesByClass;
let sandbox: SandboxHandle;
let keys: TestKeys;
let otherKeys: TestKeys;
const events: SandboxEvent[] = [];

beforeAll(async () => {
  keys = makeKeys(profile);
  otherKeys = makeKeys(profile);
  sandbox = await startSandbox({
    profile,
    port: 0,
    senders: [
      { senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES },
      { senderId: 'ENT-B', publicKey: otherKeys.publicKeyFile, algorithm: 'SM2', interfaces: ['OW01'] },
    ],
    logger: (event) => events.push(event),
  });
});

afterAll(async () => {
  await sandbox?.close();
  keys?.cleanup();
  otherKeys?.cleanup();
});

const send = (args: Partial<Parameters<typeof submit>[0]> & { kind: string; records: unknown[] }) =>
  submit({ url: sandbox.url, profile, signer: keys.signer, senderId: 'ENT-A', ...args });

describe('sandbox message checks', () => {
  it('stores an accepted message', async () => {
    const result = await send({ kind: 'warehouse', records: [warehouseRecord('WH-ACC')] });

    expect(result.status).toBe(200);
    const answer = readAnswer(profile, result.json);
    expect(answer.success).toBe(true);
    expect(answer.messageId).toBe(result.messageId);
    expect(answer.receiptId).toMatch(/^[0-9A-F-]{36}$/);
    expect(answer.recordErrors).toEqual([]);

    const stored = await getJson(`${sandbox.url}/_sandbox/records/warehouse/WH-ACC`);
    expect(stored.status).toBe(200);
    expect(stored.json.version).toBe(1);
    expect(stored.json.messageIds).toEqual([result.messageId]);
    expect(stored.json.warehouseCode).toBe('WH-ACC');
    expect(stored.json.body.city).toBe('Los Angeles');
  });

  it('rejects a tampered data byte', async () => {
    const result = await send({
      kind: 'warehouse',
      records: [warehouseRecord('WH-TAMPER')],
      tamper: (body) => body.replace('12000.00', '12000.01'),
    });

    expect(result.status).toBe(401);
    expect(result.json.code).toBe(codes.AUTH_SIGNATURE);
    expect(readAnswer(profile, result.json).errorClass).toBe('AUTH_SIGNATURE');
    expect((await getJson(`${sandbox.url}/_sandbox/records/warehouse/WH-TAMPER`)).status).toBe(404);
  });

  it('rejects a signature made with another key', async () => {
    const result = await send({ kind: 'warehouse', records: [warehouseRecord('WH-WRONGKEY')], signer: otherKeys.signer });

    expect(result.status).toBe(401);
    expect(result.json.code).toBe(codes.AUTH_SIGNATURE);
  });

  it('rejects a stale timestamp', async () => {
    const now = new Date(Date.now() - (profile.envelope.timestamp.windowSeconds + 120) * 1000);
    const result = await send({ kind: 'warehouse', records: [warehouseRecord('WH-STALE')], now });

    expect(result.status).toBe(400);
    expect(result.json.code).toBe(codes.TIMESTAMP_OUT_OF_WINDOW);
  });

  it('rejects a timestamp from the future', async () => {
    const now = new Date(Date.now() + (profile.envelope.timestamp.windowSeconds + 120) * 1000);
    const result = await send({ kind: 'warehouse', records: [warehouseRecord('WH-FUTURE')], now });

    expect(result.status).toBe(400);
    expect(result.json.code).toBe(codes.TIMESTAMP_OUT_OF_WINDOW);
  });

  it('rejects an unopened interface', async () => {
    const result = await send({ kind: 'goods', records: [goodsRecord('SKU-CLOSED')], senderId: 'ENT-B', signer: otherKeys.signer });

    expect(result.status).toBe(403);
    expect(result.json.code).toBe(codes.INTERFACE_NOT_OPENED);
    expect(String(result.json.message)).toContain('OW02');
  });

  it('rejects an unknown sender', async () => {
    const result = await send({ kind: 'warehouse', records: [warehouseRecord('WH-UNKNOWN')], senderId: 'ENT-NOBODY' });

    expect(result.status).toBe(401);
    expect(result.json.code).toBe(codes.AUTH_SENDER_UNKNOWN);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(sandbox.url + profile.transport.gatewayPath, { method: 'POST', body: 'not json' });
    const json = await response.json();

    expect(response.status).toBe(400);
    expect(json.code).toBe(codes.VALIDATION);
  });

  it('rejects more records than maxRecords', async () => {
    const records = Array.from({ length: profile.limits.maxRecords + 1 }, (_, i) => goodsRecord(`SKU-MANY-${i}`));
    const result = await send({ kind: 'goods', records });

    expect(result.status).toBe(400);
    expect(result.json.code).toBe(codes.VALIDATION);
    expect((await getJson(`${sandbox.url}/_sandbox/records?kind=goods&key=SKU-MANY-0`)).json.records).toEqual([]);
  });
});

describe('sandbox record validation', () => {
  it('accepts valid records beside invalid ones', async () => {
    const records = [goodsRecord('SKU-OK-1'), goodsRecord('SKU-BAD-1', { goodsName: undefined }), goodsRecord('SKU-OK-2')];
    const result = await send({ kind: 'goods', records });

    expect(result.status).toBe(200);
    const answer = readAnswer(profile, result.json);
    expect(answer.success).toBe(true);
    expect(answer.recordErrors).toHaveLength(1);
    expect(answer.recordErrors[0].index).toBe(1);
    expect(answer.recordErrors[0].key).toBe('SKU-BAD-1');
    expect(answer.recordErrors[0].field).toBe('goodsName');
    expect(answer.recordErrors[0].code).toBe('required');

    const errors = (result.json.data as Record<string, unknown>)[profile.response.recordErrorsPath] as Array<Record<string, unknown>>;
    expect(Object.keys(errors[0]).sort()).toEqual(Object.values(profile.response.recordErrorFields).sort());

    const accepted = (await getJson(`${sandbox.url}/_sandbox/records?kind=goods`)).json.records.map((r: { key: string }) => r.key);
    expect(accepted).toContain('SKU-OK-1');
    expect(accepted).toContain('SKU-OK-2');
    expect(accepted).not.toContain('SKU-BAD-1');

    const message = await getJson(`${sandbox.url}/_sandbox/messages/${result.messageId}`);
    expect(message.json.outcome).toBe('partial');
    expect(message.json.recordsAccepted).toBe(2);
    expect(message.json.rejectedRecords[0].key).toBe('SKU-BAD-1');
  });

  it('rejects a key repeated in one message', async () => {
    const result = await send({ kind: 'goods', records: [goodsRecord('SKU-TWICE'), goodsRecord('SKU-TWICE')] });
    const answer = readAnswer(profile, result.json);

    expect(answer.recordErrors).toHaveLength(1);
    expect(answer.recordErrors[0].index).toBe(1);
    expect(answer.recordErrors[0].code).toBe('duplicate_key_in_message');
  });

  it('rejects an invalid header as a whole', async () => {
    const result = await send({ kind: 'goods', records: [goodsRecord('SKU-HEADER')], appType: '7' });

    expect(result.status).toBe(400);
    expect(result.json.code).toBe(codes.VALIDATION);
    expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-HEADER`)).status).toBe(404);
  });

  it('versions a change and a delete', async () => {
    await send({ kind: 'goods', records: [goodsRecord('SKU-LIFE')] });
    await send({ kind: 'goods', records: [goodsRecord('SKU-LIFE', { goodsName: '新名称' })], appType: profile.payload.appType.change });
    const deleted = await send({ kind: 'goods', records: [{ sku: 'SKU-LIFE' }], appType: profile.payload.appType.delete });

    expect(deleted.status).toBe(200);
    const record = (await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-LIFE`)).json;
    expect(record.version).toBe(3);
    expect(record.op).toBe('delete');
    expect(record.messageIds).toHaveLength(3);
  });
});

describe('sandbox duplicates', () => {
  it('answers a repeated messageId the same and stores once', async () => {
    const messageId = randomUUID().toUpperCase();
    const first = await send({ kind: 'inbound', records: [inboundRecord('IN-DUP-1', 'WH-ACC')], messageId });
    // The resend is signed again with a new timestamp and nonce, as a client's retry would be.
    const second = await send({ kind: 'inbound', records: [inboundRecord('IN-DUP-1', 'WH-ACC')], messageId });

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);

    const record = (await getJson(`${sandbox.url}/_sandbox/records/inbound/IN-DUP-1`)).json;
    expect(record.version).toBe(1);
    expect(record.messageIds).toEqual([messageId]);

    const message = (await getJson(`${sandbox.url}/_sandbox/messages/${messageId}`)).json;
    expect(message.duplicatesSeen).toBe(1);
    const stats = (await getJson(`${sandbox.url}/_sandbox/stats`)).json;
    expect(stats.duplicatesSeen).toBeGreaterThanOrEqual(1);
    expect(stats.requestsByOutcome.duplicate).toBeGreaterThanOrEqual(1);
  });

  it('rejects a reused messageId with other content', async () => {
    const messageId = randomUUID().toUpperCase();
    await send({ kind: 'goods', records: [goodsRecord('SKU-REUSE-1')], messageId });
    const reused = await send({ kind: 'goods', records: [goodsRecord('SKU-REUSE-2')], messageId });

    expect(reused.status).toBe(409);
    expect(reused.json.code).toBe(codes.DUPLICATE_MESSAGE);
    expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-REUSE-2`)).status).toBe(404);
  });
});

describe('sandbox read endpoints', () => {
  it('reports stats per kind and warehouse', async () => {
    await send({ kind: 'inbound', records: [inboundRecord('IN-STATS-1', 'WH-STATS'), inboundRecord('IN-STATS-2', 'WH-STATS')] });
    const stats = (await getJson(`${sandbox.url}/_sandbox/stats`)).json;

    expect(stats.acceptedByWarehouse['WH-STATS']).toEqual({ inbound: 2 });
    expect(stats.acceptedByKind.warehouse).toBeGreaterThanOrEqual(1);
    expect(stats.requestsByOutcome.accepted).toBeGreaterThanOrEqual(1);
    expect(stats.requestsByOutcome.AUTH_SIGNATURE).toBeGreaterThanOrEqual(1);
  });

  it('filters records by kind and key', async () => {
    const { json } = await getJson(`${sandbox.url}/_sandbox/records?kind=inbound&key=IN-STATS-1`);

    expect(json.records).toHaveLength(1);
    expect(json.records[0].warehouseCode).toBe('WH-STATS');
  });

  it('returns 404 for unknown messages and paths', async () => {
    expect((await getJson(`${sandbox.url}/_sandbox/messages/NO-SUCH-ID`)).status).toBe(404);
    expect((await getJson(`${sandbox.url}/_sandbox/nothing`)).status).toBe(404);
    expect((await getJson(`${sandbox.url}/api/elsewhere`)).status).toBe(404);
  });

  it('rejects writes to read-only endpoints', async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/stats`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
  });

  it('logs one event per submission', () => {
    const requests = events.filter((event) => event.event === 'sandbox.request');
    const accepted = requests.find((event) => event.outcome === 'accepted');

    expect(accepted?.senderId).toBe('ENT-A');
    expect(accepted?.messageId).toMatch(/^[0-9A-F-]{36}$/);
    expect(accepted?.interfaceId).toMatch(/^OW0\d$/);
  });
});

describe('sandbox limits', () => {
  it('answers 413 above maxBodyBytes', async () => {
    const small = loadDefaultProfile();
    small.limits.maxBodyBytes = 2000;
    const limited = await startSandbox({
      profile: small,
      senders: [{ senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
    });
    try {
      const records = Array.from({ length: 20 }, (_, i) => goodsRecord(`SKU-BIG-${i}`));
      const result = await submit({ url: limited.url, profile: small, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records });

      expect(result.status).toBe(413);
      expect(result.json.code).toBe(codes.VALIDATION);
    } finally {
      await limited.close();
    }
  });

  it('answers 429 above requestsPerSecond when enforced', async () => {
    const slowPlatform = loadDefaultProfile();
    slowPlatform.limits.requestsPerSecond = 1;
    const limited = await startSandbox({
      profile: slowPlatform,
      senders: [{ senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
      enforceRateLimit: true,
    });
    try {
      // Sent together, so all three arrive within the one-second window whatever the machine's speed.
      const results = await Promise.all(
        [1, 2, 3].map((i) =>
          submit({ url: limited.url, profile: slowPlatform, signer: keys.signer, senderId: 'ENT-A', kind: 'goods', records: [goodsRecord(`SKU-RATE-${i}`)] }),
        ),
      );
      const limitedResults = results.filter((result) => result.status === 429);

      expect(results.filter((result) => result.status === 200)).toHaveLength(1);
      expect(limitedResults).toHaveLength(2);
      expect(limitedResults[0].json.code).toBe(codes.RATE_LIMITED);
      expect(Number(limitedResults[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('refuses a non-loopback host', async () => {
    await expect(startSandbox({ profile, host: '0.0.0.0', senders: [] })).rejects.toThrow(/loopback/);
  });
});

import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildPayloadText } from '../../connectors/platform/payload-builder.js';
import { PlatformClient } from '../../connectors/platform/platform-client.js';
import type { Profile } from '../../connectors/platform/profile-schema.js';
import { type SandboxHandle, startSandbox } from '../../connectors/platform/sandbox/index.js';
import { createLogger } from '../../pipelines/logger.js';
import { FIXTURE_ENTERPRISE } from '../fixtures/platform/valid-records.js';
import { ALL_INTERFACES, type TestKeys, getJson, goodsRecord, loadDefaultProfile, makeKeys } from './sandbox-harness.js';

/**
 * owh-sync's own platform client against the sandbox: retries, resends
 * after store-then-fail and receipt polling must agree on both sides.
 */

let keys: TestKeys;
const logger = createLogger();

beforeAll(() => {
  keys = makeKeys(loadDefaultProfile());
});

afterAll(() => keys?.cleanup());

async function withClient(
  profile: Profile,
  run: (client: PlatformClient, sandbox: SandboxHandle) => Promise<void>,
  receiptDelayMs = 0,
): Promise<void> {
  const sandbox = await startSandbox({
    profile,
    senders: [{ senderId: 'ENT-A', publicKey: keys.publicKeyFile, algorithm: 'SM2', interfaces: ALL_INTERFACES }],
    receiptDelayMs,
  });
  const client = new PlatformClient({
    profile,
    endpoint: sandbox.url,
    senderId: 'ENT-A',
    signer: keys.signer,
    timeoutMs: 5_000,
    requestsPerSecond: 0,
    retry: { retries: 4, minDelayMs: 10, maxDelayMs: 50, maxWaitMs: 5_000 },
    logger,
  });
  try {
    await run(client, sandbox);
  } finally {
    await sandbox.close();
  }
}

function goodsRequest(profile: Profile, skus: string[]) {
  const records = skus.map((sku) => goodsRecord(sku));
  return { messageId: randomUUID().toUpperCase(), kind: 'goods', payloadText: buildPayloadText(profile, FIXTURE_ENTERPRISE, 'add', records) };
}

describe('platform client against the sandbox', () => {
  const profile = loadDefaultProfile();

  it('retries through a 503 script', async () => {
    await withClient(profile, async (client, sandbox) => {
      sandbox.faults.set({ rules: [{ type: 'sequence', steps: [503, 503, 200] }] });
      const result = await client.send(goodsRequest(profile, ['SKU-I-1']));

      expect(result.outcome).toBe('accepted');
      expect(result.attempts).toBe(3);
      expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-I-1`)).json.version).toBe(1);
    });
  });

  it('resends after store-then-500 once', async () => {
    await withClient(profile, async (client, sandbox) => {
      sandbox.faults.set({ rules: [{ type: 'storeThenFail', then: 500, count: 1 }] });
      const result = await client.send(goodsRequest(profile, ['SKU-I-2']));

      expect(result.outcome).toBe('accepted');
      expect(result.attempts).toBe(2);
      const record = (await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-I-2`)).json;
      expect(record.version).toBe(1);
      expect(record.messageIds).toHaveLength(1);
    });
  });

  it('sees a lost answer as duplicate', async () => {
    await withClient(profile, async (client, sandbox) => {
      sandbox.faults.set({ rules: [{ type: 'storeThenFail', then: 'drop', forgetAnswer: true, count: 1 }] });
      const result = await client.send(goodsRequest(profile, ['SKU-I-3']));

      expect(result.outcome).toBe('duplicate');
      expect((await getJson(`${sandbox.url}/_sandbox/records/goods/SKU-I-3`)).json.version).toBe(1);
    });
  });

  it('waits for Retry-After on 429', async () => {
    await withClient(profile, async (client, sandbox) => {
      sandbox.faults.set({ rules: [{ type: 'status', status: 429, count: 1, retryAfterSeconds: 1 }] });
      const started = Date.now();
      const result = await client.send(goodsRequest(profile, ['SKU-I-4']));

      expect(result.outcome).toBe('accepted');
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });
  });
});

describe('platform client receipts from the sandbox', () => {
  const profile = loadDefaultProfile();
  profile.receipts.mode = 'poll';
  profile.receipts.poll.initialDelayMs = 50;
  profile.receipts.poll.maxDelayMs = 200;

  it('polls until records are final', async () => {
    await withClient(
      profile,
      async (client) => {
        const request = goodsRequest(profile, ['SKU-I-5']);
        const result = await client.send(request);

        expect(result.outcome).toBe('accepted');
        expect(result.receipt?.accepted).toEqual(['SKU-I-5']);
        expect(result.receipt?.rejected).toEqual([]);
      },
      300,
    );
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildEnvelope } from '../../connectors/platform/envelope.js';
import { writeKeyPairFiles } from '../../connectors/platform/key-generation.js';
import { loadProfile } from '../../connectors/platform/profile-loader.js';
import type { Profile } from '../../connectors/platform/profile-schema.js';
import { type Signer, createSigner } from '../../connectors/platform/signer.js';
import { FIXTURE_ENTERPRISE } from '../fixtures/platform/valid-records.js';

/**
 * Shared set-up for the sandbox tests: the default profile, key pairs in a
 * temporary folder, valid record bodies and a `submit` helper that signs
 * an envelope with buildEnvelope and posts it with fetch.
 */

/** Loads the bundled default profile; each call returns a fresh copy that a test may change. */
export function loadDefaultProfile(): Profile {
  return loadProfile();
}

export const ALL_INTERFACES = ['OW01', 'OW02', 'OW03', 'OW04', 'OW05', 'OW06', 'OW07'];

export interface TestKeys {
  dir: string;
  publicKeyFile: string;
  signer: Signer;
  cleanup(): void;
}

/** Generates an SM2 key pair in a new temporary folder. */
export function makeKeys(profile: Profile): TestKeys {
  const dir = mkdtempSync(path.join(tmpdir(), 'owh-sandbox-test-'));
  const files = writeKeyPairFiles(path.join(dir, 'keys'), 'SM2', true);
  return {
    dir,
    publicKeyFile: files.publicKeyFile,
    signer: createSigner(profile.sign, files.key),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function warehouseRecord(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    copWarehouseCode: code,
    warehouseName: `洛杉矶一号仓 ${code}`,
    operatorName: '深圳示例供应链有限公司',
    operatorUscc: FIXTURE_ENTERPRISE.uscc,
    ownershipType: '1',
    countryCode: 'USA',
    city: 'Los Angeles',
    address: '1200 Example Ave, Ontario, CA',
    totalArea: '12000.00',
    status: '1',
    contactName: '张三',
    contactPhone: '0755-88888888',
    ...overrides,
  };
}

export function goodsRecord(sku: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sku, goodsName: '蓝牙耳机', hsCode: '8518300000', spec: '无线 入耳式', unit: '011', ...overrides };
}

export function inboundRecord(copNo: string, warehouseCode: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    copNo,
    copWarehouseCode: warehouseCode,
    inboundType: '99',
    ownerName: '深圳示例贸易有限公司',
    inboundTime: '20260501103000',
    lines: [{ gnum: '1', sku: 'SKU-1', qty: '10', unit: '011' }],
    ...overrides,
  };
}

export function payloadOf(profile: Profile, records: unknown[], appType = '1'): Record<string, unknown> {
  const names = profile.payload.fieldNames;
  return {
    [names.entName]: FIXTURE_ENTERPRISE.name,
    [names.entUscc]: FIXTURE_ENTERPRISE.uscc,
    ...(names.entCustomsCode ? { [names.entCustomsCode]: FIXTURE_ENTERPRISE.customsCode } : {}),
    [names.appType]: appType,
    [names.records]: records,
  };
}

export interface SubmitArgs {
  url: string;
  profile: Profile;
  signer: Signer;
  senderId: string;
  kind: string;
  records: unknown[];
  appType?: string;
  messageId?: string;
  now?: Date;
  /** Changes the HTTP body text after signing. */
  tamper?: (body: string) => string;
  /** Request path; the gateway path by default. */
  path?: string;
  timeoutMs?: number;
}

export interface SubmitResult {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
  messageId: string;
  body: string;
}

/** Builds, signs and posts one message, then returns the response with its parsed JSON. */
export async function submit(args: SubmitArgs): Promise<SubmitResult> {
  const messageId = args.messageId ?? randomUUID().toUpperCase();
  const envelope = buildEnvelope({
    profile: args.profile,
    signer: args.signer,
    senderId: args.senderId,
    kind: args.kind,
    messageId,
    payload: payloadOf(args.profile, args.records, args.appType),
    now: args.now,
  });
  const body = args.tamper ? args.tamper(envelope.body) : envelope.body;

  const response = await fetch(args.url + (args.path ?? args.profile.transport.gatewayPath), {
    method: 'POST',
    headers: { 'Content-Type': args.profile.transport.contentType },
    body,
    signal: AbortSignal.timeout(args.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {}, messageId, body };
}

export async function getJson(url: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url);
  return { status: response.status, json: await response.json() };
}

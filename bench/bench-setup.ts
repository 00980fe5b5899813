import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parseDocument, stringify } from 'yaml';

import { DEMO_ENTERPRISE } from '../config/defaults/demo-config.js';
import { writeKeyPairFiles } from '../connectors/platform/key-generation.js';
import { DEFAULT_PROFILE_PATH, loadProfile } from '../connectors/platform/profile-loader.js';
import { MARIADB_SERVER, POSTGRES_SERVER, type BenchDb } from './bench-data.js';

/**
 * Files one benchmark run needs, in a temp folder: an SM2 key pair, the
 * sandbox's senders file, a profile copy with a raised request rate, and
 * owh-sync configs whose one pipeline maps `bench_sku` to goods.
 */

export const BENCH_PIPELINE = 'bench_goods';
export const BENCH_SENDER = 'BENCH-SENDER-01';
export const BENCH_MAPPING = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench-goods.yaml');

export interface BenchFiles {
  dir: string;
  sendersFile: string;
  privateKeyFile: string;
  /** The bundled profile with `limits.requestsPerSecond` set to the rate measurement's value. */
  rateProfileFile: string;
}

export function writeBenchFiles(dir: string, requestsPerSecond: number): BenchFiles {
  fs.mkdirSync(dir, { recursive: true });
  const keys = writeKeyPairFiles(path.join(dir, 'keys'), 'SM2', true);
  const profile = loadProfile();

  const sendersFile = path.join(dir, 'senders.yaml');
  const interfaces = Object.values(profile.kinds).map((kind) => kind.interfaceId);
  fs.writeFileSync(
    sendersFile,
    stringify({ senders: [{ senderId: BENCH_SENDER, publicKeyFile: keys.publicKeyFile, algorithm: 'SM2', interfaces }] }),
  );

  // The sandbox command takes a profile file but no overrides, so the rate
  // goes into a copy; comments and key order of the original stay.
  const document = parseDocument(fs.readFileSync(DEFAULT_PROFILE_PATH, 'utf8'));
  document.setIn(['limits', 'requestsPerSecond'], requestsPerSecond);
  const rateProfileFile = path.join(dir, 'profile-rate.yaml');
  fs.writeFileSync(rateProfileFile, document.toString());

  return { dir, sendersFile, privateKeyFile: keys.privateKeyFile, rateProfileFile };
}

export interface BenchConfigOptions {
  files: BenchFiles;
  db: BenchDb;
  database: string;
  endpoint: string;
  stateFile: string;
  /** Client request rate: 0 for none; a positive rate is also set as the profile's limit. */
  requestsPerSecond: number;
  /** The pipeline's maxBatchesInFlight. */
  maxBatchesInFlight: number;
  configFile: string;
}

/** Writes an owh-sync config for one measurement and returns its path. */
export function writeBenchConfig(options: BenchConfigOptions): string {
  const connection =
    options.db === 'mariadb' ? { ...MARIADB_SERVER, database: options.database } : { ...POSTGRES_SERVER, database: options.database };
  const platform: Record<string, unknown> = {
    endpoint: options.endpoint,
    senderId: BENCH_SENDER,
    keyFile: options.files.privateKeyFile,
    requestsPerSecond: options.requestsPerSecond,
    timeoutMs: 30_000,
    retry: { retries: 5, minDelayMs: 200, maxDelayMs: 2000, maxWaitMs: 10_000 },
  };
  if (options.requestsPerSecond > 0) platform.profileOverrides = { 'limits.requestsPerSecond': options.requestsPerSecond };

  const config = {
    version: 1,
    enterprise: DEMO_ENTERPRISE,
    sources: { wms: { client: options.db === 'mariadb' ? 'mysql2' : 'pg', connection, timezone: 'Asia/Shanghai' } },
    platform,
    state: { path: options.stateFile },
    logging: { file: path.join(path.dirname(options.configFile), `${path.basename(options.configFile, '.yaml')}.log`), level: 'info' },
    pipelines: {
      // The batch size is the profile's maximum (limits.maxRecords, 100 in the bundled profile).
      [BENCH_PIPELINE]: { source: 'wms', mapping: BENCH_MAPPING, commitLagSeconds: 0, maxBatchesInFlight: options.maxBatchesInFlight },
    },
  };
  fs.writeFileSync(options.configFile, stringify(config));
  return options.configFile;
}

/**
 * Deletes the pipeline's checkpoint and keeps the ledger, so the next run
 * reads, maps and hashes every row again and finds each one unchanged.
 */
export function resetCheckpoint(stateFile: string, pipeline: string): number {
  const db = new Database(stateFile);
  try {
    return db.prepare('DELETE FROM checkpoints WHERE pipeline = ?').run(pipeline).changes;
  } finally {
    db.close();
  }
}

import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

import { computeUsccCheckChar } from '../../connectors/platform/formats.js';

/** Folder of the bundled demo mappings. */
const DEMO_MAPPINGS = fileURLToPath(new URL('../../mappings/examples/demo-wms/', import.meta.url));

const USCC_BODY = '91440300MA5G8KQ2X';

/** The invented enterprise the demo sends as. */
export const DEMO_ENTERPRISE = {
  name: '深圳市鹏海跨境供应链有限公司',
  uscc: USCC_BODY + computeUsccCheckChar(USCC_BODY),
  customsCode: '4403960ABC',
};

export const DEMO_SENDER_ID = 'DEMO-SZ-OWH-0001';

export const DEMO_KINDS = ['warehouse', 'goods', 'inbound', 'outbound', 'inventory', 'return'] as const;

/**
 * Builds the demo's config file: the sample WMS in SQLite, the local
 * sandbox as the platform, and one pipeline per kind.
 */
export function buildDemoConfig(options: { endpoint: string; wmsFile: string; keyFile: string }): string {
  const pipelines = Object.fromEntries(
    DEMO_KINDS.map((kind) => [
      kind,
      {
        source: 'demo_wms',
        mapping: `${DEMO_MAPPINGS}${kind}.yaml`,
        schedule: kind === 'inventory' ? '0 2 * * *' : '*/15 * * * *',
        // The demo changes rows and re-runs at once, so no commit-lag margin.
        commitLagSeconds: 0,
        deadLetters: { maxRatio: 0.2 },
      },
    ]),
  );

  const config = {
    version: 1,
    enterprise: DEMO_ENTERPRISE,
    sources: {
      demo_wms: {
        client: 'better-sqlite3',
        connection: { filename: options.wmsFile },
        timezone: 'Asia/Shanghai',
        pageSize: 1000,
      },
    },
    platform: {
      endpoint: options.endpoint,
      senderId: DEMO_SENDER_ID,
      keyFile: options.keyFile,
      // The sandbox has no rate limit; a real platform keeps the profile's.
      requestsPerSecond: 0,
      retry: { retries: 3, minDelayMs: 200, maxDelayMs: 2000, maxWaitMs: 60_000 },
    },
    state: { driver: 'sqlite', path: 'state.sqlite' },
    logging: { file: 'owh-sync.log', level: 'info' },
    pipelines,
  };

  return `# owh-sync demo config, written by \`owh-sync demo\`.\n${stringify(config)}`;
}

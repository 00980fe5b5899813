import { OwhError } from '../../../config/errors.js';
import { type FaultInjector, parseFaultRequest } from './fault-injector.js';
import type { SandboxLedger } from './sandbox-ledger.js';

/**
 * The sandbox's own endpoints under `/_sandbox/`: read-only JSON views of
 * the ledger for tests and the demo, and the fault control endpoint. They
 * belong to the sandbox, not to the platform's protocol, so they respond in
 * plain JSON rather than in the profile's response format.
 */

export const SANDBOX_PREFIX = '/_sandbox/';

export interface JsonAnswer {
  httpStatus: number;
  body: unknown;
}

function notFound(what: string): JsonAnswer {
  return { httpStatus: 404, body: { error: `${what} not found` } };
}

/** Routes a request under `/_sandbox/`; returns undefined for an unknown path. */
export function routeSandboxRequest(
  method: string,
  url: URL,
  bodyText: string,
  ledger: SandboxLedger,
  faults: FaultInjector,
): JsonAnswer | undefined {
  const segments = url.pathname
    .slice(SANDBOX_PREFIX.length)
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment));

  if (segments[0] === 'faults' && segments.length === 1) return routeFaults(method, bodyText, faults);
  if (method !== 'GET') return { httpStatus: 405, body: { error: `${method} is not allowed on ${url.pathname}; it is read-only` } };

  const [resource, ...rest] = segments;
  if (resource === 'stats' && rest.length === 0) return { httpStatus: 200, body: ledger.stats() };

  if (resource === 'records' && rest.length === 0) {
    const query = url.searchParams;
    const records = ledger.listRecords({
      kind: query.get('kind') ?? undefined,
      key: query.get('key') ?? undefined,
      senderId: query.get('senderId') ?? undefined,
      warehouseCode: query.get('warehouseCode') ?? undefined,
    });
    return { httpStatus: 200, body: { records } };
  }

  if (resource === 'records' && rest.length === 2) {
    const [kind, key] = rest;
    const senderId = url.searchParams.get('senderId') ?? undefined;
    const record = ledger.listRecords({ kind, key, senderId })[0];
    return record ? { httpStatus: 200, body: record } : notFound(`record ${kind}/${key}`);
  }

  if (resource === 'messages' && rest.length === 1) {
    const senderId = url.searchParams.get('senderId') ?? undefined;
    const candidates = ledger.findMessagesById(rest[0]);
    const message = senderId ? candidates.find((entry) => entry.senderId === senderId) : candidates[0];
    if (!message) return notFound(`message ${rest[0]}`);
    return { httpStatus: 200, body: { ...message, rejectedRecords: ledger.listRejected(message.senderId, message.messageId) } };
  }

  return undefined;
}

/** `GET` shows the active faults, `POST` sets or adds them, `DELETE` clears them. */
function routeFaults(method: string, bodyText: string, faults: FaultInjector): JsonAnswer {
  if (method === 'GET') return { httpStatus: 200, body: faults.snapshot() };

  if (method === 'DELETE') {
    faults.clear();
    return { httpStatus: 200, body: faults.snapshot() };
  }

  if (method === 'POST') {
    let json: unknown;
    try {
      json = JSON.parse(bodyText);
    } catch {
      return { httpStatus: 400, body: { error: 'the fault request body is not valid JSON; send {"spec": "503:0.2"} or {"rules": [...]}' } };
    }

    try {
      const request = parseFaultRequest(json);
      if (request.append) faults.add(request.spec);
      else faults.set(request.spec);
      return { httpStatus: 200, body: faults.snapshot() };
    } catch (error) {
      if (!(error instanceof OwhError)) throw error;
      return { httpStatus: 400, body: { error: error.text.en, errorZh: error.text['zh-CN'] } };
    }
  }

  return { httpStatus: 405, body: { error: `${method} is not allowed on /_sandbox/faults; use GET, POST or DELETE` } };
}

import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { OwhError } from '../../../config/errors.js';
import { bi } from '../../../config/i18n.js';
import { buildPayloadValidator } from '../payload-validator.js';
import type { Profile } from '../profile-schema.js';
import { type FaultDecision, FaultInjector, type FaultSpec, parseFaultSpec } from './fault-injector.js';
import { type HandlerContext, type SubmissionResult, handleSubmission } from './message-handler.js';
import { RateWindow } from './rate-window.js';
import { answerReceiptQuery } from './receipt-query.js';
import { CLASS_BY_INJECTED_STATUS, buildAnswer } from './sandbox-answers.js';
import { SandboxLedger } from './sandbox-ledger.js';
import { renderSandboxPage } from './sandbox-page.js';
import { SANDBOX_PREFIX, routeSandboxRequest } from './sandbox-routes.js';
import { type SenderRegistration, buildSenderRegistry } from './sender-registry.js';

export type { SenderRegistration } from './sender-registry.js';

/**
 * The local platform sandbox: an HTTP server that plays the platform's side
 * of a profile. It verifies signatures, checks timestamps and opened
 * interfaces, validates records, detects repeated messageIds, stores what it
 * accepts in its own SQLite ledger and injects faults on demand.
 */

export interface SandboxOptions {
  profile: Profile;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; other than loopback addresses are rejected unless `allowNonLoopback` is set. */
  host?: string;
  allowNonLoopback?: boolean;
  senders: SenderRegistration[];
  /** SQLite ledger file; in memory when absent. */
  dbPath?: string;
  /** Startup faults, as rules or in the `--faults` string form. */
  faults?: FaultSpec | string;
  logger?: (event: SandboxEvent) => void;
  /** Respond 429 with Retry-After above `limits.requestsPerSecond`; off by default. */
  enforceRateLimit?: boolean;
  /** Milliseconds until poll-mode receipts become final; default 1000. */
  receiptDelayMs?: number;
  /** Random source for share-triggered faults, for reproducible tests. */
  random?: () => number;
  /** Platform clock for timestamp checks and receipts; default the system clock. */
  clock?: () => Date;
}

export interface SandboxHandle {
  /** Base URL without a trailing slash, such as `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  close(): Promise<void>;
  ledger: SandboxLedger;
  faults: FaultInjector;
}

/** One line of the sandbox's log; the CLI prints them, tests may collect them. */
export type SandboxEvent =
  | { event: 'sandbox.listening'; url: string; senders: string[] }
  | {
      event: 'sandbox.request';
      method: string;
      path: string;
      httpStatus: number;
      outcome: string;
      messageId?: string;
      senderId?: string;
      interfaceId?: string;
      kind?: string;
      recordsAccepted?: number;
      recordsRejected?: number;
      faults: string[];
      durationMs: number;
    }
  | { event: 'sandbox.request_failed'; method: string; path: string; error: string }
  | { event: 'sandbox.faults_changed'; rules: number }
  | { event: 'sandbox.closed' };

const DEFAULT_RECEIPT_DELAY_MS = 1000;

/** Retry-After for an injected 429 without an explicit value, in seconds. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Starts the sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowNonLoopback) {
    throw new OwhError(
      'config',
      bi(
        `沙箱只监听本机回环地址，拒绝 ${host}。确需对外监听请显式允许（allowNonLoopback）。`,
        `the sandbox listens on loopback addresses only and rejects ${host}. Set allowNonLoopback to listen elsewhere on purpose.`,
      ),
      { details: { host } },
    );
  }

  const { profile } = options;
  const log = options.logger ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  const senders = buildSenderRegistry(profile, options.senders);
  const startFaults = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : options.faults;
  const faults = new FaultInjector(startFaults, options.random);
  const ledger = new SandboxLedger(options.dbPath);
  const validator = buildPayloadValidator(profile);
  const rateWindow = new RateWindow(options.enforceRateLimit ? profile.limits.requestsPerSecond : 0);
  const timers = new Set<NodeJS.Timeout>();

  const handlerContext = (now: Date): HandlerContext => ({
    profile,
    senders,
    ledger,
    validator,
    now,
    isInterfaceClosed: (interfaceId) => faults.isInterfaceClosed(interfaceId),
    rejectionFor: (key) => faults.rejectionFor(key),
    receiptDelayMs: options.receiptDelayMs ?? DEFAULT_RECEIPT_DELAY_MS,
  });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((request, response) => {
    const started = Date.now();
    const path = (request.url ?? '/').split('?')[0];

    serve(request, response, started).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      log({ event: 'sandbox.request_failed', method: request.method ?? '', path, error: text });
      if (!response.headersSent) sendJson(response, 500, { error: `sandbox internal error: ${text}` });
      else response.destroy();
    });
  });

  /** Routes one request: the page, the sandbox endpoints, receipt queries, submissions. */
  async function serve(request: IncomingMessage, response: ServerResponse, started: number): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://sandbox.local');
    const path = url.pathname;

    if (path === '/' && method === 'GET') {
      const html = renderSandboxPage(profile, ledger, url.searchParams.get('lang') === 'en' ? 'en' : 'zh-CN');
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(html);
      return;
    }

    if (path.startsWith(SANDBOX_PREFIX)) {
      const body = await readBody(request, profile.limits.maxBodyBytes);
      const answer = routeSandboxRequest(method, url, body.text, ledger, faults);
      if (path === `${SANDBOX_PREFIX}faults` && method !== 'GET' && answer?.httpStatus === 200) {
        log({ event: 'sandbox.faults_changed', rules: faults.snapshot().rules.length });
      }
      sendJson(response, answer?.httpStatus ?? 404, answer?.body ?? { error: `no sandbox endpoint at ${path}` });
      return;
    }

    if (path === profile.receipts.queryPath && method === 'GET') {
      const answer = answerReceiptQuery(profile, ledger, url.searchParams, clock());
      sendJson(response, answer.httpStatus, answer.body);
      logRequest({ method, path, started, httpStatus: answer.httpStatus, outcome: 'receipt_query', faults: [] });
      return;
    }

    const route = submissionRoute(profile, path);
    if (!route) {
      sendJson(response, 404, { error: `no platform interface at ${path}` });
      return;
    }
    if (method !== 'POST') {
      sendJson(response, 405, { error: `${method} is not allowed on ${path}; submit messages with POST` }, { Allow: 'POST' });
      return;
    }
    await serveSubmission(request, response, started, path, route.interfaceId);
  }

  /** Handles one message POST: size limit, rate limit, injected faults, then the message itself. */
  async function serveSubmission(
    request: IncomingMessage,
    response: ServerResponse,
    started: number,
    path: string,
    pathInterfaceId: string | undefined,
  ): Promise<void> {
    // A response closed before it was ended means the client went away, for example after its own timeout.
    let clientGone = false;
    response.once('close', () => {
      if (!response.writableEnded) clientGone = true;
    });
    const finish = (result: Partial<SubmissionResult> & { httpStatus: number; outcome: string }, labels: string[]) =>
      logRequest({ ...result, method: 'POST', path, started, faults: labels });

    const body = await readBody(request, profile.limits.maxBodyBytes);
    if (body.tooLarge) {
      const answer = buildAnswer(profile, {
        errorClass: 'VALIDATION',
        message: `报文超过 ${profile.limits.maxBodyBytes} 字节的上限 / the message exceeds the limit of ${profile.limits.maxBodyBytes} bytes`,
      });
      sendJson(response, 413, answer);
      finish({ httpStatus: 413, outcome: 'too_large' }, []);
      return;
    }

    const retryAfter = rateWindow.admit(Date.now());
    if (retryAfter !== undefined) {
      sendInjected(response, { action: 'status', status: 429, retryAfterSeconds: retryAfter });
      finish({ httpStatus: 429, outcome: 'RATE_LIMITED' }, []);
      return;
    }

    const decision: FaultDecision = faults.decide();
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (clientGone) {
      finish({ httpStatus: 0, outcome: 'client_gone' }, decision.labels);
      return;
    }

    const effect = decision.effect;
    if (effect.action === 'drop') {
      request.socket.destroy();
      finish({ httpStatus: 0, outcome: 'dropped' }, decision.labels);
      return;
    }
    if (effect.action === 'status') {
      const status = sendInjected(response, effect);
      finish({ httpStatus: status, outcome: `injected_${status}` }, decision.labels);
      return;
    }

    const forgetAnswer = effect.action === 'storeThenFail' && effect.forgetAnswer;
    const result = handleSubmission(handlerContext(clock()), { bodyText: body.text, pathInterfaceId, forgetAnswer });

    if (effect.action === 'storeThenFail') {
      if (effect.then === 'drop') {
        request.socket.destroy();
        finish({ ...result, httpStatus: 0, outcome: `${result.outcome}+dropped` }, decision.labels);
      } else {
        sendInjected(response, { action: 'status', status: 500 });
        finish({ ...result, httpStatus: 500, outcome: `${result.outcome}+injected_500` }, decision.labels);
      }
      return;
    }

    sendJson(response, result.httpStatus, result.body);
    finish(result, decision.labels);
  }

  /** Sends an injected error response with the class's code and returns the HTTP status. */
  function sendInjected(response: ServerResponse, effect: Extract<FaultDecision['effect'], { action: 'status' }>): number {
    const errorClass = CLASS_BY_INJECTED_STATUS[effect.status] ?? 'SERVER_ERROR';
    const headers: Record<string, string> = {};

    // The Date header is set explicitly so an HTTP-date Retry-After can be read against it.
    const nowSeconds = Math.floor(Date.now() / 1000) * 1000;
    headers.Date = new Date(nowSeconds).toUTCString();
    const retryAfter = effect.retryAfterSeconds ?? (effect.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
    if (retryAfter !== undefined && (effect.status === 429 || effect.status === 503)) {
      headers['Retry-After'] =
        effect.retryAfterForm === 'date' ? new Date(nowSeconds + retryAfter * 1000).toUTCString() : String(retryAfter);
    }

    const answer = buildAnswer(profile, {
      errorClass,
      message: `平台模拟故障：HTTP ${effect.status} / injected platform fault: HTTP ${effect.status}`,
    });
    sendJson(response, effect.status, answer, headers);
    return effect.status;
  }

  function logRequest(entry: Partial<SubmissionResult> & { method: string; path: string; started: number; httpStatus: number; outcome: string; faults: string[] }): void {
    ledger.logRequest({
      outcome: entry.outcome,
      httpStatus: entry.httpStatus,
      messageId: entry.messageId,
      senderId: entry.senderId,
      interfaceId: entry.interfaceId,
    });
    log({
      event: 'sandbox.request',
      method: entry.method,
      path: entry.path,
      httpStatus: entry.httpStatus,
      outcome: entry.outcome,
      messageId: entry.messageId,
      senderId: entry.senderId,
      interfaceId: entry.interfaceId,
      kind: entry.kind,
      recordsAccepted: entry.recordsAccepted,
      recordsRejected: entry.recordsRejected,
      faults: entry.faults,
      durationMs: Date.now() - entry.started,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log({ event: 'sandbox.listening', url, senders: [...senders.keys()] });

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => {
        ledger.close();
        log({ event: 'sandbox.closed' });
        resolve();
      });
      server.closeAllConnections();
    });
    return closed;
  };

  return { url, port, close, ledger, faults };
}

/** Finds the interface a submission path serves: any interface at the gateway, one interface per path otherwise. */
function submissionRoute(profile: Profile, path: string): { interfaceId?: string } | undefined {
  const transport = profile.transport;
  if (transport.routing === 'gateway') return path === transport.gatewayPath ? {} : undefined;

  const entry = Object.entries(transport.interfacePaths).find(([, interfacePath]) => interfacePath === path);
  return entry ? { interfaceId: entry[0] } : undefined;
}

/**
 * Reads a request body as UTF-8 up to `maxBytes`. A larger body is read to
 * its end and discarded, so the client gets the 413 response instead of a
 * reset connection.
 */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(request.headers['content-length'] ?? 0) > maxBytes;

  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) tooLarge = true;
    if (!tooLarge) chunks.push(buffer);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

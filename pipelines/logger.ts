import fs from 'node:fs';
import path from 'node:path';
import winston from 'winston';

/**
 * The one logger: JSON lines to a file for machines, short readable lines on
 * stderr for people. Child loggers carry runId, pipeline and batch ids.
 * Secrets and payload bodies are dropped by key name before any transport.
 */
export type Logger = winston.Logger;

export interface LoggerOptions {
  file?: string;
  level?: string;
  /** Readable lines on stderr; off for --json output and in tests. */
  console?: boolean;
}

const SECRET_KEYS = new Set([
  'password',
  'privateKey',
  'key',
  'secret',
  'sign',
  'signature',
  'body',
  'payload',
  'data',
  'records',
  'authorization',
]);

const redact = winston.format((info) => {
  for (const name of Object.keys(info)) {
    if (SECRET_KEYS.has(name)) info[name] = '[redacted]';
  }
  return info;
});

const readable = winston.format.printf((info) => {
  const scope = [info.pipeline, info.batchId].filter(Boolean).join(' ');
  const prefix = scope ? `[${scope}] ` : '';
  return `${String(info.timestamp).slice(11, 19)} ${info.level.padEnd(5)} ${prefix}${String(info.message)}`;
});

export function createLogger(options: LoggerOptions = {}): Logger {
  const transports: winston.transport[] = [];

  if (options.file) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    transports.push(
      new winston.transports.File({
        filename: options.file,
        format: winston.format.combine(winston.format.timestamp(), redact(), winston.format.json()),
      }),
    );
  }
  if (options.console) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'debug'],
        format: winston.format.combine(winston.format.timestamp(), redact(), readable),
      }),
    );
  }
  if (transports.length === 0) {
    // winston warns when a logger has no transport; a silent stream keeps library calls cheap.
    transports.push(new winston.transports.Console({ silent: true }));
  }

  return winston.createLogger({ level: options.level ?? 'info', transports });
}

/**
 * Ends the logger and waits until the file transport has written everything,
 * so the last lines before an exit are never lost. Gives up after `timeoutMs`.
 */
export async function closeLogger(logger: Logger, timeoutMs = 3000): Promise<void> {
  const fileTransports = logger.transports.filter((t) => t instanceof winston.transports.File);
  const finished = Promise.all(
    fileTransports.map((t) => new Promise<void>((resolve) => t.once('finish', () => resolve()))),
  );

  logger.end();
  await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}

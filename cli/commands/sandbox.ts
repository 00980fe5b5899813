import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';
import { z } from 'zod';

import { OwhError } from '../../config/errors.js';
import { bi, render } from '../../config/i18n.js';
import { loadProfile } from '../../connectors/platform/profile-loader.js';
import {
  type SandboxEvent,
  type SandboxHandle,
  type SenderRegistration,
  startSandbox,
} from '../../connectors/platform/sandbox/index.js';
import type { CliOutput } from '../cli-context.js';
import type { RegisterCommand } from './index.js';

/** Flags of `owh-sync sandbox`, as commander passes them. */
export interface SandboxFlags {
  port?: string;
  host?: string;
  senders?: string;
  faults?: string;
  profile?: string;
  db?: string;
  rateLimit?: boolean;
  receiptDelay?: string;
}

const SendersFileSchema = z
  .object({
    senders: z.array(
      z
        .object({
          senderId: z.string().min(1),
          /** Path relative to the senders file. */
          publicKeyFile: z.string().min(1).optional(),
          /** The key text itself, instead of a file. */
          publicKey: z.string().min(1).optional(),
          algorithm: z.enum(['SM2', 'RSA2']).default('SM2'),
          interfaces: z.array(z.string().min(1)),
        })
        .strict()
        .refine((sender) => (sender.publicKeyFile === undefined) !== (sender.publicKey === undefined), {
          message: 'give exactly one of publicKeyFile and publicKey',
        }),
    ),
  })
  .strict();

/**
 * Reads a senders file (YAML): `senders: [{ senderId, publicKeyFile,
 * algorithm, interfaces: [OW01, …] }]`. Key paths are resolved against the
 * file's folder, so the file can move together with its keys.
 */
export function loadSendersFile(file: string): SenderRegistration[] {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OwhError(
      'config',
      bi(`无法读取发送方文件 ${file}：${String(error)}`, `cannot read the senders file ${file}: ${String(error)}`),
      { cause: error },
    );
  }

  const parsed = SendersFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.') || '(root)';
    throw new OwhError(
      'config',
      bi(
        `发送方文件 ${file} 无效：${where}：${issue.message}。格式：senders: [{ senderId, publicKeyFile, algorithm, interfaces: [OW01] }]`,
        `invalid senders file ${file}: ${where}: ${issue.message}. Format: senders: [{ senderId, publicKeyFile, algorithm, interfaces: [OW01] }]`,
      ),
      { details: { file, path: where } },
    );
  }

  const folder = path.dirname(path.resolve(file));
  return parsed.data.senders.map((sender) => ({
    senderId: sender.senderId,
    publicKey: sender.publicKey ?? path.resolve(folder, sender.publicKeyFile ?? ''),
    algorithm: sender.algorithm,
    interfaces: sender.interfaces,
  }));
}

function parseWholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new OwhError('config', bi(`${flag} 的值 "${value}" 无效，应为非负整数。`, `invalid ${flag} value "${value}": use a whole number.`));
  }
  return Number(value);
}

/** Formats one request event as a log line in the active language. */
export function formatSandboxEvent(event: SandboxEvent): string | undefined {
  if (event.event === 'sandbox.request') {
    const records =
      event.recordsAccepted === undefined ? '' : render(bi(` 接收 ${event.recordsAccepted} 拒绝 ${event.recordsRejected ?? 0}`, ` accepted ${event.recordsAccepted} rejected ${event.recordsRejected ?? 0}`));
    const faults = event.faults.length > 0 ? render(bi(` 故障=${event.faults.join('+')}`, ` faults=${event.faults.join('+')}`)) : '';
    const status = event.httpStatus === 0 ? render(bi('无响应', 'no response')) : String(event.httpStatus);
    return (
      render(
        bi(
          `${event.method} ${event.path} ${status} ${event.outcome} 发送方=${event.senderId ?? '-'} 接口=${event.interfaceId ?? '-'} 报文编号=${event.messageId ?? '-'}`,
          `${event.method} ${event.path} ${status} ${event.outcome} sender=${event.senderId ?? '-'} interface=${event.interfaceId ?? '-'} messageId=${event.messageId ?? '-'}`,
        ),
      ) + `${records}${faults} ${event.durationMs}ms`
    );
  }
  if (event.event === 'sandbox.request_failed') {
    return render(bi(`请求处理失败：${event.method} ${event.path}：${event.error}`, `request failed: ${event.method} ${event.path}: ${event.error}`));
  }
  if (event.event === 'sandbox.faults_changed') {
    return render(bi(`故障设置已更新，共 ${event.rules} 条规则`, `faults changed, ${event.rules} rules active`));
  }
  return undefined;
}

/** Starts the sandbox from the command's flags and prints its URL and senders. */
export async function startSandboxFromFlags(flags: SandboxFlags, output: CliOutput, json = false): Promise<SandboxHandle> {
  const profile = loadProfile({ file: flags.profile });
  const senders = flags.senders ? loadSendersFile(flags.senders) : [];

  const handle = await startSandbox({
    profile,
    port: flags.port === undefined ? 0 : parseWholeNumber('--port', flags.port),
    host: flags.host,
    senders,
    dbPath: flags.db,
    faults: flags.faults,
    enforceRateLimit: flags.rateLimit ?? false,
    receiptDelayMs: flags.receiptDelay === undefined ? undefined : parseWholeNumber('--receipt-delay', flags.receiptDelay),
    logger: (event) => {
      if (json) {
        output.out(JSON.stringify(event));
        return;
      }
      const line = formatSandboxEvent(event);
      if (line) output.out(line);
    },
  });

  if (!json) {
    output.out(render(bi(`平台沙箱已启动：${handle.url}`, `platform sandbox listening at ${handle.url}`)));
    output.out(render(bi(`平台配置：${profile.profileId} ${profile.profileVersion}`, `profile: ${profile.profileId} ${profile.profileVersion}`)));
    output.out(render(bi(`页面：${handle.url}/   统计：${handle.url}/_sandbox/stats`, `page: ${handle.url}/   stats: ${handle.url}/_sandbox/stats`)));
    if (senders.length === 0) {
      output.out(render(bi('未登记发送方（--senders），所有报文都会以“发送方未登记”被拒绝。', 'no senders registered (--senders), so every message is rejected as from an unknown sender.')));
    }
    for (const sender of senders) {
      output.out(render(bi(`发送方 ${sender.senderId}（${sender.algorithm}）已开通接口：${sender.interfaces.join('、')}`, `sender ${sender.senderId} (${sender.algorithm}), opened interfaces: ${sender.interfaces.join(', ')}`)));
    }
    output.out(render(bi('按 Ctrl+C 停止。', 'Press Ctrl+C to stop.')));
  }
  return handle;
}

/** Resolves on the first SIGINT or SIGTERM. */
function waitForStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const registerSandboxCommand: RegisterCommand = (program, output) => {
  program
    .command('sandbox')
    .description(render(bi('启动本地平台沙箱：按平台配置验签、校验并接收报文', 'run the local platform sandbox: verify, validate and store messages per the profile')))
    .option('--port <port>', render(bi('监听端口（默认任选空闲端口）', 'port to listen on (default: any free port)')))
    .option('--host <host>', render(bi('监听地址，仅限本机回环地址（默认 127.0.0.1）', 'address to listen on, loopback only (default 127.0.0.1)')))
    .option('--senders <file>', render(bi('发送方登记文件（YAML）', 'senders file (YAML)')))
    .option('--faults <spec>', render(bi('注入故障，如 "503:0.2,429:retry-after=2,slow:3000"', 'faults to inject, such as "503:0.2,429:retry-after=2,slow:3000"')))
    .option('--profile <file>', render(bi('平台配置文件（默认内置配置）', 'platform profile file (default: the bundled profile)')))
    .option('--db <file>', render(bi('沙箱 SQLite 文件（默认仅在内存中）', 'sandbox SQLite file (default: in memory only)')))
    .option('--rate-limit', render(bi('超过平台配置的每秒请求数时返回 429', 'answer 429 above the profile\'s requests per second')))
    .option('--receipt-delay <ms>', render(bi('回执查询模式下结果生效前的毫秒数（默认 1000）', 'milliseconds before poll-mode receipts become final (default 1000)')))
    .action(async (flags: SandboxFlags, command) => {
      const json = Boolean(command.optsWithGlobals().json);
      const handle = await startSandboxFromFlags(flags, output, json);

      const signal = await waitForStopSignal();
      await handle.close();
      if (!json) output.out(render(bi(`收到 ${signal}，沙箱已停止。`, `received ${signal}, sandbox stopped.`)));
    });
};

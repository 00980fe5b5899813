import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';

import { loadConfig } from '../../config/config-loader.js';
import { buildDemoConfig, DEMO_ENTERPRISE, DEMO_SENDER_ID } from '../../config/defaults/demo-config.js';
import { bi, render } from '../../config/i18n.js';
import { writeKeyPairFiles } from '../../connectors/platform/key-generation.js';
import { loadProfile } from '../../connectors/platform/profile-loader.js';
import { startSandbox } from '../../connectors/platform/sandbox/index.js';
import { applyDemoChanges, generateDemoWms } from '../../mappings/examples/demo-wms/generate-demo-wms.js';
import { closeLogger, createLogger } from '../../pipelines/logger.js';
import { runPipelines } from '../../pipelines/run-plan.js';
import type { GlobalOptions } from '../cli-context.js';
import { exitCodeFor, formatSummaryTable } from '../report-format.js';
import type { RegisterCommand } from './index.js';

interface DemoOptions {
  dir: string;
  keepOpen?: boolean;
  port?: string;
}

/**
 * `owh-sync demo` (what `npm start` runs): builds a sample WMS in SQLite,
 * starts the platform sandbox on a free loopback port, runs every pipeline,
 * changes a few rows and runs again to show that only those are sent.
 */
export const registerDemoCommand: RegisterCommand = (program, output, setExitCode) => {
  program
    .command('demo')
    .description(render(bi('在内置示例 WMS 与本地沙箱上演示完整同步', 'run the full sync on a built-in sample WMS and a local sandbox')))
    .option('--dir <dir>', render(bi('演示工作目录（每次重建）', 'demo working folder (rebuilt each time)')), '.owh-sync/demo')
    .option('--keep-open', render(bi('完成后保持沙箱运行，便于在浏览器中查看', 'keep the sandbox running afterwards, to look at it in a browser')))
    .option('--port <port>', render(bi('沙箱端口（默认任选空闲端口）', 'sandbox port (default: any free port)')))
    .action(async (options: DemoOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const dir = path.resolve(options.dir);
      const say = (zh: string, en: string) => output.out(render(bi(zh, en)));

      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });

      say('① 生成示例 WMS（SQLite）……', '1. Generating the sample WMS (SQLite)...');
      const wmsFile = path.join(dir, 'demo-wms.sqlite');
      const { counts } = generateDemoWms(wmsFile);
      say(
        `   ${Object.entries(counts).map(([table, n]) => `${table} ${n}`).join('，')}`,
        `   ${Object.entries(counts).map(([table, n]) => `${table} ${n}`).join(', ')}`,
      );

      say('② 生成 SM2 密钥对并启动本地平台沙箱……', '2. Generating an SM2 key pair and starting the local platform sandbox...');
      const keys = writeKeyPairFiles(path.join(dir, 'keys'), 'SM2', true);
      const profile = loadProfile();
      const sandbox = await startSandbox({
        profile,
        port: options.port ? Number(options.port) : 0,
        senders: [
          {
            senderId: DEMO_SENDER_ID,
            publicKey: keys.publicKeyFile,
            algorithm: 'SM2',
            interfaces: Object.values(profile.kinds).map((kind) => kind.interfaceId),
          },
        ],
        dbPath: path.join(dir, 'sandbox.sqlite'),
      });
      say(`   沙箱地址：${sandbox.url}`, `   sandbox: ${sandbox.url}`);

      const configFile = path.join(dir, 'owh-sync.yaml');
      fs.writeFileSync(configFile, buildDemoConfig({ endpoint: sandbox.url, wmsFile, keyFile: keys.privateKeyFile }));
      const loaded = loadConfig(configFile);
      const logger = createLogger({ file: loaded.resolve(loaded.config.logging.file), level: globals.logLevel ?? 'info', console: false });

      try {
        say(`③ 第一次运行：${DEMO_ENTERPRISE.name} 的全部管道`, `3. First run: every pipeline of ${DEMO_ENTERPRISE.name}`);
        const first = await runPipelines(loaded, [], logger);
        for (const line of formatSummaryTable(first)) output.out(line);
        output.out('');
        await printAccepted(sandbox.url, output.out, say);

        say('④ 修改少量行（改价、改订单行数量、软删除、新增入仓单、库存变化）……', '4. Changing a few rows (prices, an order line, a soft delete, a new inbound order, stock)...');
        const { changed } = applyDemoChanges(wmsFile);
        for (const [table, keysChanged] of Object.entries(changed)) output.out(`   ${table}: ${keysChanged.join(', ')}`);

        say('⑤ 第二次运行：只发送变化的记录', '5. Second run: only the changed records are sent');
        const second = await runPipelines(loaded, [], logger);
        for (const line of formatSummaryTable(second)) output.out(line);
        output.out('');

        const code = Math.max(exitCodeFor(first), exitCodeFor(second));
        say(`日志：${loaded.resolve(loaded.config.logging.file)}\n配置：${configFile}`, `log: ${loaded.resolve(loaded.config.logging.file)}\nconfig: ${configFile}`);
        if (!options.keepOpen) {
          say('沙箱已关闭；如需在浏览器中查看沙箱页面，请加 --keep-open 重新运行。', 'The sandbox has stopped; run again with --keep-open to browse its page.');
        }
        setExitCode(code);

        if (options.keepOpen) {
          say(`沙箱页面：${sandbox.url}/\n沙箱保持运行，按 Ctrl+C 结束。`, `sandbox page: ${sandbox.url}/\nThe sandbox keeps running; press Ctrl+C to stop it.`);
          await new Promise<void>((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
          });
        }
      } finally {
        await sandbox.close();
        await closeLogger(logger);
      }
    });
};

async function printAccepted(url: string, out: (line: string) => void, say: (zh: string, en: string) => void): Promise<void> {
  const response = await fetch(`${url}/_sandbox/stats`);
  const stats = (await response.json()) as { acceptedByKind?: Record<string, number> };

  say('   沙箱已接受（按类型）：', '   accepted by the sandbox, per kind:');
  for (const [kind, count] of Object.entries(stats.acceptedByKind ?? {})) out(`     ${kind}: ${count}`);
  out('');
}

import { Command, CommanderError } from 'commander';

import { OwhError, EXIT_CODES } from '../config/errors.js';
import { bi, parseLang, render, setLang } from '../config/i18n.js';
import { type CliOutput, processOutput } from './cli-context.js';
import { registerCommands } from './commands/index.js';

/**
 * Entry point of the owh-sync command. Parses the arguments, runs one
 * command and returns the process exit code; it never calls process.exit, so
 * log transports can flush before the process ends.
 */
export async function main(argv: string[], output: CliOutput = processOutput): Promise<number> {
  const json = argv.includes('--json');
  try {
    applyLangEarly(argv);
  } catch (error) {
    return reportError(error, output, json);
  }

  const program = new Command('owh-sync');
  let exitCode = 0;

  program
    .description(render(bi('海外仓数据同步到深圳市跨境电商线上综合服务平台', 'Sync overseas-warehouse data to the Shenzhen cross-border e-commerce platform')))
    .option('-c, --config <file>', render(bi('配置文件路径（默认 ./owh-sync.yaml）', 'config file path (default ./owh-sync.yaml)')))
    .option('--lang <lang>', render(bi('输出语言：zh-CN 或 en', 'output language: zh-CN or en')))
    .option('--log-level <level>', render(bi('日志级别：error、warn、info、debug', 'log level: error, warn, info, debug')))
    .option('--json', render(bi('以 JSON 输出，供程序读取', 'print JSON for programs to read')))
    .helpOption('-h, --help', render(bi('显示帮助', 'display help')))
    .helpCommand('help [command]', render(bi('显示某个命令的帮助', 'display help for a command')))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    });

  registerCommands(program, output, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    return reportError(error, output, json);
  }
  return exitCode;
}

/** Sets the language before commander builds help texts. */
function applyLangEarly(argv: string[]): void {
  const index = argv.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  if (index < 0) return;

  const value = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
  const lang = value ? parseLang(value) : undefined;
  if (!lang) {
    throw new OwhError('config', bi(`--lang 的值 "${value ?? ''}" 无效，可选 zh-CN 或 en。`, `invalid --lang value "${value ?? ''}": use zh-CN or en.`));
  }
  setLang(lang);
}

function reportError(error: unknown, output: CliOutput, json: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version output end with exit code 0; usage errors with 2.
    return error.exitCode === 0 ? 0 : EXIT_CODES.config;
  }
  if (error instanceof OwhError) {
    const code = EXIT_CODES[error.category];
    if (json) output.out(JSON.stringify({ exitCode: code, error: { category: error.category, message: error.localized() } }, null, 2));
    else output.err(error.localized());
    return code;
  }

  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json) output.out(JSON.stringify({ exitCode: EXIT_CODES.internal, error: { category: 'internal', message } }, null, 2));
  else output.err(render(bi(`内部错误：${message}`, `internal error: ${message}`)));
  return EXIT_CODES.internal;
}

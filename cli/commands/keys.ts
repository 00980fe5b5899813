import fs from 'node:fs';
import type { Command } from 'commander';

import { DEFAULT_CONFIG_FILE, loadConfig } from '../../config/config-loader.js';
import { EXIT_CODES, OwhError } from '../../config/errors.js';
import { bi, render } from '../../config/i18n.js';
import { type KeyAlgorithm, type PrivateKeyMaterial, loadPrivateKey, loadPublicKey, publicKeyOf } from '../../connectors/platform/key-files.js';
import { writeKeyPairFiles } from '../../connectors/platform/key-generation.js';
import type { SignSpec } from '../../connectors/platform/profile-schema.js';
import { renderPublicKeyForms, renderPublicKeySpkiBase64 } from '../../connectors/platform/public-key-forms.js';
import { createSigner, createVerifier } from '../../connectors/platform/signer.js';
import { profileFor } from '../../pipelines/run-plan.js';
import type { CliOutput } from '../cli-context.js';
import type { RegisterCommand } from './index.js';

/** Flags shared by the keys subcommands, as commander passes them. */
export interface KeyFlags {
  key?: string;
  public?: string;
  alg?: string;
}

export interface KeyOptions {
  keyFile: string;
  publicKeyFile: string;
  algorithm: KeyAlgorithm;
  /** Sign settings for the probe of `keys check`. */
  signSpec: SignSpec;
}

const DEFAULT_KEY_DIRECTORY = 'keys';
const DEFAULT_KEY_FILE = `${DEFAULT_KEY_DIRECTORY}/private.pem`;
const DEFAULT_PUBLIC_KEY_FILE = `${DEFAULT_KEY_DIRECTORY}/public.pem`;

// Sign settings of the default profile; `keys check` signs its probe with them.
const DEFAULT_SIGN_SPEC: Omit<SignSpec, 'algorithm'> = {
  signTypeValues: { SM2: 'SM2', RSA2: 'RSA2' },
  input: 'sortedParams',
  skipEmpty: true,
  sm2UserId: '1234567812345678',
  encoding: 'base64Raw',
  prehash: 'z',
};

/**
 * Resolves key files and algorithm: command-line flags first, then the
 * config file (`--config`, or ./owh-sync.yaml when present: its
 * `platform.keyFile`, `platform.publicKeyFile` and the profile's sign
 * settings), then the built-in defaults (`keys/private.pem`,
 * `keys/public.pem`, SM2 with the default profile's sign settings).
 */
export function resolveKeyOptions(flags: KeyFlags, configFile?: string, implicitConfig = true): KeyOptions {
  // Flags that name both files need no config. Reading one anyway would
  // require its secrets, such as a database password, just to check a key.
  const flagsComplete = flags.key !== undefined && flags.public !== undefined;
  const useConfig = configFile !== undefined || (implicitConfig && !flagsComplete);
  const fromConfig = useConfig ? readKeySettings(configFile) : undefined;
  const algorithm = flags.alg === undefined ? (fromConfig?.signSpec.algorithm ?? 'SM2') : parseAlgorithm(flags.alg);
  const signSpec = fromConfig ? { ...fromConfig.signSpec, algorithm } : { ...DEFAULT_SIGN_SPEC, algorithm };

  return {
    keyFile: flags.key ?? fromConfig?.keyFile ?? DEFAULT_KEY_FILE,
    publicKeyFile: flags.public ?? fromConfig?.publicKeyFile ?? DEFAULT_PUBLIC_KEY_FILE,
    algorithm,
    signSpec,
  };
}

/** Key settings from the config, when one was named or ./owh-sync.yaml exists. */
function readKeySettings(configFile: string | undefined): { keyFile: string; publicKeyFile?: string; signSpec: SignSpec } | undefined {
  if (configFile === undefined && !fs.existsSync(DEFAULT_CONFIG_FILE)) return undefined;

  const loaded = loadConfig(configFile ?? DEFAULT_CONFIG_FILE);
  const { platform } = loaded.config;
  return {
    keyFile: loaded.resolve(platform.keyFile),
    publicKeyFile: platform.publicKeyFile ? loaded.resolve(platform.publicKeyFile) : undefined,
    signSpec: profileFor(loaded).sign,
  };
}

function configOption(command: Command): string | undefined {
  return command.optsWithGlobals<{ config?: string }>().config;
}

/** Parses `--alg`: sm2, rsa or rsa2, in any case. */
export function parseAlgorithm(value: string): KeyAlgorithm {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'sm2') return 'SM2';
  if (normalized === 'rsa' || normalized === 'rsa2') return 'RSA2';

  throw new OwhError(
    'config',
    bi(`--alg 的值 "${value}" 无效，可选 sm2 或 rsa。`, `invalid --alg value "${value}": use sm2 or rsa.`),
  );
}

export const registerKeysCommand: RegisterCommand = (program, output, setExitCode) => {
  const keys = program
    .command('keys')
    .description(render(bi('生成、显示和检查签名密钥', 'generate, show and check the signing keys')));

  keys
    .command('generate')
    .description(render(bi('生成新的密钥对（私钥权限 0600）并显示备案用公钥', 'generate a new key pair (private key mode 0600) and show the public key to file')))
    .option('--alg <alg>', render(bi('算法：sm2（默认）或 rsa', 'algorithm: sm2 (default) or rsa')))
    .option('--out <dir>', render(bi('输出目录（默认 ./keys）', 'output directory (default ./keys)')), DEFAULT_KEY_DIRECTORY)
    .option('--force', render(bi('覆盖已有的密钥文件', 'overwrite existing key files')))
    .action((flags: KeyFlags & { out: string; force?: boolean }, command: Command) => {
      // A new key pair depends on the config only when one is named explicitly.
      const { algorithm } = resolveKeyOptions(flags, configOption(command), false);
      const files = writeKeyPairFiles(flags.out, algorithm, flags.force === true);

      if (wantsJson(command)) {
        output.out(JSON.stringify({ algorithm, privateKeyFile: files.privateKeyFile, publicKeyFile: files.publicKeyFile, publicKey: renderPublicKeyForms(publicKeyOf(files.key)) }));
        return;
      }

      output.out(render(bi(`已生成 ${algorithm} 密钥对。`, `Generated an ${algorithm} key pair.`)));
      output.out(render(bi(`  私钥：${files.privateKeyFile}（权限 0600，请勿外传或提交到代码仓库）`, `  private key: ${files.privateKeyFile} (mode 0600; never send it or commit it)`)));
      output.out(render(bi(`  公钥：${files.publicKeyFile}`, `  public key: ${files.publicKeyFile}`)));
      output.out('');
      printPublicKeyForms(files.key, output);
    });

  keys
    .command('show-public')
    .description(render(bi('从私钥文件显示备案用公钥', 'show the public key to file, read from the private key file')))
    .option('--key <file>', render(bi(`私钥文件（默认 ${DEFAULT_KEY_FILE}）`, `private key file (default ${DEFAULT_KEY_FILE})`)))
    .option('--alg <alg>', render(bi('算法：sm2（默认）或 rsa', 'algorithm: sm2 (default) or rsa')))
    .action((flags: KeyFlags, command: Command) => {
      // A key named on the command line is all show-public needs.
      const options = resolveKeyOptions(flags, configOption(command), flags.key === undefined);
      const key = loadPrivateKey(options.keyFile, options.algorithm);

      if (wantsJson(command)) {
        output.out(JSON.stringify({ algorithm: key.algorithm, keyFile: options.keyFile, publicKey: renderPublicKeyForms(publicKeyOf(key)) }));
        return;
      }
      printPublicKeyForms(key, output);
    });

  keys
    .command('check')
    .description(render(bi('检查私钥、公钥与算法是否匹配（匹配时退出码 0，否则 7）', 'check that private key, public key and algorithm belong together (exit code 0 if so, 7 if not)')))
    .option('--key <file>', render(bi(`私钥文件（默认 ${DEFAULT_KEY_FILE}）`, `private key file (default ${DEFAULT_KEY_FILE})`)))
    .option('--public <file>', render(bi(`公钥文件（默认 ${DEFAULT_PUBLIC_KEY_FILE}）`, `public key file (default ${DEFAULT_PUBLIC_KEY_FILE})`)))
    .option('--alg <alg>', render(bi('算法：sm2（默认）或 rsa', 'algorithm: sm2 (default) or rsa')))
    .action((flags: KeyFlags, command: Command) => {
      const options = resolveKeyOptions(flags, configOption(command));
      const matches = checkKeyPair(options);

      if (wantsJson(command)) {
        output.out(JSON.stringify({ ok: matches, algorithm: options.algorithm, keyFile: options.keyFile, publicKeyFile: options.publicKeyFile }));
      } else if (matches) {
        output.out(render(bi(
          `密钥匹配：私钥 ${options.keyFile} 与公钥 ${options.publicKeyFile} 属于同一 ${options.algorithm} 密钥对，测试签名验证通过。`,
          `keys match: private key ${options.keyFile} and public key ${options.publicKeyFile} are one ${options.algorithm} key pair, and a probe signature verified.`,
        )));
      } else {
        output.err(render(bi(
          `密钥不匹配：用私钥 ${options.keyFile} 做的测试签名无法用公钥 ${options.publicKeyFile} 验证。请确认备案的公钥来自该私钥（owh-sync keys show-public --key ${options.keyFile}）。`,
          `keys do not match: a probe signed with private key ${options.keyFile} does not verify with public key ${options.publicKeyFile}. Make sure the filed public key comes from this private key (owh-sync keys show-public --key ${options.keyFile}).`,
        )));
      }

      if (!matches) setExitCode(EXIT_CODES.key);
    });
};

/**
 * Signs a probe with the private key and verifies it with the public key,
 * using the profile's sign settings, so a pass means the pair works for
 * real messages, not only that the files parse.
 */
export function checkKeyPair(options: KeyOptions): boolean {
  const privateKey = loadPrivateKey(options.keyFile, options.algorithm);
  const publicKey = loadPublicKey(options.publicKeyFile, options.algorithm);

  const probe = `owh-sync keys check 密钥检查 ${new Date().toISOString()}`;
  const signature = createSigner(options.signSpec, privateKey).sign(probe);
  return createVerifier(options.signSpec, publicKey).verify(probe, signature);
}

function printPublicKeyForms(key: PrivateKeyMaterial, output: CliOutput): void {
  const publicKey = publicKeyOf(key);
  const forms = renderPublicKeyForms(publicKey);

  output.out(render(bi(
    '向平台备案公钥时，请按备案表要求选用下列一种格式（平台未公开接受哪种格式）：',
    'When filing the public key with the platform, use whichever form the filing form asks for (the platform has not published which it accepts):',
  )));
  if (forms.uncompressedHex !== undefined) {
    output.out('');
    output.out(render(bi('未压缩十六进制（04 开头，130 位）：', 'uncompressed hex (starts with 04, 130 digits):')));
    output.out(forms.uncompressedHex);
    output.out(render(bi('去掉 04 前缀（128 位）：', 'without the 04 prefix (128 digits):')));
    output.out(forms.uncompressedHex.slice(2));
  }
  output.out('');
  output.out(render(bi('SPKI base64（一行）：', 'SPKI base64 (one line):')));
  output.out(renderPublicKeySpkiBase64(publicKey));
  output.out('');
  output.out(render(bi('SPKI PEM：', 'SPKI PEM:')));
  output.out(forms.spkiPem.trimEnd());
}

function wantsJson(command: Command): boolean {
  return command.optsWithGlobals<{ json?: boolean }>().json === true;
}

import fs from 'node:fs';
import path from 'node:path';
import { isScalar, visit } from 'yaml';

import { ConfigSchema, type OwhConfig } from './config-schema.js';
import { OwhError } from './errors.js';
import { bi } from './i18n.js';
import { issueToError, locate, parseYamlSource, type YamlSource } from './yaml-source.js';

export const DEFAULT_CONFIG_FILE = 'owh-sync.yaml';

/** A validated config plus where it came from, for resolving relative paths. */
export interface LoadedConfig {
  file: string;
  dir: string;
  config: OwhConfig;
  /** Resolves a path from the config against the config file's folder. */
  resolve(relative: string): string;
}

/**
 * Loads the config file: YAML with positions, `${NAME}` replaced from the
 * environment (for secrets), validated with zod. Every error names the file,
 * line and column, the key, the value and what is allowed.
 */
export function loadConfig(file: string = DEFAULT_CONFIG_FILE, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const absolute = path.resolve(file);
  const text = readConfigText(absolute);
  const source = parseYamlSource(absolute, text);

  // Errors show values as written in the file, so a secret taken from the
  // environment never appears in a message, whatever key it ended up in.
  const asWritten: unknown = source.doc.toJS();
  substituteEnv(source, env);

  const raw: unknown = source.doc.toJS();
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw issueToError(source, asWritten, parsed.error.issues[0], bi('配置文件', 'the config'));
  }

  checkReferences(source, parsed.data);

  const dir = path.dirname(absolute);
  return {
    file: absolute,
    dir,
    config: parsed.data,
    resolve: (relative) => path.resolve(dir, relative),
  };
}

function readConfigText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new OwhError(
      'config',
      bi(
        `无法读取配置文件 ${file}。请用 --config 指定文件，或在当前目录创建 ${DEFAULT_CONFIG_FILE}（可参考 config/examples/）。`,
        `cannot read config file ${file}. Pass --config FILE, or create ${DEFAULT_CONFIG_FILE} in this folder (see config/examples/).`,
      ),
      { cause: error },
    );
  }
}

/**
 * Replaces `${NAME}` in string values with the environment variable, so that
 * passwords never need to be written into the file. `$${` escapes a literal.
 */
function substituteEnv(source: YamlSource, env: NodeJS.ProcessEnv): void {
  visit(source.doc, {
    Scalar(_key, node, ancestry) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;

      node.value = node.value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
        if (match.startsWith('$$')) return match.slice(1);

        const value = env[name];
        if (value === undefined) {
          const keyPath = ancestry
            .filter((item) => 'key' in item && isScalar((item as { key: unknown }).key))
            .map((item) => String(((item as { key: { value: unknown } }).key).value));
          const pos = node.range ? source.lines.linePos(node.range[0]) : { line: 0, col: 0 };
          throw new OwhError(
            'config',
            bi(
              `${source.file}:${pos.line}:${pos.col} 键 ${keyPath.join('.')} 引用的环境变量 ${name} 未设置。请先 export ${name}=... 再运行。`,
              `${source.file}:${pos.line}:${pos.col} key ${keyPath.join('.')} refers to environment variable ${name}, which is not set. Export ${name}=... and run again.`,
            ),
          );
        }
        return value;
      });
    },
  });
}

/** Connection keys the drivers read; a key a typo away from one of these is an error. */
const CONNECTION_KEYS = [
  'host',
  'port',
  'user',
  'password',
  'database',
  'filename',
  'socketPath',
  'ssl',
  'charset',
  'connectTimeout',
  'connectionString',
  'application_name',
  'statement_timeout',
  'query_timeout',
  'keepAlive',
];

/**
 * Rejects a connection key that is a misspelling of a known one
 * (`pasword`, `databse`): the drivers ignore unknown keys, so the typo would
 * otherwise surface as a confusing login or "no database selected" error.
 */
function checkConnectionKeys(source: YamlSource, config: OwhConfig): void {
  for (const [name, entry] of Object.entries(config.sources)) {
    if (typeof entry.connection === 'string') continue;

    for (const key of Object.keys(entry.connection)) {
      if (CONNECTION_KEYS.includes(key)) continue;
      const near = CONNECTION_KEYS.find((known) => editDistance(key.toLowerCase(), known.toLowerCase()) <= 2);
      if (!near) continue;

      const where = locate(source, ['sources', name, 'connection', key]);
      throw new OwhError(
        'config',
        bi(
          `${where} 数据源 ${name} 的连接参数 "${key}" 无法识别，是否想写 "${near}"？驱动会忽略未知参数。`,
          `${where} source ${name} has an unknown connection key "${key}"; did you mean "${near}"? The driver ignores unknown keys.`,
        ),
      );
    }
  }
}

/** Levenshtein distance, for short key names only. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Checks that pipelines name existing sources and that connection keys are spelt right. */
function checkReferences(source: YamlSource, config: OwhConfig): void {
  checkConnectionKeys(source, config);
  const sourceNames = Object.keys(config.sources);

  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    if (!config.sources[pipeline.source]) {
      const where = locate(source, ['pipelines', name, 'source']);
      throw new OwhError(
        'config',
        bi(
          `${where} 管道 ${name} 的 source 值 "${pipeline.source}" 不存在；已定义的数据源：${sourceNames.join(', ') || '（无）'}。`,
          `${where} pipeline ${name} names source "${pipeline.source}", which is not defined; defined sources: ${sourceNames.join(', ') || '(none)'}.`,
        ),
      );
    }
  }
}

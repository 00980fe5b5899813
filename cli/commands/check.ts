import type { Command } from 'commander';

import { loadConfig, type LoadedConfig } from '../../config/config-loader.js';
import { EXIT_CODES, OwhError, type ErrorCategory } from '../../config/errors.js';
import { type Bilingual, bi, render, setLang } from '../../config/i18n.js';
import { createSigner, createVerifier, loadPrivateKey, loadPublicKey } from '../../connectors/platform/index.js';
import { buildPayloadText } from '../../connectors/platform/payload-builder.js';
import { buildPayloadValidator } from '../../connectors/platform/payload-validator.js';
import { createSourceReader, type ReadSpec } from '../../connectors/sources/index.js';
import { compileMapping, loadMapping, runMappingTests } from '../../mappings/index.js';
import { checkMappingTargets, profileFor } from '../../pipelines/run-plan.js';
import type { GlobalOptions } from '../cli-context.js';
import type { RegisterCommand } from './index.js';

interface CheckResult {
  name: Bilingual;
  ok: boolean;
  detail?: string;
  category?: ErrorCategory;
}

/**
 * `owh-sync check`: everything a run needs, tried without sending data:
 * config, profile, keys, each source's connection, each mapping with its
 * fixtures, and whether the platform endpoint responds at all.
 */
export const registerCheckCommand: RegisterCommand = (program, output, setExitCode) => {
  program
    .command('check')
    .description(render(bi('检查配置、平台配置档、密钥、数据源、映射和平台地址，不发送数据', 'check config, profile, keys, sources, mappings and the platform endpoint without sending data')))
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const loaded = loadConfig(globals.config);
      if (loaded.config.lang && !globals.lang) setLang(loaded.config.lang);

      const results = await runChecks(loaded);
      if (globals.json) {
        output.out(JSON.stringify(results.map((r) => ({ ...r, name: render(r.name) })), null, 2));
      } else {
        const separator = render(bi('：', ': '));
        for (const result of results) {
          const detail = result.detail ? `${separator}${result.detail}` : '';
          output.out(`${result.ok ? '✓' : '✗'} ${render(result.name)}${detail}`);
        }
      }

      const failed = results.find((r) => !r.ok);
      setExitCode(failed ? EXIT_CODES[failed.category ?? 'config'] : 0);
    });
};

async function runChecks(loaded: LoadedConfig): Promise<CheckResult[]> {
  const { config } = loaded;
  const results: CheckResult[] = [{ name: bi(`配置文件 ${loaded.file}`, `config file ${loaded.file}`), ok: true }];

  const profile = attempt(results, bi('平台配置档', 'platform profile'), () => {
    const loadedProfile = profileFor(loaded);
    return { value: loadedProfile, detail: `${loadedProfile.profileId} ${loadedProfile.profileVersion}` };
  });
  if (!profile) return results;

  attempt(results, bi('签名密钥', 'signing key'), () => {
    const key = loadPrivateKey(loaded.resolve(config.platform.keyFile), profile.sign.algorithm);
    const signer = createSigner(profile.sign, key);
    const signature = signer.sign('owh-sync check');

    if (config.platform.publicKeyFile) {
      const publicKey = loadPublicKey(loaded.resolve(config.platform.publicKeyFile), profile.sign.algorithm);
      if (!createVerifier(profile.sign, publicKey).verify('owh-sync check', signature)) {
        throw new OwhError('key', bi('私钥与 platform.publicKeyFile 中的公钥不匹配', 'the private key does not match platform.publicKeyFile'));
      }
    }
    return { value: true, detail: profile.sign.algorithm };
  }, 'key');

  attempt(results, bi('企业信息（报文头）', 'enterprise (payload header)'), () => {
    const header = JSON.parse(buildPayloadText(profile, config.enterprise, 'add', [])) as Record<string, unknown>;
    // The probe header carries no records, so problems about the record list do not count.
    const recordsField = profile.payload.fieldNames.records;
    const problems = buildPayloadValidator(profile)
      .validateHeader(header)
      .filter((problem) => problem.path !== recordsField && !problem.path.startsWith(`${recordsField}[`));
    if (problems.length > 0) {
      throw new OwhError(
        'config',
        bi(problems.map((p) => p.message['zh-CN']).join('；'), problems.map((p) => p.message.en).join('; ')),
      );
    }
    return { value: true, detail: config.enterprise.name };
  });

  for (const [name, source] of Object.entries(config.sources)) {
    const label = bi(`数据源 ${name}`, `source ${name}`);
    try {
      const connection =
        typeof source.connection !== 'string' && typeof source.connection.filename === 'string'
          ? { ...source.connection, filename: loaded.resolve(source.connection.filename) }
          : source.connection;
      const reader = createSourceReader({ id: name, ...source, connection });
      try {
        const snapshot = await reader.snapshot();
        await snapshot.release();
      } finally {
        await reader.close();
      }
      results.push({ name: label, ok: true, detail: source.client });
    } catch (error) {
      results.push({ name: label, ok: false, detail: describe(error), category: 'source-unreachable' });
    }
  }

  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    attempt(results, bi(`管道 ${name} 的映射 ${pipeline.mapping}`, `pipeline ${name} mapping ${pipeline.mapping}`), () => {
      const file = loadMapping(loaded.resolve(pipeline.mapping));
      checkMappingTargets(file, profile, name);
      const kind = profile.kinds[file.kind];

      const sourceZone = config.sources[pipeline.source].timezone;
      compileMapping(file, { sourceZone, targetZone: profile.envelope.timestamp.zone, pipeline: name, recordKey: kind.recordKey });

      const tests = runMappingTests(file, { sourceZone, targetZone: profile.envelope.timestamp.zone, recordKey: kind.recordKey });
      const failedTests = tests.filter((t) => !t.passed);
      if (failedTests.length > 0) {
        const zh = failedTests.map((t) => `${t.name}（${t.failures.map((f) => f['zh-CN']).join('；')}）`).join('，');
        const en = failedTests.map((t) => `${t.name} (${t.failures.map((f) => f.en).join('; ')})`).join(', ');
        throw new OwhError('config', bi(`映射测试失败：${zh}`, `mapping tests failed: ${en}`));
      }
      return { value: true, detail: `${file.kind}, ${render(bi(`${tests.length} 个测试通过`, `${tests.length} tests passed`))}` };
    });
  }

  // Reading one row per pipeline proves the table, key, cursor and filter
  // exist, which a connection check alone does not.
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    const label = bi(`管道 ${name} 读取一行`, `pipeline ${name} reads one row`);
    try {
      const file = loadMapping(loaded.resolve(pipeline.mapping));
      const sourceEntry = config.sources[pipeline.source];
      const mapping = compileMapping(file, {
        sourceZone: sourceEntry.timezone,
        targetZone: profile.envelope.timestamp.zone,
        pipeline: name,
        recordKey: profile.kinds[file.kind]?.recordKey,
      });
      const rows = await readOneRow(loaded, pipeline.source, { ...mapping.source, pageSize: 1, commitLagSeconds: pipeline.commitLagSeconds });
      results.push({ name: label, ok: true, detail: render(bi(rows === 0 ? '表中暂无数据' : '成功', rows === 0 ? 'the table has no rows yet' : 'ok')) });
    } catch (error) {
      results.push({ name: label, ok: false, detail: describe(error), category: error instanceof OwhError ? error.category : 'source-unreachable' });
    }
  }

  const endpointLabel = bi(`平台地址 ${config.platform.endpoint}`, `platform endpoint ${config.platform.endpoint}`);
  try {
    // Any HTTP response shows the endpoint is reachable, so only network errors fail here.
    const response = await fetch(config.platform.endpoint, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    results.push({ name: endpointLabel, ok: true, detail: `HTTP ${response.status}` });
  } catch (error) {
    results.push({ name: endpointLabel, ok: false, detail: describe(error), category: 'platform-unreachable' });
  }
  return results;
}

/** Reads the first page of one row of a pipeline's source read; returns the row count. */
async function readOneRow(loaded: LoadedConfig, sourceName: string, spec: ReadSpec): Promise<number> {
  const source = loaded.config.sources[sourceName];
  const connection =
    typeof source.connection !== 'string' && typeof source.connection.filename === 'string'
      ? { ...source.connection, filename: loaded.resolve(source.connection.filename) }
      : source.connection;
  const reader = createSourceReader({ id: sourceName, ...source, connection });

  try {
    const snapshot = await reader.snapshot();
    try {
      const upper = await snapshot.upperBound(spec);
      if (upper === null) return 0;
      const pages = snapshot.readPages(spec, { from: null, upper });
      const first = await pages.next();
      await pages.return(undefined);
      return first.done ? 0 : first.value.rows.length;
    } finally {
      await snapshot.release();
    }
  } finally {
    await reader.close();
  }
}

function attempt<T>(
  results: CheckResult[],
  name: Bilingual,
  body: () => { value: T; detail?: string },
  category: ErrorCategory = 'config',
): T | undefined {
  try {
    const { value, detail } = body();
    results.push({ name, ok: true, detail });
    return value;
  } catch (error) {
    results.push({ name, ok: false, detail: describe(error), category: error instanceof OwhError ? error.category : category });
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof OwhError) return error.localized();
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
  return String(error);
}

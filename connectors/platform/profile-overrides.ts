import { OwhError } from '../../config/errors.js';
import { bi } from '../../config/i18n.js';

/**
 * Applies user overrides to a parsed profile document (in place).
 *
 * - A dotted key (`'sign.encoding'`, `'kinds.goods.fields.sku.maxLength'`)
 *   sets exactly that value: an object given this way replaces what was there,
 *   which is how a whole code list is swapped (`'codeLists.country'`).
 * - A key without a dot whose value is an object is merged into the object
 *   already there, recursively; arrays and scalars replace.
 *
 * Returns the dotted paths that overrides touched, so that validation errors
 * show that a bad value came from an override and not from the file.
 */
export function applyOverrides(target: Record<string, unknown>, overrides: Record<string, unknown>, file: string): string[] {
  const touched: string[] = [];

  for (const [key, value] of Object.entries(overrides)) {
    const segments = key.split('.');
    for (const segment of segments) checkSegment(segment, key, file);

    if (segments.length > 1) {
      setAt(target, segments, value, key, file);
      touched.push(key);
      continue;
    }

    mergeInto(target, key, value, key, touched);
  }
  return touched;
}

// Keys that would reach Object.prototype instead of the profile.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

function checkSegment(segment: string, key: string, file: string): void {
  if (segment !== '' && !FORBIDDEN_SEGMENTS.has(segment)) return;

  throw new OwhError(
    'config',
    bi(
      `platform.profileOverrides 中的键 "${key}" 无效：含空段或保留名 "${segment}"（配置文件 ${file}）。请写成如 sign.encoding 的点分键。`,
      `invalid key "${key}" in platform.profileOverrides: it has an empty or reserved segment "${segment}" (profile ${file}). Write a dotted key such as sign.encoding.`,
    ),
    { details: { file, key } },
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setAt(target: Record<string, unknown>, segments: string[], value: unknown, key: string, file: string): void {
  let container: Record<string, unknown> | unknown[] = target;

  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const next: unknown = readChild(container, segment);

    if (next === undefined) {
      const created: Record<string, unknown> = {};
      writeChild(container, segment, created);
      container = created;
      continue;
    }

    if (typeof next !== 'object' || next === null) {
      const parent = segments.slice(0, i + 1).join('.');
      throw new OwhError(
        'config',
        bi(
          `platform.profileOverrides 的键 "${key}" 无法应用：${parent} 的值 ${JSON.stringify(next)} 不是对象（配置文件 ${file}）。请检查键的拼写。`,
          `cannot apply platform.profileOverrides key "${key}": ${parent} is ${JSON.stringify(next)}, not an object (profile ${file}). Check the key's spelling.`,
        ),
        { details: { file, key, parent } },
      );
    }
    container = next as Record<string, unknown> | unknown[];
  }

  writeChild(container, segments[segments.length - 1]!, value);
}

function readChild(container: Record<string, unknown> | unknown[], segment: string): unknown {
  if (Array.isArray(container)) return /^\d+$/.test(segment) ? container[Number(segment)] : undefined;
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function writeChild(container: Record<string, unknown> | unknown[], segment: string, value: unknown): void {
  // A non-index segment on an array ends up as an unknown key, which the schema then reports.
  if (Array.isArray(container) && /^\d+$/.test(segment)) container[Number(segment)] = value;
  else (container as Record<string, unknown>)[segment] = value;
}

function mergeInto(target: Record<string, unknown>, key: string, value: unknown, path: string, touched: string[]): void {
  const current = Object.hasOwn(target, key) ? target[key] : undefined;

  if (!isPlainObject(value) || !isPlainObject(current)) {
    target[key] = value;
    touched.push(path);
    return;
  }

  for (const [childKey, childValue] of Object.entries(value)) {
    if (FORBIDDEN_SEGMENTS.has(childKey)) continue;
    mergeInto(current, childKey, childValue, `${path}.${childKey}`, touched);
  }
}

import { parseJsonText } from './value-converters.js';

/** One step of a JSON path: an object key or an array index. */
export type PathStep = string | number;

/**
 * Parses a path such as `zh_CN`, `detail[0].fee` or `"1"` into steps. Returns
 * undefined for a malformed path, so the compiler can report it with its line.
 */
export function parseJsonPath(text: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  const pattern = /\.?([^.[\]]+)|\[(\d+)\]/gy;
  let match: RegExpExecArray | null;
  let end = 0;

  while ((match = pattern.exec(text)) !== null) {
    if (match[1] !== undefined) steps.push(match[1]);
    else steps.push(Number(match[2]));
    end = pattern.lastIndex;
  }
  return end === text.length && steps.length > 0 ? steps : undefined;
}

/** Follows the steps through a JSON value or JSON text; a missing step gives undefined. */
export function readJsonPath(value: unknown, steps: PathStep[]): { ok: true; value: unknown } | { ok: false } {
  const parsed = parseJsonText(value);
  if (!parsed.ok) return parsed;

  let current = parsed.value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return { ok: true, value: undefined };
    if (typeof step === 'number') {
      current = Array.isArray(current) ? current[step] : undefined;
    } else {
      current = Object.hasOwn(current, step) ? (current as Record<string, unknown>)[step] : undefined;
    }
  }
  return { ok: true, value: current };
}

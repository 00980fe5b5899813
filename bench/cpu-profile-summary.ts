import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and sums the
 * sampled self time per function and per code area (a repository folder, an
 * npm package, Node internals or a V8 pseudo-frame such as the garbage
 * collector).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CostLine {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  byArea: CostLine[];
  byFunction: CostLine[];
}

/** Names the code area of a script URL: `npm:<package>`, a repository folder, `node:internal` or a V8 frame. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';

  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) return 'node:internal';

  const repoPath = url.replace(/^file:\/\//, '');
  const parts = repoPath.split('/');
  const root = parts.findIndex((part) => ['pipelines', 'connectors', 'mappings', 'config', 'bench', 'cli'].includes(part));
  if (root < 0) return path.basename(repoPath);
  return parts[root] === 'connectors' ? parts.slice(root, root + 2).join('/') : parts[root]!;
}

function top(costs: Map<string, number>, totalMs: number, limit: number): CostLine[] {
  return [...costs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Math.round((ms / totalMs) * 1000) / 10 }));
}

export function summarizeCpuProfile(file: string, limit = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;

  for (let index = 0; index < profile.samples.length; index++) {
    const node = nodes.get(profile.samples[index]!);
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    if (!node) continue;

    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    totalMs += ms;
    byArea.set(area, (byArea.get(area) ?? 0) + ms);

    const where = url ? `${areaOf(url, functionName)}:${path.basename(url)}:${lineNumber + 1}` : area;
    const name = `${functionName || '(anonymous)'} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }

  return { totalMs: Math.round(totalMs), byArea: top(byArea, totalMs, limit), byFunction: top(byFunction, totalMs, limit) };
}

/** Returns the newest `.cpuprofile` file in a folder, if any. */
export function newestCpuProfile(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name));
  return files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

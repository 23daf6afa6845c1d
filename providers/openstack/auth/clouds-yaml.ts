/**
 * Finding and reading clouds.yaml and secure.yaml the way openstacksdk's config loader does:
 * the file named by an environment variable first, then the current directory, the user's
 * config directory and the system one; the first file that exists is the only one read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ConfigDirs {
  cwd?: string;
  home?: string;
  /** The system directory, /etc/openstack unless a test moves it. */
  systemDir?: string;
}

/** One cloud's entry, as written (nested `auth`, plus top-level options). */
export type CloudEntry = Record<string, unknown>;

export interface CloudsFile {
  /** The file read, if any was found. */
  file: string | undefined;
  /** Every place looked, in order, for messages. */
  looked: string[];
  clouds: Record<string, CloudEntry>;
  /** A file that exists but could not be read or parsed. */
  problem?: string;
}

const EXTENSIONS = ['yaml', 'yml', 'json'];

/** The candidate paths for `clouds` or `secure`, in openstacksdk's order. */
export function candidatePaths(kind: 'clouds' | 'secure', env: Record<string, string | undefined>, dirs: ConfigDirs = {}): string[] {
  const home = dirs.home ?? env.HOME ?? homedir();
  const searchDirs = [dirs.cwd ?? process.cwd(), join(home, '.config', 'openstack'), dirs.systemDir ?? '/etc/openstack'];
  const named = kind === 'clouds' ? env.OS_CLIENT_CONFIG_FILE : env.OS_CLIENT_SECURE_FILE;
  const paths = named ? [named] : [];
  for (const dir of searchDirs) for (const ext of EXTENSIONS) paths.push(join(dir, `${kind}.${ext}`));
  return paths;
}

export function readCloudsFile(kind: 'clouds' | 'secure', env: Record<string, string | undefined>, dirs: ConfigDirs = {}): CloudsFile {
  const paths = candidatePaths(kind, env, dirs);
  const looked = paths.filter((p) => p.endsWith('.yaml') || p === paths[0]);
  const file = paths.find((p) => existsSync(p));
  if (!file) return { file: undefined, looked, clouds: {} };
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { file, looked, clouds: {}, problem: `cannot read ${file}: ${(e as Error).message.split('\n')[0]}; fix the file or point ${kind === 'clouds' ? 'OS_CLIENT_CONFIG_FILE' : 'OS_CLIENT_SECURE_FILE'} at another one` };
  }
  const clouds = isRecord(doc) && isRecord(doc.clouds) ? doc.clouds : undefined;
  if (doc !== null && doc !== undefined && !clouds) {
    return { file, looked, clouds: {}, problem: `${file} has no "clouds:" mapping; write each cloud under a top-level "clouds:" key` };
  }
  const out: Record<string, CloudEntry> = {};
  for (const [name, entry] of Object.entries(clouds ?? {})) if (isRecord(entry)) out[name] = entry;
  return { file, looked, clouds: out };
}

/** secure.yaml's entries laid over clouds.yaml's, key by key (nested `auth` merged too). */
export function mergeEntries(base: CloudEntry, over: CloudEntry): CloudEntry {
  const out: CloudEntry = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isRecord(prev) && isRecord(v) ? mergeEntries(prev, v) : v;
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

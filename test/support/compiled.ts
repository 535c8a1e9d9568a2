/**
 * Child processes cannot run TypeScript (jest's ts-jest transform lives only inside jest), so tests that
 * spawn children compile every `test/**\/*.child.ts` entry (and what it imports) with tsc into `dist-test/`
 * once, and run the JavaScript. Safe when several jest workers call it at once: one compiles under a lock
 * file, the others wait and reuse the output; a fingerprint of the sources' paths and mtimes skips tsc
 * when nothing changed since the last compile.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = process.cwd();
export const COMPILED_DIR = path.join(ROOT, 'dist-test');
const SOURCE_DIRS = ['src', 'contracts', 'projections', 'test'];
const LOCK_FILE = path.join(COMPILED_DIR, '.compile.lock');
const FINGERPRINT_FILE = path.join(COMPILED_DIR, '.fingerprint');
const STALE_LOCK_MS = 5 * 60_000;

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full, out);
    } else if (entry.name.endsWith('.ts')) out.push(full);
  }
}

function sources(): string[] {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir), files);
  return files.sort();
}

function fingerprint(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}:${statSync(file).mtimeMs}\n`);
  return hash.digest('hex');
}

/** The compiled JavaScript path of a TypeScript file of the repository, e.g. `test/x/y.child.ts`. */
export function compiledPath(tsPath: string): string {
  return path.join(COMPILED_DIR, tsPath.replace(/\.ts$/, '.js'));
}

let compiled: Promise<void> | undefined;

/** Compiles the child entries once per test run (and per worker, cheaply when another worker did it). */
export function ensureCompiled(): Promise<void> {
  compiled ??= compileUnderLock().catch((error: unknown) => {
    compiled = undefined;
    throw error;
  });
  return compiled;
}

async function compileUnderLock(): Promise<void> {
  await mkdir(COMPILED_DIR, { recursive: true });
  const release = await lock();
  try {
    const files = sources();
    const wanted = fingerprint(files);
    const have = await readFile(FINGERPRINT_FILE, 'utf8').catch(() => '');
    const entries = files.filter((f) => f.endsWith('.child.ts')).map((f) => path.relative(ROOT, f));
    if (have === wanted && entries.every((e) => existsSync(compiledPath(e)))) return;
    await writeFile(
      path.join(COMPILED_DIR, 'tsconfig.json'),
      JSON.stringify(
        {
          extends: '../tsconfig.json',
          compilerOptions: {
            rootDir: '..',
            outDir: '.',
            noEmit: false,
            sourceMap: false,
            types: ['node'],
            incremental: true,
            tsBuildInfoFile: './.tsbuildinfo',
          },
          files: entries.map((e) => `../${e}`),
          include: [],
        },
        null,
        2,
      ),
    );
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', COMPILED_DIR], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const missing = entries.filter((e) => !existsSync(compiledPath(e)));
    if (missing.length > 0 || tsc.error) {
      throw new Error(`tsc did not produce ${missing.join(', ')}:\n${tsc.stdout}${tsc.stderr}${tsc.error ?? ''}`);
    }
    // Type errors elsewhere in the tree do not stop the children from running; they are reported here.
    if (tsc.status !== 0) process.stderr.write(`ensureCompiled: tsc reported errors (output emitted anyway):\n${tsc.stdout}`);
    await writeFile(FINGERPRINT_FILE, wanted);
  } finally {
    await release();
  }
}

async function lock(): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(LOCK_FILE, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(LOCK_FILE, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(LOCK_FILE).catch(() => undefined);
      const holder = Number((await readFile(LOCK_FILE, 'utf8').catch(() => '')).trim());
      const holderDead = holder > 0 && !isAlive(holder);
      if (info && (holderDead || Date.now() - info.mtimeMs > STALE_LOCK_MS)) await rm(LOCK_FILE, { force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

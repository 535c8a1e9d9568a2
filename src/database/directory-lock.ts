import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export interface DirectoryLock {
  release(): Promise<void>;
}

/**
 * PGlite has no postmaster to stop a second process from opening the same data directory, which would
 * corrupt it. A lock file holding our pid does that job; a file left by a dead process is taken over.
 */
export async function acquireDirectoryLock(dir: string): Promise<DirectoryLock> {
  const file = path.join(dir, 'lessonloop.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`The data directory ${dir} is in use by another lessonloop process (pid ${owner})`);
      }
      if (owner === process.pid) {
        throw new Error(`The data directory ${dir} is already open in this process`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

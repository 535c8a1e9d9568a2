import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** A path a client asked the server to import that is not a folder under the import root. */
export class ImportPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportPathError';
  }
}

/**
 * The folder `requested` names on the server's machine, if it is a folder inside `root` (LESSONLOOP_IMPORT_ROOT,
 * default the server's working directory). Links are resolved first, so none leads outside.
 */
export async function folderUnderRoot(root: string, requested: unknown): Promise<string> {
  if (typeof requested !== 'string' || requested.trim() === '' || requested.length > 4096) throw new ImportPathError('path: a folder path is required');
  const realRoot = await realpath(path.resolve(root)).catch(() => {
    throw new ImportPathError(`the import root ${root} does not exist on the server (LESSONLOOP_IMPORT_ROOT)`);
  });
  const resolved = await realpath(path.resolve(realRoot, requested)).catch(() => {
    throw new ImportPathError(`${requested} does not exist on the server`);
  });
  if (resolved !== realRoot && !resolved.startsWith(realRoot + path.sep)) {
    throw new ImportPathError(`${requested} is outside the server's import root ${realRoot} (LESSONLOOP_IMPORT_ROOT)`);
  }
  if (!(await stat(resolved)).isDirectory()) throw new ImportPathError(`${requested} is not a directory`);
  return resolved;
}

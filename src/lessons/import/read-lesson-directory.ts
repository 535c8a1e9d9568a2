/** Every lesson file under a folder, in path order, with its text and last modification time. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isLessonFilePath } from '../gptme/lesson-file.js';

export interface LessonFileOnDisk {
  /** Relative to the root, `/`-separated. */
  path: string;
  text: string;
  modifiedAt: Date;
}

export async function readLessonDirectory(root: string): Promise<LessonFileOnDisk[]> {
  const relativePaths: string[] = [];
  await walk(root, '', relativePaths);
  relativePaths.sort();
  return Promise.all(
    relativePaths.map(async (relative) => {
      const absolute = path.join(root, ...relative.split('/'));
      const [text, info] = await Promise.all([readFile(absolute, 'utf8'), stat(absolute)]);
      return { path: relative, text, modifiedAt: info.mtime };
    }),
  );
}

async function walk(root: string, relative: string, out: string[]): Promise<void> {
  const entries = await readdir(path.join(root, ...relative.split('/').filter(Boolean)), { withFileTypes: true });
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(root, child, out);
    } else if (entry.isFile() && isLessonFilePath(child)) {
      out.push(child);
    }
  }
}

/**
 * The little of git the history replay needs, through the git CLI (execFile, no shell): the first-parent
 * commits touching a folder, each commit's changes with rename detection, and file contents by blob id.
 */
import { execFile, spawn } from 'node:child_process';

export interface GitCommit {
  sha: string;
  /** The first parent; null for a root commit. */
  parent: string | null;
  /** Committer date (strict ISO-8601 from git). */
  committedAt: string;
  authorName: string;
  authorEmail: string;
  subject: string;
}

export type GitChangeStatus = 'A' | 'C' | 'D' | 'M' | 'R' | 'T';

export interface GitFileChange {
  status: GitChangeStatus;
  /** Set for D, M, T, R, C: the path before. */
  oldPath: string | null;
  /** Set for A, M, T, R, C: the path after. */
  newPath: string | null;
  /** Blob of the file after the commit (null for D). */
  newBlob: string | null;
}

export class GitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitError';
  }
}

const MAX_BUFFER = 512 * 1024 * 1024;
const FIELD = '\x1f';
const RECORD = '\x1e';

function git(repo: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', repo, '-c', 'core.quotepath=off', ...args], { maxBuffer: MAX_BUFFER, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new GitError(`git ${args[0]} failed in ${repo}: ${(stderr || error.message).trim()}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

/** The repository's top folder; throws GitError when `dir` is not inside a work tree. */
export async function gitTopLevel(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
}

/** First-parent commits of HEAD that touch `pathspec` (the whole repository when empty), oldest first. */
export async function listCommits(repo: string, pathspec = ''): Promise<GitCommit[]> {
  const format = ['%H', '%P', '%cI', '%an', '%ae', '%s'].join('%x1f') + '%x1e';
  let output: string;
  try {
    output = await git(repo, ['log', '--first-parent', '--reverse', `--format=${format}`, 'HEAD', '--', pathspec || '.']);
  } catch (error) {
    if (/does not have any commits|unknown revision/.test((error as Error).message)) return [];
    throw error;
  }
  return output
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const [sha, parents, committedAt, authorName, authorEmail, subject] = record.split(FIELD) as [string, string, string, string, string, string];
      return { sha, parent: parents.split(' ').filter(Boolean)[0] ?? null, committedAt, authorName, authorEmail, subject: subject ?? '' };
    });
}

/** What the commit changed against its first parent, renames detected (`-M`), limited to `pathspec`. */
export async function commitChanges(repo: string, commit: GitCommit, pathspec = ''): Promise<GitFileChange[]> {
  const range = commit.parent ? [commit.parent, commit.sha] : ['--root', commit.sha];
  const output = await git(repo, ['diff-tree', '-r', '-z', '-M', '--raw', '--no-commit-id', ...range, '--', pathspec || '.']);
  const tokens = output.split('\0');
  const changes: GitFileChange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith(':')) continue;
    // :<old mode> <new mode> <old blob> <new blob> <status><score>
    const [, , , newBlob, statusField] = token.slice(1).split(' ') as [string, string, string, string, string];
    const status = statusField[0] as GitChangeStatus;
    if (status === 'R' || status === 'C') {
      changes.push({ status, oldPath: tokens[i + 1]!, newPath: tokens[i + 2]!, newBlob });
      i += 2;
    } else {
      const filePath = tokens[i + 1]!;
      changes.push({
        status,
        oldPath: status === 'A' ? null : filePath,
        newPath: status === 'D' ? null : filePath,
        newBlob: status === 'D' ? null : newBlob,
      });
      i += 1;
    }
  }
  return changes;
}

/** Contents of blobs (UTF-8), read with one `git cat-file --batch`. */
export function readBlobs(repo: string, blobs: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(blobs)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => reject(new GitError(`git cat-file could not start: ${error.message}`, { cause: error })));
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file failed in ${repo}: ${stderr.trim()}`));
      try {
        resolve(parseBatch(Buffer.concat(chunks), unique));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(unique.join('\n') + '\n');
  });
}

function parseBatch(output: Buffer, requested: readonly string[]): Map<string, string> {
  const contents = new Map<string, string>();
  let offset = 0;
  for (const blob of requested) {
    const headerEnd = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8');
    const [id, type, size] = header.split(' ');
    if (type !== 'blob' || id === undefined || size === undefined) throw new GitError(`git cat-file: ${blob} is not a blob (${header})`);
    const start = headerEnd + 1;
    const end = start + Number(size);
    contents.set(blob, output.subarray(start, end).toString('utf8'));
    offset = end + 1;
  }
  return contents;
}

/** A real git repository in a temp folder for replay specs, with fixed authors and dates (no user config). */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface CommitOptions {
  author: string;
  email: string;
  /** ISO instant; author and committer date. */
  at: string;
}

export interface TempRepo {
  dir: string;
  write(relative: string, text: string): Promise<void>;
  git(...args: string[]): Promise<string>;
  /** Stages everything and commits; returns the new commit's sha. */
  commit(subject: string, options: CommitOptions): Promise<string>;
  remove(): Promise<void>;
}

export async function createTempRepo(): Promise<TempRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-git-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(dir, '.no-global-gitconfig'),
  };
  const git = (extra: NodeJS.ProcessEnv, ...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('git', args, { cwd: dir, env: { ...env, ...extra } }, (error, stdout, stderr) => (error ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
    });
  await git({}, 'init', '-q', '-b', 'main');
  return {
    dir,
    async write(relative, text) {
      await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
      await writeFile(path.join(dir, relative), text);
    },
    git: (...args) => git({}, ...args),
    async commit(subject, { author, email, at }) {
      await git({}, 'add', '-A');
      await git(
        {
          GIT_AUTHOR_NAME: author,
          GIT_AUTHOR_EMAIL: email,
          GIT_AUTHOR_DATE: at,
          GIT_COMMITTER_NAME: author,
          GIT_COMMITTER_EMAIL: email,
          GIT_COMMITTER_DATE: at,
        },
        'commit',
        '-q',
        '--no-gpg-sign',
        '-m',
        subject,
      );
      return (await git({}, 'rev-parse', 'HEAD')).trim();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

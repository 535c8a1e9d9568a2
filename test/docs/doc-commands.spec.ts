import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../../src/cli/run-cli.js';
import { documentedMentions, resolveCommand as resolve } from './support/documented-commands.js';
import { documentationFiles, npmScriptsOf, readDoc, ROOT } from './support/markdown-docs.js';

/** Runs `lessonloop <path> --help` in process; returns its exit code and what it printed. */
async function help(commandPath: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((text: string | Uint8Array) => {
    chunks.push(String(text));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await runCli(['node', 'lessonloop', ...commandPath, '--help'], { write: (t: string) => chunks.push(t) });
    return { code, out: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

describe('commands shown in the documentation', () => {
  const program = buildProgram();
  const resolved = documentedMentions(program);
  const paths = [...new Set(resolved.filter((r) => !r.problem).map((r) => r.path.join(' ')))].sort();

  it('names only commands the CLI has', () => {
    expect(resolved.filter((r) => r.problem).map((r) => `${r.file}: ${r.words.join(' ')}: ${r.problem}`)).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['import results', 'import lessons', 'serve', 'trends']));
  });

  it('tells a command that does not exist', () => {
    expect(resolve(program, ['import', 'nothing']).problem).toBe("no command 'import nothing'");
    expect(resolve(program, ['frobnicate']).problem).toBe("no command 'frobnicate'");
  });

  it('has --help succeed for each distinct command path', async () => {
    for (const commandPath of paths) {
      const { code, out } = await help(commandPath.split(' '));
      expect({ commandPath, code }).toEqual({ commandPath, code: 0 });
      expect(out).toContain(`Usage: lessonloop ${commandPath}`);
    }
  });

  it('names only npm scripts package.json has', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
    const shown = documentationFiles().flatMap((file) => npmScriptsOf(readDoc(file)).map((s) => ({ file, s })));
    expect(shown.length).toBeGreaterThan(3);
    const exists = (shownName: string) => {
      const pattern = new RegExp(`^${shownName.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+')}$`);
      return scripts.some((name) => pattern.test(name));
    };
    expect(exists('bench:*')).toBe(true);
    expect(exists('bench:nothing')).toBe(false);
    expect(shown.filter(({ s }) => !exists(s)).map(({ file, s }) => `${file}: npm run ${s}`)).toEqual([]);
  });
});

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root: jest runs from it (as the other specs that read files assume). */
export const ROOT = process.cwd();

/** The documentation the link and command checks cover: README.md, docs/**\/*.md, bench/README.md. */
export function documentationFiles(): string[] {
  const files = ['README.md', 'bench/README.md'].filter((f) => existsSync(path.join(ROOT, f)));
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(rel);
      return entry.name.endsWith('.md') ? [rel] : [];
    });
  if (existsSync(path.join(ROOT, 'docs'))) files.push(...walk('docs'));
  return files;
}

export function readDoc(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

/** The text of fenced code blocks and inline code spans: where docs show commands. */
export function codeOf(markdown: string): string[] {
  const fences = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fences, ...spans];
}

/** The markdown without code (fences and spans), so that links and headings are read from prose only. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '').replace(/`[^`\n]+`/g, 'code');
}

export interface DocLink {
  file: string;
  target: string;
}

/** Inline links and images `[text](target)` and reference definitions `[id]: target`, outside code. */
export function linksOf(file: string, markdown: string): DocLink[] {
  const text = withoutCode(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  const references = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)].map((m) => m[1]);
  return [...inline, ...references].map((target) => ({ file, target }));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats suffixed -1, -2... */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  for (const m of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Why a relative link does not resolve, or null when it does (external links are not checked). */
export function brokenReason(link: DocLink): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return null;
  const [rawPath, anchor] = link.target.split('#', 2);
  const targetPath = decodeURIComponent(rawPath);
  const resolved = targetPath === '' ? path.join(ROOT, link.file) : path.resolve(ROOT, path.dirname(link.file), targetPath);
  if (!resolved.startsWith(ROOT + path.sep)) return `${link.target} points outside the repository`;
  if (!existsSync(resolved)) return `${link.target}: ${path.relative(ROOT, resolved)} does not exist`;
  if (anchor === undefined || anchor === '') return null;
  if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) return `${link.target}: an anchor into a non-markdown file`;
  const anchors = anchorsOf(readFileSync(resolved, 'utf8'));
  return anchors.has(decodeURIComponent(anchor)) ? null : `${link.target}: no heading #${anchor} in ${path.relative(ROOT, resolved)}`;
}

/**
 * The command words after each `lessonloop` / `node dist/src/cli/main.js` shown in code, e.g. `lessonloop import
 * results <dir>` gives ['import', 'results']: the words before the first argument, option or placeholder.
 */
export function cliMentionsOf(markdown: string): string[][] {
  const mentions: string[][] = [];
  for (const code of codeOf(markdown)) {
    for (const m of code.matchAll(/(?:^|[\s(])(?:npx\s+)?(?:lessonloop|node\s+dist\/src\/cli\/main\.js)[ \t]+([^\n|;&]*)/g)) {
      const words: string[] = [];
      for (const token of m[1].trim().split(/\s+/)) {
        if (!/^[a-z][a-z-]*$/.test(token)) break;
        words.push(token);
      }
      if (words.length > 0) mentions.push(words);
    }
  }
  return mentions;
}

/** The npm scripts shown in code as `npm run <script>` (`bench:*` stands for every script it matches). */
export function npmScriptsOf(markdown: string): string[] {
  return codeOf(markdown).flatMap((code) => [...code.matchAll(/\bnpm run ([a-z][\w:*-]*)/g)].map((m) => m[1]));
}

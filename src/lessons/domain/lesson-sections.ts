/** The parts of a gptme lesson's markdown: its title and its `## Rule` / `## Context` / ... sections. */

export const LESSON_SECTIONS = ['rule', 'context', 'detection', 'pattern', 'outcome'] as const;
export type LessonSectionName = (typeof LESSON_SECTIONS)[number];
export type LessonSections = Partial<Record<LessonSectionName, string>>;

interface Heading {
  level: number;
  text: string;
  line: number;
}

/** ATX headings outside fenced code blocks (a `# comment` in a bash block is not a heading). */
function headings(lines: readonly string[]): Heading[] {
  const found: Heading[] = [];
  let fence: string | null = null;
  lines.forEach((line, index) => {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (opener) {
      const marker = opener[1]!;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      return;
    }
    if (fence !== null) return;
    const heading = /^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/.exec(line);
    if (heading) found.push({ level: heading[1]!.length, text: heading[2]!.trim(), line: index });
  });
  return found;
}

/** The text of the first `# ` heading, or null (gptme then calls the lesson "Untitled"). */
export function lessonTitle(markdown: string): string | null {
  const first = headings(markdown.split(/\r?\n/)).find((h) => h.level === 1);
  return first ? first.text : null;
}

/** The first paragraph line after the title: gptme's description when the frontmatter has none. */
export function firstParagraphLine(markdown: string): string | null {
  const lines = markdown.split(/\r?\n/);
  const title = headings(lines).find((h) => h.level === 1);
  if (!title) return null;
  for (const line of lines.slice(title.line + 1)) {
    if (line.trim() !== '' && !line.startsWith('#')) return line.trim();
  }
  return null;
}

/** Each known `## ` section's text (up to the next heading of level 1 or 2), trimmed. Others are left in the body. */
export function lessonSections(markdown: string): LessonSections {
  const lines = markdown.split(/\r?\n/);
  const all = headings(lines);
  const sections: LessonSections = {};
  all.forEach((heading, index) => {
    if (heading.level !== 2) return;
    const name = heading.text.toLowerCase() as LessonSectionName;
    if (!(LESSON_SECTIONS as readonly string[]).includes(name) || sections[name] !== undefined) return;
    const end = all.slice(index + 1).find((h) => h.level <= 2)?.line ?? lines.length;
    sections[name] = lines.slice(heading.line + 1, end).join('\n').trim();
  });
  return sections;
}

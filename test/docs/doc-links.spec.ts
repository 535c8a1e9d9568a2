import { statSync } from 'node:fs';
import path from 'node:path';
import { anchorsOf, brokenReason, documentationFiles, linksOf, readDoc, ROOT } from './support/markdown-docs.js';

describe('documentation links', () => {
  const files = documentationFiles();

  it('covers the README, docs/ and bench/README.md', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'bench/README.md', path.join('docs', 'architecture.md')]));
  });

  it('has every relative link resolve to a file in the repository, and every anchor to a heading', () => {
    const links = files.flatMap((file) => linksOf(file, readDoc(file)));
    expect(links.length).toBeGreaterThan(20);
    const broken = links.flatMap((link) => {
      const reason = brokenReason(link);
      return reason === null ? [] : [`${link.file}: ${reason}`];
    });
    expect(broken).toEqual([]);
  });

  it('reads anchors as GitHub makes them', () => {
    const anchors = anchorsOf("# The embedded store's lock\n## Read path\n## Read path\n```\n# not a heading\n```\n");
    expect([...anchors]).toEqual(['the-embedded-stores-lock', 'read-path', 'read-path-1']);
  });

  it('finds a broken link and a missing anchor', () => {
    expect(brokenReason({ file: 'README.md', target: 'docs/no-such-page.md' })).toMatch(/does not exist/);
    expect(brokenReason({ file: 'README.md', target: 'docs/architecture.md#no-such-heading' })).toMatch(/no heading/);
    expect(brokenReason({ file: 'README.md', target: 'https://example.org/x' })).toBeNull();
  });
});

describe('README', () => {
  it('is a front door under 8,000 bytes (reference lives in docs/)', () => {
    expect(statSync(path.join(ROOT, 'README.md')).size).toBeLessThan(8000);
  });
});

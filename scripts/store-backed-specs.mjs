#!/usr/bin/env node
// Prints the spec files that open a store, one per line: the ones CI's second pass runs on PostgreSQL.
// Pure specs (no store) and browser specs ran in the first pass already and are not run again.
//
// A spec opens a store when it, or a test/ module it imports (followed through relative imports inside test/),
// names one of the store openers below. Imports into src/ are not followed: most of src/ mentions the database
// without a test opening one. A false positive only costs time; the openers list errs on that side.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = process.cwd();
const OPENERS = [
  /support\/(test-database|test-app|server-process|children|cli-command|compiled)\.js/,
  /\bDATABASE_URL\b/,
  /@electric-sql\/pglite/,
  /from 'pg'/,
  /\bNestFactory\b|\bcreateTestingModule\b/,
  /\bopenTestDatabase\b|\bopenEventStore\b|\bcreateApp\b|\bbootstrapApp\b/,
  /\bopen\w*(SqlClient|DataSource)\b|\bSqlEventStore\b/,
  /spawn\(|fork\(|execFile\(/,
];

function specFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : specFiles(full);
    return name.endsWith('.spec.ts') ? [full] : [];
  });
}

const opensStore = new Map();
function reachesOpener(file, seen = new Set()) {
  if (opensStore.has(file)) return opensStore.get(file);
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  let found = OPENERS.some((opener) => opener.test(text));
  if (!found) {
    for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      const target = path.resolve(path.dirname(file), `${match[1]}.ts`);
      if (!target.startsWith(path.join(ROOT, 'test') + path.sep)) continue;
      try {
        if (reachesOpener(target, seen)) {
          found = true;
          break;
        }
      } catch {
        // an import of a .js file with no .ts beside it (a fixture): not a store opener
      }
    }
  }
  opensStore.set(file, found);
  return found;
}

const specs = specFiles(path.join(ROOT, 'test')).sort();
const storeBacked = specs.filter((f) => !f.endsWith('.browser.spec.ts') && reachesOpener(f));
if (process.argv.includes('--summary')) {
  console.error(`store-backed specs: ${storeBacked.length} of ${specs.length}`);
}
for (const f of storeBacked) console.log(path.relative(ROOT, f));

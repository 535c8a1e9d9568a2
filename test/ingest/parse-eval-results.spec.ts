import { EVAL_RESULTS_HEADERS, detectEvalResultsHeader } from '../../src/ingest/gptme/headers.js';
import { IngestError } from '../../src/ingest/gptme/ingest-issue.js';
import { parseCasesCsv } from '../../src/ingest/gptme/parse-cases.js';
import { parseEvalResultsCsv } from '../../src/ingest/gptme/parse-eval-results.js';

const BASIC = EVAL_RESULTS_HEADERS.basic.join(',');
const CURRENT = EVAL_RESULTS_HEADERS.current.join(',');
const currentRow = (cells: Partial<Record<string, string>>) =>
  EVAL_RESULTS_HEADERS.current
    .map((column) =>
      column in cells
        ? cells[column]
        : ({
            Model: 'm',
            'Tool Format': 'tool',
            Test: 't',
            Passed: 'true',
            Score: '1/1',
            'Total Duration': '1',
            'Generation Time': '1',
            'Run Time': '0',
            'Eval Time': '0',
          } as Record<string, string>)[column] ?? '0',
    )
    .join(',');

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof IngestError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected an IngestError');
}

describe('eval_results.csv header detection', () => {
  it('knows exactly the 7 headers gptme has written', () => {
    expect(Object.keys(EVAL_RESULTS_HEADERS)).toHaveLength(7);
    for (const [variant, columns] of Object.entries(EVAL_RESULTS_HEADERS)) {
      expect(detectEvalResultsHeader(columns)).toBe(variant);
    }
  });

  it('rejects a reordered, shortened or extended header', () => {
    expect(detectEvalResultsHeader(['Test', 'Model', ...EVAL_RESULTS_HEADERS.basic.slice(2)])).toBeUndefined();
    expect(detectEvalResultsHeader(EVAL_RESULTS_HEADERS.basic.slice(0, -1))).toBeUndefined();
    expect(detectEvalResultsHeader([...EVAL_RESULTS_HEADERS.current, 'Extra'])).toBeUndefined();
  });
});

describe('parseEvalResultsCsv rejects malformed files with file:line: reason', () => {
  it('unknown header', () => {
    expect(issuesOf(() => parseEvalResultsCsv('Model,Test,Passed\nm,t,true\n', 'x.csv'))).toEqual([
      'x.csv:1: unknown eval_results.csv header: Model,Test,Passed',
    ]);
  });

  it('empty file', () => {
    expect(issuesOf(() => parseEvalResultsCsv('', 'x.csv'))).toEqual(['x.csv:1: empty file: no header line']);
  });

  it('Passed not true/false, wrong column count, bad numbers: every problem listed with its line', () => {
    const text = [
      BASIC,
      'm,t,yes,1,1,0,0,',
      'm,t,true,1,1,0,0',
      'm,t,True,1,1,0,0,',
      'm,t,true,-1,1,0,0,',
      'm,t,true,1s,1,0,0,',
      ',t,true,1,1,0,0,',
      'm,t,false,1,1,0,,',
      'm,ok,false,1,1,0,0,',
    ].join('\n');
    expect(issuesOf(() => parseEvalResultsCsv(text, 'run/eval_results.csv'))).toEqual([
      'run/eval_results.csv:2: Passed must be true or false, got "yes"',
      'run/eval_results.csv:3: expected 8 columns (header "basic"), got 7',
      'run/eval_results.csv:4: Passed must be true or false, got "True"',
      'run/eval_results.csv:5: Total Duration must be a non-negative number, got "-1"',
      'run/eval_results.csv:6: Total Duration must be a number, got "1s"',
      'run/eval_results.csv:7: Model is empty',
      'run/eval_results.csv:8: Eval Time is empty',
    ]);
  });

  it('current header: Score, Tool Format, tokens, cache hit rate, cost', () => {
    const text = [
      CURRENT,
      currentRow({ Score: '3/2' }),
      currentRow({ Score: 'half' }),
      currentRow({ 'Tool Format': 'json' }),
      currentRow({ 'Tokens Input': '1.5' }),
      currentRow({ 'Cache Hit Rate': '1.2' }),
      currentRow({ 'Cost USD': 'free' }),
      currentRow({ 'Tokens Output': '' }),
    ].join('\n');
    expect(issuesOf(() => parseEvalResultsCsv(text, 'f'))).toEqual([
      'f:2: Score passed checkers exceed the total: "3/2"',
      'f:3: Score must be k/n (checkers passed / checkers), got "half"',
      'f:4: Tool Format must be markdown, xml, tool or empty, got "json"',
      'f:5: Tokens Input must be a non-negative integer, got "1.5"',
      'f:6: Cache Hit Rate must be between 0 and 1, got "1.2"',
      'f:7: Cost USD must be a number, got "free"',
      'f:8: Tokens Output is empty while other token columns are filled',
    ]);
  });

  it('reports the line a multi-line record starts on, and unclosed quotes', () => {
    const text = `${BASIC}\n"m\nwith newline",t,true,1,1,0,0,\nm,t,nope,1,1,0,0,\n`;
    // The model name holding a newline is itself refused (no control characters in names: contracts/limits.ts).
    expect(issuesOf(() => parseEvalResultsCsv(text, 'f'))).toEqual([
      'f:2: Model must not contain control characters (U+000A at character 1)',
      'f:4: Passed must be true or false, got "nope"',
    ]);
    expect(issuesOf(() => parseEvalResultsCsv(`${BASIC}\nm,"t,true,1,1,0,0,\n`, 'f'))[0]).toMatch(/^f:\d+: not valid CSV: Quote Not Closed/);
  });

  it('stops listing after 50 problems', () => {
    const text = [BASIC, ...Array.from({ length: 80 }, () => 'm,t,maybe,1,1,0,0,')].join('\n');
    const issues = issuesOf(() => parseEvalResultsCsv(text, 'f'));
    expect(issues).toHaveLength(51);
    expect(issues[50]).toBe('f:52: more problems after this line not listed (stopped at 50)');
  });

  it('empty token columns all together mean no tokens', () => {
    const row = currentRow({
      'Tokens Input': '',
      'Tokens Output': '',
      'Tokens Total': '',
      'Cache Read Tokens': '',
      'Cache Creation Tokens': '',
      'Cache Hit Rate': '',
      'Num Steps': '',
      'Tool Calls': '',
    });
    const [outcome] = parseEvalResultsCsv(`${CURRENT}\n${row}\n`, 'f').rows;
    expect(outcome).not.toHaveProperty('tokens');
    expect(outcome).not.toHaveProperty('steps');
    expect(outcome).not.toHaveProperty('toolCalls');
    expect(outcome).not.toHaveProperty('cacheHitRate');
  });
});

describe('parseCasesCsv', () => {
  it('reads the three cases.csv headers', () => {
    const expected = [{ name: 'c', passed: true, durationS: 0.5 }];
    expect(parseCasesCsv('Case,Passed,Duration\nc,true,0.5\n', 'f')).toEqual(expected);
    expect(parseCasesCsv('Model,Test,Case,Passed,Duration\n,,c,true,0.5\n', 'f')).toEqual(expected);
    expect(parseCasesCsv('Model,Test,Case,Passed,Code,Duration\n,,c,true,"x\ny",0.5\n', 'f')).toEqual(expected);
    expect(parseCasesCsv('Case,Passed,Duration\n', 'f')).toEqual([]);
  });

  it('rejects an unknown header, a bad Passed, a bad Duration and a wrong column count', () => {
    expect(issuesOf(() => parseCasesCsv('Name,Passed,Duration\n', 'f'))).toEqual([
      'f:1: unknown cases.csv header: Name,Passed,Duration',
    ]);
    expect(issuesOf(() => parseCasesCsv('Case,Passed,Duration\nc,1,0.5\nc,true,x\nc,true\n', 'f'))).toEqual([
      'f:2: Passed must be true or false, got "1"',
      'f:3: Duration must be a number, got "x"',
      'f:4: expected 3 columns, got 2',
    ]);
  });
});

/**
 * gptme conversations for the failure world, as `conversation.jsonl` lines hold them (role, content, timestamp):
 * a task, the assistant's code, the tool output. A failing one shows its error in a traceback the way gptme's
 * shell tool reports a command (`Ran command`, stderr, `Return code`); a passing one shows its output, and now
 * and then a recovered error or an error word in passing prose, so a keyword has to discriminate.
 */
import type { Random } from '../random.js';
import type { ErrorKind } from './error-catalogue.js';

export interface WorldMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ConversationFailure {
  kind: ErrorKind;
  line: string;
}

const SYSTEM_PROMPT = 'You are gptme, a general-purpose AI assistant powered by LLMs. You can run shell commands and edit files.';

const PASSING_PROSE = [
  "I'll guard against a KeyError by using dict.get, and handle the missing module case too.",
  'The output looks right; no errors this time.',
  'I will check the file exists before reading it, to avoid a FileNotFoundError.',
  'Done. The script prints the expected result.',
];

function traceback(line: string, random: Random): string {
  return [
    'Traceback (most recent call last):',
    `  File "/tmp/eval/${random.hex(10)}/main.py", line ${random.int(3, 80)}, in <module>`,
    '    main()',
    line,
  ].join('\n');
}

function ranCommand(command: string, stream: 'stdout' | 'stderr', output: string, code: number): string {
  return `Ran command: \`${command}\`\n\n\`\`\`${stream}\n${output}\n\`\`\`\n\nReturn code: ${code}`;
}

export function conversation(test: string, failure: ConversationFailure | null, random: Random): WorldMessage[] {
  const messages: WorldMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Task ${test}: write main.py that solves the task, then run it.` },
    { role: 'assistant', content: "Let me write the script.\n```save main.py\nimport sys\n\ndef main():\n    print('ok')\n\nmain()\n```" },
    { role: 'system', content: 'Saved to main.py' },
  ];
  if (failure === null) {
    if (random.chance(0.15)) {
      messages.push({ role: 'assistant', content: '```shell\npython main.py\n```' });
      messages.push({ role: 'system', content: ranCommand('python main.py', 'stderr', traceback(random.chance(0.5) ? 'AssertionError' : "KeyError: 'name'", random), 1) });
      messages.push({ role: 'assistant', content: 'Fixed the bug, running again.\n```shell\npython main.py\n```' });
    } else {
      messages.push({ role: 'assistant', content: `${random.pick(PASSING_PROSE)}\n\`\`\`shell\npython main.py\n\`\`\`` });
    }
    messages.push({ role: 'system', content: ranCommand('python main.py', 'stdout', `result: ${random.int(1, 1000)}`, 0) });
    messages.push({ role: 'assistant', content: 'The task is complete.' });
    return messages;
  }
  const attempts = random.int(1, 2);
  for (let i = 0; i < attempts; i++) {
    if (failure.kind === 'patch') {
      messages.push({ role: 'assistant', content: '```patch main.py\n<<<<<<< ORIGINAL\n    print(\'ok\')\n=======\n    print(solve())\n>>>>>>> UPDATED\n```' });
      messages.push({ role: 'system', content: failure.line });
    } else if (failure.kind === 'timeout') {
      messages.push({ role: 'assistant', content: '```shell\nnpm install && npm test\n```' });
      messages.push({ role: 'system', content: ranCommand('npm install && npm test', 'stderr', failure.line, -9) });
    } else {
      messages.push({ role: 'assistant', content: i === 0 ? '```shell\npython main.py\n```' : 'Let me try again.\n```shell\npython main.py\n```' });
      messages.push({ role: 'system', content: ranCommand('python main.py', 'stderr', traceback(failure.line, random), 1) });
    }
  }
  messages.push({ role: 'assistant', content: 'I was not able to fix this within the budget.' });
  return messages;
}

/** The lines of a `conversation.jsonl` for these messages, one day's timestamps apart by a second each. */
export function conversationJsonl(messages: readonly WorldMessage[], startedAt: string): string {
  const start = Date.parse(startedAt);
  return messages
    .map((m, i) => JSON.stringify({ role: m.role, content: m.content, timestamp: new Date(start + i * 1000).toISOString().replace(/Z$/, '') }))
    .join('\n') + '\n';
}

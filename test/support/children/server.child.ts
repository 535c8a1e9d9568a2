/**
 * `lessonloop serve` in a process of its own, for tests that kill, cut off or race servers (spawned through
 * test/support/server-process.ts, compiled by test/support/compiled.ts). With SERVER_WAIT_FOR_GO set it starts
 * only after a line on stdin, so the parent can prepare the data directory knowing the server's pid.
 */
import 'reflect-metadata';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { runCli } from '../../../src/cli/run-cli.js';

if (process.env.SERVER_WAIT_FOR_GO) await once(createInterface({ input: process.stdin }), 'line');
const exitCode = await runCli(['node', 'lessonloop', 'serve', '--port', '0']);
if (exitCode !== 0) process.exit(exitCode);

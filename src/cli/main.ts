#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './run-cli.js';

const exitCode = await runCli(process.argv);
// On failure exit now: a half-started app may still hold handles open. On success let running work
// (the HTTP server of `serve`) keep the process alive.
if (exitCode !== 0) process.exit(exitCode);

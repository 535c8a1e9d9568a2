/**
 * Every CLI command, one line each. A command lives in `./<name>.command.ts` and exports
 * `register(program: Command)`; commands needing the store or read models use `withAppContext` (../app-context.ts).
 */
export * as serve from './serve.command.js';
export * as importResults from './import-results.command.js';
export * as importLessons from './import-lessons.command.js';
export * as tokens from './tokens.command.js';
export * as leaderboard from './leaderboard.command.js';
export * as trends from './trends.command.js';
export * as projections from './projections.command.js';
export * as audit from './audit.command.js';
export * as reanalyze from './reanalyze.command.js';
export * as effects from './effects.command.js';
export * as exposure from './exposure.command.js';
export * as webhooks from './webhooks.command.js';
export * as injectionGate from './injection-gate.command.js';
export * as ciGate from './ci-gate.command.js';
export * as drafts from './drafts.command.js';
export * as lessons from './lessons.command.js';

/** The one gptme log reader (shared by exposure-from-logs and lesson drafts); see docs/gptme-logs.md. */
export { CONVERSATION_FILE, MAX_LOG_FILE_BYTES, locateLogDir, openLogRoot, readConversation, readLogText, type Located, type LogRoot } from './log-root.js';
export { GPTME_ROLES, parseConversationJsonl, type ConversationParse, type GptmeMessage, type GptmeRole } from './conversation-jsonl.js';
export { foreignPathComponents, mapLessonPath, trailingSuffixes } from './foreign-path.js';
export { formatLogReadError, LOG_READ_ERROR_KINDS, logReadError, type LogReadError, type LogReadErrorKind } from './log-read-error.js';
export { isLessonInjection, lessonInjections, lessonPathsIn, messagesBeforeInjection, RELEVANT_LESSONS_HEADING, type LessonInjection } from './relevant-lessons.js';

/**
 * How long one dependency may take to answer a health probe. On PGlite every query queues behind the one
 * database mutex, so a long import transaction can hold a probe this long and report the app as down meanwhile.
 */
export const HEALTH_CHECK_TIMEOUT_MS = 5_000;

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Bodies other than JSON and forms are left unread for the handler: the CSV route reads its body itself after
 * the auth guard (read-text-body.ts), so an unauthenticated client cannot make the server buffer a large body,
 * and a body of an unexpected type reaches the handler, whose answer names what to send, instead of Fastify's
 * generic 415.
 */
export function leaveOtherBodiesUnread(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

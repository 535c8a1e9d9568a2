import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Closes the HTTP server, letting the requests in flight finish, before any module tears down what they use.
 * Nest closes the server only after every onModuleDestroy (the event store among them), so a request still
 * running at SIGTERM would answer 500 "The event store is closed". AppModule's own hooks run first on
 * shutdown. Nothing to do in CLI commands, which have no HTTP server.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleDestroy(): Promise<void> {
    await this.adapterHost.httpAdapter?.close();
  }
}

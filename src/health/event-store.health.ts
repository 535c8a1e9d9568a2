import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { HEALTH_CHECK_TIMEOUT_MS } from './health-timeout.js';

/** Up when the store answers headPosition(); reports its kind and head so a probe shows where it is. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  isHealthy(key = 'eventStore') {
    return this.indicators
      .check(key)
      .attempt(async () => {
        const head = await this.store.headPosition();
        return {
          kind: this.store.kind,
          head: head ? { commit: head.commit.toString(), prepare: head.prepare.toString() } : null,
        };
      })
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
  }
}

export interface WebhookProblem {
  field: string;
  reason: string;
}

/** A subscription the API refuses (400), each problem naming its field. */
export class WebhookInputError extends Error {
  constructor(readonly problems: WebhookProblem[]) {
    super(`Invalid webhook: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
    this.name = 'WebhookInputError';
  }
}

/** Subscribing while no LESSONLOOP_WEBHOOK_SECRET is set (409): nothing could be signed. */
export class WebhooksOffError extends Error {
  constructor() {
    super('Webhooks are off: set LESSONLOOP_WEBHOOK_SECRET (at least 16 characters) to sign deliveries');
    this.name = 'WebhooksOffError';
  }
}

export class UnknownDeliveryError extends Error {
  constructor(readonly deliveryId: string) {
    super(`No webhook delivery ${deliveryId}`);
    this.name = 'UnknownDeliveryError';
  }
}

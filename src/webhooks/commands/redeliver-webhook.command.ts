import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { UnknownDeliveryError } from '../webhook-errors.js';

/**
 * Send a delivery again, whatever its status: back to `pending`, due now, with a fresh attempt budget. Delivery
 * state is operational (not events), so who asked is kept on the row.
 */
export class RedeliverWebhookCommand extends Command<{ deliveryId: string; status: 'pending' }> {
  constructor(
    readonly deliveryId: string,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(RedeliverWebhookCommand)
export class RedeliverWebhookHandler implements ICommandHandler<RedeliverWebhookCommand> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ deliveryId, actor }: RedeliverWebhookCommand) {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(deliveryId);
    const { rowCount } = uuid
      ? await this.sql.query(
          `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), claimed_until = NULL,
                  redelivered_by = $2 WHERE delivery_id = $1`,
          [deliveryId, actor ?? 'unknown'],
        )
      : { rowCount: 0 };
    if (rowCount === 0) throw new UnknownDeliveryError(deliveryId);
    return { deliveryId, status: 'pending' as const };
  }
}

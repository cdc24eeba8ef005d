import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook secrets sealed at rest (AES-256-GCM under WEBHOOK_KEYS): the key's id, the nonce and the
 * ciphertext with its tag. A secret stored in plain text before this stays in `secret` until the
 * casework jobs start and seal it (src/subgraphs/casework/webhooks.ts), which clears the column.
 */
export class Migration20261204000200WebhookSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "casework"."webhook"
         add column "secret_key_id" varchar(32) null,
         add column "secret_nonce" bytea null,
         add column "secret_sealed" bytea null,
         alter column "secret" drop not null,
         add constraint "webhook_secret_sealed" check (
           ("secret" is null) = ("secret_key_id" is not null and "secret_nonce" is not null and "secret_sealed" is not null))`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "casework"."webhook" drop constraint "webhook_secret_sealed",
         drop column "secret_key_id", drop column "secret_nonce", drop column "secret_sealed"`,
    );
  }
}

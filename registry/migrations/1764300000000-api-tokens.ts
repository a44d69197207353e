import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bearer tokens, stored as the sha256 of their secret. */
export class ApiTokens1764300000000 implements MigrationInterface {
  name = 'ApiTokens1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_tokens (
        id          text PRIMARY KEY,
        secret_hash text NOT NULL UNIQUE,
        role        text NOT NULL CHECK (role IN ('reader', 'operator', 'admin')),
        description text NOT NULL DEFAULT '',
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_tokens');
  }
}

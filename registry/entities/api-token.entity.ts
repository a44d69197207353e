// The bearer tokens of the access layer (services/common/auth.ts), stored hashed.
import { EntitySchema } from 'typeorm';

/** One row of api_tokens. */
export interface ApiTokenRow {
  id: string;
  secretHash: string;
  role: string;
  description: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export const ApiTokenEntity = new EntitySchema<ApiTokenRow>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  columns: {
    id: { type: 'text', primary: true },
    secretHash: { type: 'text', name: 'secret_hash', unique: true },
    role: { type: 'text' },
    description: { type: 'text', default: '' },
    createdBy: { type: 'text', name: 'created_by' },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
  },
});

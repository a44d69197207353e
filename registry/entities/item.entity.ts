// The item catalogue of the feature store (views live in the event log's files, registry/event-log.ts). Bulk
// loads use SQL and COPY through the pg pool (registry/event-source-store.ts); this schema documents the table.
import { EntitySchema } from 'typeorm';

/** One row of items. */
export interface ItemRow {
  source: string;
  itemId: string;
  creatorId: string;
  language: string;
  createdAt: string | null;
  videoLengthS: number | null;
  embedding: Buffer;
}

export const ItemEntity = new EntitySchema<ItemRow>({
  name: 'FeatureItem',
  tableName: 'items',
  columns: {
    source: { type: 'text', primary: true },
    itemId: { type: 'text', name: 'item_id', primary: true },
    creatorId: { type: 'text', name: 'creator_id' },
    language: { type: 'text' },
    createdAt: { type: 'bigint', name: 'created_at', nullable: true },
    videoLengthS: { type: 'real', name: 'video_length_s', nullable: true },
    embedding: { type: 'bytea' },
  },
});

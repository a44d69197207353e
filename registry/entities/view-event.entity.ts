// Raw views and items of the feature store. Bulk loads and the dataset build use SQL and COPY through the pg
// pool (services/feature/event-store.ts); these schemas document the tables for TypeORM.
import { EntitySchema } from 'typeorm';

/** One row of view_events. */
export interface ViewEventRow {
  id: string;
  rowKey: string;
  source: string;
  userId: string;
  itemId: string;
  creatorId: string;
  ts: string;
  language: string;
  videoLengthS: number | null;
  timespentS: number;
  liked: boolean;
  shared: boolean;
  downloaded: boolean;
  handsetMaker: string;
  affinity: number | null;
}

export const ViewEventEntity = new EntitySchema<ViewEventRow>({
  name: 'ViewEvent',
  tableName: 'view_events',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    rowKey: { type: 'bigint', name: 'row_key', unique: true },
    source: { type: 'text' },
    userId: { type: 'text', name: 'user_id' },
    itemId: { type: 'text', name: 'item_id' },
    creatorId: { type: 'text', name: 'creator_id' },
    ts: { type: 'bigint' },
    language: { type: 'text' },
    videoLengthS: { type: 'real', name: 'video_length_s', nullable: true },
    timespentS: { type: 'real', name: 'timespent_s' },
    liked: { type: 'boolean' },
    shared: { type: 'boolean' },
    downloaded: { type: 'boolean' },
    handsetMaker: { type: 'text', name: 'handset_maker' },
    affinity: { type: 'real', nullable: true },
  },
});

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

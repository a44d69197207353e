// Free key/value tags on a version (stored verbatim: any text, never part of an artifact key).
import { EntitySchema } from 'typeorm';

/** One row of version_tags. */
export interface VersionTagRow {
  model: string;
  number: number;
  key: string;
  value: string;
}

/** The TypeORM schema of the `version_tags` table (explicit column types: tsx emits no decorator metadata). */
export const VersionTagEntity = new EntitySchema<VersionTagRow>({
  name: 'VersionTag',
  tableName: 'version_tags',
  columns: {
    model: { type: 'text', primary: true },
    number: { type: 'integer', primary: true },
    key: { type: 'text', primary: true },
    value: { type: 'text', default: '' },
  },
});

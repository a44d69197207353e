// An artifact key reserved in Postgres before its upload: the database, not the S3 server, makes keys
// immutable (a trigger refuses to change or delete a stored one).
import { EntitySchema } from 'typeorm';

/** One row of artifact_reservations. */
export interface ArtifactReservationRow {
  key: string;
  /** Who reserved it, such as `models/feed-ranker-hi/versions/3`. */
  owner: string;
  /** `reserved` (upload under way or failed) or `stored` (final, immutable). */
  state: string;
  sha256: string | null;
  size: string | null;
  reserveTime: Date;
}

/** The TypeORM schema of the `artifact_reservations` table (explicit column types: tsx emits no decorator metadata). */
export const ArtifactReservationEntity = new EntitySchema<ArtifactReservationRow>({
  name: 'ArtifactReservation',
  tableName: 'artifact_reservations',
  columns: {
    key: { type: 'text', primary: true },
    owner: { type: 'text' },
    state: { type: 'text' },
    sha256: { type: 'text', nullable: true },
    size: { type: 'bigint', nullable: true },
    reserveTime: { type: 'timestamptz', name: 'reserve_time', createDate: true },
  },
});

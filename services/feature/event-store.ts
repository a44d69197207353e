// A source's log as the feature service reads it: the catalogue from the event-source store
// (registry/event-source-store.ts), the views from the event log's files (registry/event-log.ts).
import type { Pool } from 'pg';
import { EventLogBuilder, type EventLog } from '../../ml/data/events';
import type { EventLogStore } from '../../registry/event-log';
import { PgEventSourceStore, type EventSourceStore, type SourceInfo } from '../../registry/event-source-store';

/** The event-source store itself, or the Postgres one over a pool (for callers that hold only the pool). */
function sourcesOf(from: Pick<EventSourceStore, 'loadItems'> | Pool): Pick<EventSourceStore, 'loadItems'> {
  return 'loadItems' in from ? from : new PgEventSourceStore(from);
}

/** A source by name, or the most recently updated one when `name` is empty (services/feature/dataset-builder.ts and entity-features.ts hold a pool). */
export function getSource(pool: Pool, name?: string): Promise<SourceInfo> {
  return new PgEventSourceStore(pool).get(name);
}

/**
 * A source's log with ts < `beforeTs` (all when undefined), in time order: the catalogue first (so item indices
 * follow item ids), then the views streamed from the event log's files into typed arrays.
 */
export async function loadLog(sources: Pick<EventSourceStore, 'loadItems'> | Pool, events: EventLogStore, source: SourceInfo, beforeTs?: number): Promise<EventLog> {
  // Counted from the manifest first, so the columns are allocated once at their final size instead of doubling.
  const b = new EventLogBuilder(source.dim, (await events.count(source.source, beforeTs)) + 1);
  await sourcesOf(sources).loadItems(source.source, b);
  await events.read(source.source, b, beforeTs);
  return b.finish();
}

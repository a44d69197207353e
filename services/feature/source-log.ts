// A source's log as the feature service reads it: the catalogue from the event-source store
// (registry/event-source-store.ts), the views from the event log's files (registry/event-log.ts).
import { EventLogBuilder, type EventLog, type LogTarget } from '../../ml/data/events';
import type { EventLogStore } from '../../registry/event-log';
import type { EventSourceStore, SourceInfo } from '../../registry/event-source-store';

/**
 * A source's log with ts < `beforeTs` (all when undefined), in time order: the catalogue first (so item indices
 * follow item ids), then the views streamed from the event log's files into typed arrays.
 */
export async function loadLog(sources: Pick<EventSourceStore, 'loadItems'>, events: EventLogStore, source: SourceInfo, beforeTs?: number): Promise<EventLog> {
  let b: EventLogBuilder | undefined;
  await streamLog(sources, events, source, beforeTs, (capacity) => (b = new EventLogBuilder(source.dim, capacity)));
  return b!.finish();
}

/**
 * Writes what loadLog reads into the target `open` returns (called once, with the number of views to come plus
 * one): a dataset build hands each piece to its worker thread as it is read (ml/features/build-worker.ts).
 */
export async function streamLog(sources: Pick<EventSourceStore, 'loadItems'>, events: EventLogStore, source: SourceInfo, beforeTs: number | undefined,
  open: (capacity: number) => LogTarget): Promise<void> {
  // Counted from the manifest first, so the columns are allocated once at their final size instead of doubling.
  const into = open((await events.count(source.source, beforeTs)) + 1);
  await sources.loadItems(source.source, into);
  await events.read(source.source, into, beforeTs);
}

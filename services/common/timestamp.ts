// google.protobuf.Timestamp <-> Date, once for every service and the CLI.

/** A Timestamp as the proto loader represents it (int64 seconds as a string). */
export interface TimestampMsg {
  seconds: string;
  nanos: number;
}

/** Encodes a Date or epoch ms as a Timestamp (null for none); millisecond precision, correct before 1970. */
export function toTimestamp(t: Date | number | null | undefined): TimestampMsg | null {
  if (t === null || t === undefined) return null;
  const ms = typeof t === 'number' ? t : t.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 };
}

/** Decodes a Timestamp to a Date (undefined for none), to the millisecond. */
export function fromTimestamp(t: { seconds: string | number; nanos?: number } | null | undefined): Date | undefined {
  if (!t) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
}

// Client-streamed uploads that the server buffers whole (CreateModelVersion, RegisterExternalModel): one header
// first, then the bytes in chunks, each file's chunks one after another, at most `maxBytes` in all. The header is
// checked as soon as it arrives, so an upload that will be refused fails before its bytes (up to 1 GiB) are
// buffered; the client stops writing when the server answers.
import { invalid } from '../../core/errors';

/** One message of an upload as the reader sees it: the header, a chunk of a named file, or neither (ignored). */
export type UploadPart<H> = { header: H | null | undefined } | { chunk: { file: string; data: Buffer } } | undefined;

/** What an upload carried: its header and each file's bytes, in the order the files arrived. */
export interface Upload<H> {
  header: H;
  files: Map<string, Buffer>;
}

/**
 * Reads an upload to its end: `partOf` says what each message is, `checkHeader` vets the header when it arrives,
 * and more than `maxBytes` in all fails with `tooLarge` (INVALID_ARGUMENT). A missing or repeated header, a chunk
 * before the header, or a file whose chunks are interleaved with another's is INVALID_ARGUMENT too.
 */
export async function readUpload<M, H>(messages: AsyncIterable<M>, partOf: (m: M) => UploadPart<H>,
  o: { checkHeader: (h: H) => Promise<void>; maxBytes: number; tooLarge: string }): Promise<Upload<H>> {
  let header: H | undefined;
  const files = new Map<string, Buffer[]>();
  let last = '';
  let total = 0;
  for await (const msg of messages) {
    const part = partOf(msg);
    if (!part) continue;
    if ('header' in part) {
      if (header) throw invalid('header: send it once, as the first message');
      header = part.header ?? undefined;
      if (header) await o.checkHeader(header);
    } else {
      if (!header) throw invalid('the first message must be the header');
      const { file, data } = part.chunk;
      if (files.has(file) && last !== file) throw invalid(`chunk: the chunks of "${file}" must be sent one after another`);
      total += data.length;
      if (total > o.maxBytes) throw invalid(o.tooLarge);
      if (!files.has(file)) files.set(file, []);
      files.get(file)!.push(data);
      last = file;
    }
  }
  if (!header) throw invalid('header: required as the first message');
  return { header, files: new Map([...files].map(([name, parts]) => [name, Buffer.concat(parts)])) };
}

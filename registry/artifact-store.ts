// The artifact store: immutable objects in an S3-compatible bucket (MinIO in a cluster, s3rver on the
// embedded default), written with their sha256 and verified on every read.
import * as crypto from 'node:crypto';
import { Client } from 'minio';
import { DomainError, isUnavailable } from '../core/errors';

/** Where the platform keeps its data and artifacts. */
export interface S3Config {
  /** The endpoint URL, for example http://127.0.0.1:9000. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** The region sent in signatures (S3_REGION, default us-east-1). */
  region: string;
}

/** What a stored object is. */
export interface StoredObject {
  key: string;
  size: number;
  sha256: string;
}

/** One object as a listing returns it. */
export interface ObjectInfo {
  key: string;
  size: number;
  /** When the object was last written (the S3 server's clock). */
  lastModified: Date;
}

/** The artifact store every service uses; keys are relative to the bucket. */
export interface ArtifactStore {
  /**
   * Writes a new object; refuses (ALREADY_EXISTS) when the key holds one already. `sha256` is the data's SHA-256
   * (hex) when the caller computed it already (a dataset build hashes each shard in its worker thread); it is
   * stored as given, so it must be of exactly these bytes.
   */
  put(key: string, data: Buffer, contentType?: string, sha256?: string): Promise<StoredObject>;
  /** Reads an object; with `sha256`, refuses (DATA_LOSS) when its bytes do not hash to it. */
  get(key: string, sha256?: string): Promise<Buffer>;
  /** True when the key holds an object. */
  exists(key: string): Promise<boolean>;
  /**
   * Deletes an object: a failed registration's uploads, and the objects of a deleted resource or of garbage
   * (registry/retention.ts, registry/garbage.ts), always after no row references them any more.
   */
  remove(key: string): Promise<void>;
  /** Keys under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** Objects under a prefix with their size and write time, by key. */
  listObjects(prefix: string): Promise<ObjectInfo[]>;
  /** The bucket name. */
  readonly bucket: string;
}

/** sha256 of bytes, hex. */
export function sha256Hex(data: Buffer | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Checks that a key stays a relative path inside the bucket (no "..", no leading "/", no NUL). */
export function checkKey(key: string): string {
  if (!key || key.startsWith('/') || key.includes('\0') || key.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new DomainError('INVALID_ARGUMENT', `artifact key "${key}" is not a clean relative path`);
  }
  return key;
}

function notFoundCode(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket';
}

/** An ArtifactStore over the minio client. */
/**
 * Runs an idempotent S3 request, repeating it twice (after 100 and 300 ms) when the connection failed (core/errors.ts
 * isUnavailable); a server that stays down still fails the call within half a second.
 */
async function retryTransient<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (attempt >= 2 || !isUnavailable(err)) throw err;
      await new Promise((r) => setTimeout(r, 100 * 3 ** attempt));
    }
  }
}

export class S3ArtifactStore implements ArtifactStore {
  private readonly client: Client;
  /** Whether minio signs requests with the payload's SHA-256 (plain HTTP with credentials). */
  private readonly signsPayload: boolean;
  readonly bucket: string;

  constructor(cfg: S3Config) {
    const url = new URL(cfg.endpoint);
    this.signsPayload = url.protocol !== 'https:' && !!cfg.accessKey;
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      useSSL: url.protocol === 'https:',
      accessKey: cfg.accessKey,
      secretKey: cfg.secretKey,
      region: cfg.region,
      pathStyle: true,
      // Objects are written as whole buffers in one PUT: some S3 servers (s3rver) lack multipart uploads.
      partSize: 5 * 1024 * 1024 * 1024,
    });
    this.bucket = cfg.bucket;
  }

  /** Creates the bucket if it does not exist; fails with a message naming S3_ENDPOINT when unreachable. */
  async ensureBucket(): Promise<void> {
    try {
      if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'BucketAlreadyOwnedByYou' || code === 'BucketAlreadyExists') return;
      throw new Error(`S3_ENDPOINT: cannot use bucket "${this.bucket}": ${(err as Error).message}`);
    }
  }

  async put(key: string, data: Buffer, contentType = 'application/octet-stream', knownSha256?: string): Promise<StoredObject> {
    checkKey(key);
    if (await this.exists(key)) throw new DomainError('ALREADY_EXISTS', `artifact "${key}" exists already; artifacts are immutable`);
    const sha256 = knownSha256 ?? sha256Hex(data);
    // A PUT of the same bytes may be repeated: an idle keep-alive connection that the server closes just as a
    // request goes out fails with "socket hang up" although the server is fine.
    const meta = { 'Content-Type': contentType, 'x-amz-meta-sha256': sha256 };
    if (!this.signsPayload) {
      await retryTransient(() => this.client.putObject(this.bucket, key, data, data.length, meta));
    } else {
      // Over plain HTTP the request is signed with the payload's SHA-256, which is the one just computed: one PUT of
      // the buffer as it is. putObject would copy it through a stream and hash it twice more (MD5 and SHA-256),
      // which cost a dataset build as much CPU as its feature pass.
      await retryTransient(async () => {
        const res = await this.client.makeRequestStreamAsync({ method: 'PUT', bucketName: this.bucket, objectName: key,
          headers: { ...meta, 'Content-Length': data.length } }, data, sha256, [200], '');
        await new Promise<void>((resolve, reject) => res.on('error', reject).on('end', resolve).resume());
      });
    }
    return { key, size: data.length, sha256 };
  }

  async get(key: string, sha256?: string): Promise<Buffer> {
    checkKey(key);
    let stream;
    try {
      stream = await retryTransient(() => this.client.getObject(this.bucket, key));
    } catch (err) {
      if (notFoundCode(err)) throw new DomainError('NOT_FOUND', `artifact "${key}" not found in bucket "${this.bucket}"`);
      throw err;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const data = Buffer.concat(chunks);
    if (sha256 && sha256Hex(data) !== sha256) {
      throw new DomainError('DATA_LOSS', `artifact "${key}" is corrupted: sha256 ${sha256Hex(data)} does not match the recorded ${sha256}`);
    }
    return data;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await retryTransient(() => this.client.statObject(this.bucket, checkKey(key)));
      return true;
    } catch (err) {
      if (notFoundCode(err)) return false;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    await retryTransient(() => this.client.removeObject(this.bucket, checkKey(key)));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const stream = this.client.listObjectsV2(this.bucket, prefix, true);
    for await (const item of stream) if ((item as { name?: string }).name) keys.push((item as { name: string }).name);
    return keys.sort();
  }

  async listObjects(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const stream = this.client.listObjectsV2(this.bucket, prefix, true);
    for await (const item of stream) {
      const o = item as { name?: string; size?: number; lastModified?: Date };
      if (o.name) out.push({ key: o.name, size: Number(o.size ?? 0), lastModified: new Date(o.lastModified ?? 0) });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

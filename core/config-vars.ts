// Every environment variable modelops reads, in one table: its kind (what it accepts), its default, one line of
// documentation, the files that read it and which start checks it. core/config.ts reads them; the README's
// configuration table is this table (test/foundation/config-docs.test.ts compares them), and
// test/foundation/env-reads.test.ts checks that no other file touches process.env and that `readBy` is true.
import {
  countOrOff, decimal, existingFile, flag, hostPort, matching, oneOf, subsetOf, text, timeZone, url, wholeNumber,
  type Kind, type Shown,
} from './config-kinds';

/**
 * Which start checks a variable before doing anything: `serve` (`modelops serve`/`start` and backup/restore,
 * which open the platform's stores), `cli` (the commands that call a server), `both`, or `npm` (set by npm, not
 * by people: read, never documented as a setting).
 */
export type Scope = 'serve' | 'cli' | 'both' | 'npm';

/** One variable: how it parses and what it means. `V` is the value a read returns (with its default applied). */
export interface VarSpec<V> {
  /** What the variable accepts. */
  readonly kind: Kind<NonNullable<V>>;
  /** The value when the variable is unset (or empty, for kinds that do not take an empty value). */
  readonly fallback: V;
  /** The default as the docs show it: the default value, or what leaving it unset means. */
  readonly shownDefault: string;
  /** One line: what the variable sets. */
  readonly doc: string;
  /** The files that read it (each through core/config.ts). */
  readonly readBy: readonly string[];
  /** Which start checks it. */
  readonly scope: Scope;
  /** How a refused value is shown in the error (secrets never are). */
  readonly shown: Shown;
}

interface Info {
  doc: string;
  readBy: readonly string[];
  scope: Scope;
  shown?: Shown;
}

/** A variable with a default value. */
function withDefault<T>(kind: Kind<T>, value: T, info: Info & { shownDefault?: string }): VarSpec<T> {
  return { kind: kind as Kind<NonNullable<T>>, fallback: value, shownDefault: info.shownDefault ?? `\`${String(value)}\``, doc: info.doc,
    readBy: info.readBy, scope: info.scope, shown: info.shown ?? 'plain' };
}

/** A variable whose absence means something else than a value (`unset` says what, for the docs). */
function optional<T>(kind: Kind<T>, unset: string, info: Info): VarSpec<T | undefined> {
  return { kind: kind as Kind<NonNullable<T>>, fallback: undefined, shownDefault: unset, doc: info.doc, readBy: info.readBy,
    scope: info.scope, shown: info.shown ?? 'plain' };
}

/** The six services one process can host (proto/load.ts SERVICE_NAMES; test/foundation/config-docs.test.ts keeps them equal). */
export const SERVICES = ['feature', 'training', 'evaluation', 'scoring', 'registry', 'rollout'] as const;

/** The training backends MODELOPS_TF_BACKEND may force (ml/train/backend.ts). */
export const TF_BACKENDS = ['ort', 'onnxruntime', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** pino's levels, for MODELOPS_LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const CONFIG = 'services/common/config.ts';
const CLIENT = 'cli/client.ts';
const SCORING = 'services/scoring/index.ts';
const ROLLOUT = 'services/rollout/index.ts';
const TRAINING = 'services/training/index.ts';
const ms = (min: number) => wholeNumber(min, Number.MAX_SAFE_INTEGER, 'milliseconds');
const S3_BUCKET_NAME = matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name (3-63 characters: lower-case letters, digits, dots, hyphens)');

/** The registry, in the order the README lists it. */
export const VARS = {
  MODELOPS_ADDR: withDefault(hostPort(), '127.0.0.1:50051', { scope: 'both', readBy: [CONFIG, CLIENT],
    doc: 'where `serve` listens (`--addr` wins) and the CLI connects' }),
  MODELOPS_HOME: withDefault(text(1, 'a folder'), '.modelops', { scope: 'both', readBy: [CONFIG, CLIENT], shownDefault: '`./.modelops`',
    doc: "the embedded default's folder (Postgres, S3 objects, admin token, lock); one server per folder" }),
  MODELOPS_SERVICES: withDefault(subsetOf(SERVICES), [...SERVICES], { scope: 'serve', readBy: [CONFIG], shownDefault: '`all`',
    doc: 'the services `serve` hosts (`--services` wins)' }),
  DATABASE_URL: optional(url(['postgres', 'postgresql'], 'postgres://user:password@host:5432/database'), 'embedded Postgres',
    { scope: 'serve', readBy: [CONFIG], shown: 'url', doc: 'the Postgres server' }),
  S3_ENDPOINT: optional(url(['http', 'https'], 'http://127.0.0.1:9000'), 'embedded S3',
    { scope: 'serve', readBy: [CONFIG], doc: 'MinIO or any S3; with it S3_ACCESS_KEY and S3_SECRET_KEY are required' }),
  S3_ACCESS_KEY: optional(text(1, 'a key'), '—', { scope: 'serve', readBy: [CONFIG], shown: 'secret', doc: "the S3 endpoint's access key" }),
  S3_SECRET_KEY: optional(text(1, 'a key'), '—', { scope: 'serve', readBy: [CONFIG], shown: 'secret', doc: "the S3 endpoint's secret key" }),
  S3_BUCKET: withDefault(S3_BUCKET_NAME, 'modelops', { scope: 'serve', readBy: [CONFIG], doc: 'the bucket of the artifacts' }),
  S3_REGION: withDefault(text(1, 'a region name'), 'us-east-1', { scope: 'serve', readBy: [CONFIG], doc: "the S3 endpoint's region" }),
  MODELOPS_METRICS_ADDR: withDefault(hostPort({ off: true }), '127.0.0.1:9464', { scope: 'serve', readBy: [CONFIG],
    doc: 'Prometheus `/metrics` (`--metrics-addr` wins); `off` disables' }),
  MODELOPS_CONSOLE_ADDR: withDefault(hostPort({ off: true }), '127.0.0.1:8080', { scope: 'serve', readBy: [CONFIG],
    doc: 'the read-only web console (see Console); `off` disables' }),
  MODELOPS_ADMIN_TOKEN: optional(text(16), '—', { scope: 'serve', readBy: [CONFIG], shown: 'secret',
    doc: 'seeds the first admin token if none exists' }),
  MODELOPS_REQUIRE_TOKEN_FOR_READS: withDefault(flag, false, { scope: 'serve', readBy: [CONFIG], shownDefault: '`0`',
    doc: '`1`: reads and Score need a token too' }),
  MODELOPS_TLS_CERT: optional(existingFile, 'plaintext', { scope: 'serve', readBy: [CONFIG],
    doc: "the server's TLS certificate (PEM file); set with MODELOPS_TLS_KEY" }),
  MODELOPS_TLS_KEY: optional(existingFile, 'plaintext', { scope: 'serve', readBy: [CONFIG],
    doc: "the server's TLS private key (PEM file); set with MODELOPS_TLS_CERT" }),
  MODELOPS_TOKEN: optional(text(1, 'a token'), '`$MODELOPS_HOME/admin-token`', { scope: 'cli', readBy: [CLIENT, 'cli/commands/start.ts'], shown: 'secret',
    doc: "the CLI's token (`--token` wins)" }),
  MODELOPS_TLS_CA: optional(existingFile, 'plaintext', { scope: 'cli', readBy: [CLIENT],
    doc: 'the CLI connects with TLS, trusting this CA (PEM file)' }),
  MODELOPS_TLS: withDefault(flag, false, { scope: 'cli', readBy: [CLIENT], shownDefault: '`0`',
    doc: '`1`: the CLI connects with TLS, trusting the system roots' }),
  MODELOPS_LOG_LEVEL: optional(oneOf(LOG_LEVELS), '`info`; `warn` for backup and restore',
    { scope: 'serve', readBy: ['services/common/logger.ts', 'cli/commands/backup.ts'], doc: 'the level of the JSON logs on stderr' }),
  MODELOPS_TRAINING_CONCURRENCY: withDefault(wholeNumber(1, 64, 'jobs'), 1, { scope: 'serve', readBy: [TRAINING],
    doc: 'training jobs run at once per process (the rest queue)' }),
  MODELOPS_TRAINING_POLL_MS: withDefault(ms(1), 3000, { scope: 'serve', readBy: [TRAINING],
    doc: 'how often a training service looks for queued and orphaned jobs' }),
  MODELOPS_TRAINING_QUEUE_MAX: withDefault(wholeNumber(1, Number.MAX_SAFE_INTEGER, 'jobs'), 100, { scope: 'serve', readBy: [TRAINING],
    doc: 'the most training jobs queued at once (all processes); a start beyond it is `RESOURCE_EXHAUSTED`' }),
  MODELOPS_WRITE_CONCURRENCY: withDefault(wholeNumber(1, 10_000, 'calls'), 2, { scope: 'serve', readBy: ['services/common/admission.ts'],
    doc: 'back-pressure per process for `IngestEvents` and `RecordOutcomes` (each): calls run at once' }),
  MODELOPS_WRITE_QUEUE: withDefault(wholeNumber(0, 10_000, 'calls'), 16, { scope: 'serve', readBy: ['services/common/admission.ts'],
    doc: 'back-pressure: calls of each that wait for a turn; beyond both `RESOURCE_EXHAUSTED`' }),
  MODELOPS_TF_BACKEND: optional(oneOf(TF_BACKENDS), 'auto', { scope: 'serve', readBy: ['ml/train/backend.ts'],
    doc: 'force the training backend: `ort` (the onnxruntime engine) or a TensorFlow.js backend; auto: tfjs-node-gpu when it loads, '
      + 'else the onnxruntime engine for the arch x task pairs it covers (docs/training.md)' }),
  MODELOPS_GIT_COMMIT: optional(text(1, 'a commit id'), "the checkout's `HEAD`", { scope: 'serve', readBy: ['core/provenance.ts'],
    doc: 'the commit recorded in provenance, for a server that runs without `.git`' }),
  MODELOPS_SCORING_TIMEZONE: withDefault(timeZone, 'UTC', { scope: 'serve', readBy: [SCORING],
    doc: "market time zone for models whose `model.json` names none (Score's default hod/dow)" }),
  MODELOPS_SCORING_REFRESH_MS: withDefault(ms(0), 600_000, { scope: 'serve', readBy: [SCORING],
    doc: 'item-vector cache rebuild period (0 disables)' }),
  MODELOPS_SCORING_RECHECK_MS: withDefault(ms(0), 30_000, { scope: 'serve', readBy: [SCORING],
    doc: 're-check of served models, covering a missed notification (0 disables)' }),
  MODELOPS_SCORING_USER_TTL_MS: withDefault(ms(0), 30_000, { scope: 'serve', readBy: [SCORING],
    doc: 'lifetime of cached user features and the user vector computed from them' }),
  MODELOPS_SCORING_KEEP_PREVIOUS_MS: withDefault(ms(0), 600_000, { scope: 'serve', readBy: [SCORING],
    doc: 'how long a replaced production version stays loaded for a fast rollback (0 frees it)' }),
  MODELOPS_RETRIEVE_ANN_MIN_ITEMS: withDefault(countOrOff(1), 1_000_000 as number | 'off', { scope: 'serve', readBy: [SCORING],
    doc: 'catalog size from which Retrieve builds its approximate index; `off`: exact search only' }),
  MODELOPS_RETRIEVE_MIN_RECALL: withDefault(decimal(0, 1), 0.95, { scope: 'serve', readBy: [SCORING],
    doc: "the approximate index's recall canary threshold; below it the build is refused" }),
  MODELOPS_GUARDRAIL_INTERVAL_MS: withDefault(ms(0), 2000, { scope: 'serve', readBy: [ROLLOUT],
    doc: 'at most one guardrail readout per rollout per interval (one trailing check always runs)' }),
  MODELOPS_SERVED_RETENTION_DAYS: withDefault(decimal(0, Infinity, { aboveMin: true, unit: 'days' }), 7, { scope: 'serve', readBy: [ROLLOUT],
    doc: 'how long served records (request-id joins of outcomes) are kept' }),
  MODELOPS_CUPED_LOOKBACK_DAYS: withDefault(decimal(0, Infinity, { aboveMin: true, unit: 'days' }), 14, { scope: 'serve', readBy: [ROLLOUT],
    doc: "days before a rollout's start whose watch time is the CUPED covariate" }),
  MODELOPS_RAMP_TICK_MS: withDefault(ms(1), 1000, { scope: 'serve', readBy: [ROLLOUT],
    doc: 'how often the rollout service checks progressive ramps' }),
  MODELOPS_STORY_USERS: withDefault(wholeNumber(10, 1_000_000, 'users'), 2000, { scope: 'cli', readBy: ['cli/first-run.ts'],
    doc: "the first-run story's users (tests shrink it)" }),
  MODELOPS_STORY_ITEMS: withDefault(wholeNumber(10, 1_000_000, 'items'), 300, { scope: 'cli', readBy: ['cli/first-run.ts'],
    doc: "the first-run story's items" }),
  MODELOPS_STORY_EPOCHS: withDefault(wholeNumber(1, 100, 'epochs'), 3, { scope: 'cli', readBy: ['cli/first-run.ts'],
    doc: "the first-run story's training epochs" }),
  npm_lifecycle_event: optional(text(1, "the npm script's name"), 'not run by npm', { scope: 'npm', readBy: ['cli/launcher.ts'],
    doc: 'set by npm: `npm start` stops the server when npm ends' }),
} satisfies Record<string, VarSpec<unknown>>;

/** The name of a registered variable. */
export type VarName = keyof typeof VARS;

/** The value a read of `N` returns. */
export type VarValue<N extends VarName> = (typeof VARS)[N]['fallback'];

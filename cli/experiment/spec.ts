// An experiment specification (experiments/*.yaml): the data (a source to import or generate, a window, the
// split and filters), the rows (each a recipe with every `data build` and `train` setting written out), the
// baseline row, the seeds, the evaluation settings and the claims to check. `parseSpec` validates a parsed
// document, fills in every default, and says what to fix, naming the field; plan.ts lists the datasets, seed
// groups and evaluations the runner needs.
import * as path from 'node:path';
import { parseBuckets, parseLabel, parseTask } from '../../ml/labels/spec';

/** Where the events come from. */
export interface DataSpec {
  /** The event source name on the server. */
  source: string;
  /** Files to stream with `data import` when the source has no events yet (a folder, resolved against the working directory, then the repository). */
  import?: { format: 'kuairand' | 'modelops'; dir: string };
  /** A synthetic log to generate (`data generate`) when the source has no events yet. */
  generate?: { users: number; items: number; days: number; seed: number; views_per_day?: number };
  /** The window of every dataset: FROM..TO or last-Nd. */
  window: string;
  train_frac: number;
  val_frac: number;
  min_user_views: number;
  max_user_views: number;
  min_item_views: number;
}

/** One expectation of the seed document, checked against the measurements. */
export interface ClaimSpec {
  /** The seed document's words. */
  text: string;
  /** What is checked: higher/lower/equal against `against`, consistent or inconsistent across days, uninformative metric, or not testable. */
  expect: 'higher' | 'lower' | 'equal' | 'consistent' | 'inconsistent' | 'uninformative' | 'not-testable';
  /** The metrics checked (evaluation metric names, or training_seconds). */
  metrics: string[];
  /** The row compared with (default: the baseline row). */
  against: string;
  /** Which evaluation: own (the row's dataset and label), reference (the shared reference dataset) or a target label on the row's own dataset. */
  target: string;
  /** The protocol whose numbers are checked (default viewed, as the seed's per-user lists). */
  protocol: 'viewed' | 'catalog';
  /** For `equal`: the largest absolute difference that counts as equal. */
  margin: number;
  /** For `not-testable`: why. */
  why: string;
}

/** One row: a recipe with every setting of `data build` and `train` written out. */
export interface RowSpec {
  /** The row's name and its first version's name (later seeds: NAME-s2 ...). */
  name: string;
  /** The seed document's row, in its words. */
  seed_row: string;
  label: string;
  task: 'binary' | 'regression';
  buckets: string;
  arch: string;
  epochs: number;
  batch_size: number;
  learning_rate: number;
  hidden: number[];
  vector_dim: number;
  cat_dim: number;
  grl_lambda: number;
  /** Early-stopping patience on the validation part (0 = off). */
  patience: number;
  /** Sampled catalog negatives per training row (`train --negatives`; 0 = none). */
  negatives: number;
  claims: ClaimSpec[];
}

/** A whole experiment. */
export interface ExperimentSpec {
  /** The experiment's name (a file name, a title). */
  name: string;
  /** The model the versions are registered under (created when missing). */
  model: string;
  description: string;
  /** Where the data comes from and its licence, shown wherever the results are. */
  attribution: string;
  data: DataSpec;
  /** The row every other is compared with (prod-p90 in the seed). */
  baseline: string;
  /** Training seeds per row. */
  seeds: number;
  /** The first seed (later ones: seed+1, ...). */
  seed: number;
  /** How many trainings or evaluations the runner keeps in flight. */
  concurrency: number;
  evaluation: {
    protocol: 'viewed' | 'catalog' | 'both';
    ks: number[];
    resamples: number;
    /** The shared dataset every row is also evaluated on, so rows can be compared with each other. */
    reference: { label: string; task: 'binary' | 'regression'; buckets: string } | null;
    /**
     * Which rows are evaluated on the reference: `all`, or `needed` (rows whose own target it is, and claims that
     * name it), which saves an evaluation per other row where evaluations are the slow part.
     */
    reference_for: 'all' | 'needed';
    /** The metrics the report's tables and plots show. */
    metrics: string[];
  };
  rows: RowSpec[];
}

export const ARCHS = ['two-tower-base', 'two-tower-mod', 'two-tower-grl', 'modified-two-tower'];
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const EXPECTS: ClaimSpec['expect'][] = ['higher', 'lower', 'equal', 'consistent', 'inconsistent', 'uninformative', 'not-testable'];

/** Row settings taken from `defaults` when a row leaves them out (those of `modelops train`). */
export const ROW_DEFAULTS = {
  task: 'binary', buckets: 'equi-quantile:10', arch: 'two-tower-base', epochs: 5, batch_size: 1024, learning_rate: 0.001,
  hidden: [256, 128], vector_dim: 64, cat_dim: 8, grl_lambda: 1, patience: 2, negatives: 0,
};

/** A specification error: names the field and says what to give. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new SpecError(`${where}: expected a mapping (key: value lines)`);
  return v as Obj;
}

function known(o: Obj, keys: string[], where: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new SpecError(`${where}.${k}: unknown field; the fields are ${keys.join(', ')}`);
}

function str(o: Obj, k: string, where: string, def?: string): string {
  const v = o[k] ?? def;
  if (v === undefined) throw new SpecError(`${where}.${k}: required`);
  if (typeof v !== 'string' && typeof v !== 'number') throw new SpecError(`${where}.${k}: expected text`);
  return String(v);
}

function number(o: Obj, k: string, where: string, def: number | undefined, check: (x: number) => boolean, what: string): number {
  const v = o[k] ?? def;
  if (v === undefined) throw new SpecError(`${where}.${k}: required (${what})`);
  if (typeof v !== 'number' || !check(v)) throw new SpecError(`${where}.${k}: ${JSON.stringify(v)} is not ${what}`);
  return v;
}

const int = (lo: number, hi: number) => (x: number) => Number.isInteger(x) && x >= lo && x <= hi;

function parseClaim(c: unknown, where: string, rowNames: string[], baseline: string): ClaimSpec {
  const o = obj(c, where);
  known(o, ['text', 'expect', 'metric', 'metrics', 'against', 'target', 'protocol', 'margin', 'why'], where);
  const expect = str(o, 'expect', where) as ClaimSpec['expect'];
  if (!EXPECTS.includes(expect)) throw new SpecError(`${where}.expect: "${expect}" is not one of ${EXPECTS.join(', ')}`);
  const metrics = o.metrics !== undefined ? (o.metrics as unknown[]).map(String) : o.metric !== undefined ? [String(o.metric)] : [];
  if (expect !== 'not-testable' && metrics.length === 0) throw new SpecError(`${where}: give metric or metrics (such as hit_rate@10)`);
  const against = str(o, 'against', where, baseline);
  if (!rowNames.includes(against)) throw new SpecError(`${where}.against: "${against}" is not a row of this experiment (rows: ${rowNames.join(', ')})`);
  const target = str(o, 'target', where, 'own');
  if (target !== 'own' && target !== 'reference') parseLabel(target);
  const protocol = str(o, 'protocol', where, 'viewed');
  if (protocol !== 'viewed' && protocol !== 'catalog') throw new SpecError(`${where}.protocol: "${protocol}" is not viewed or catalog`);
  const margin = number(o, 'margin', where, 0.01, (x) => x >= 0, 'a number >= 0');
  const why = str(o, 'why', where, '');
  if (expect === 'not-testable' && !why) throw new SpecError(`${where}.why: say why the claim cannot be tested here`);
  return { text: str(o, 'text', where), expect, metrics, against, target, protocol: protocol as ClaimSpec['protocol'], margin, why };
}

function parseRow(r: unknown, i: number, defaults: Obj): RowSpec & { rawClaims: unknown[] } {
  const where = `rows[${i}]`;
  const o = { ...defaults, ...obj(r, where) };
  const fields = ['name', 'seed_row', 'label', 'task', 'buckets', 'arch', 'epochs', 'batch_size', 'learning_rate', 'hidden', 'vector_dim', 'cat_dim', 'grl_lambda', 'patience', 'negatives', 'claims'];
  known(o, fields, where);
  const name = str(o, 'name', where);
  if (!NAME.test(name)) throw new SpecError(`${where}.name: "${name}" is not a version name (lower-case letters, digits, '.', '_', '-'; at most 63)`);
  const d = ROW_DEFAULTS;
  const label = str(o, 'label', where);
  const task = str(o, 'task', where, d.task);
  const buckets = str(o, 'buckets', where, d.buckets);
  try {
    parseLabel(label);
    parseTask(task);
    parseBuckets(buckets);
  } catch (err) {
    throw new SpecError(`${where} (${name}): ${(err as Error).message}`);
  }
  const arch = str(o, 'arch', where, d.arch);
  if (!ARCHS.includes(arch)) throw new SpecError(`${where}.arch: "${arch}" is not one of ${ARCHS.join(', ')}`);
  const hidden = (o.hidden ?? d.hidden) as unknown;
  if (!Array.isArray(hidden) || hidden.length === 0 || !hidden.every((h) => Number.isInteger(h) && h > 0)) {
    throw new SpecError(`${where}.hidden: expected a list of positive whole numbers such as [256, 128]`);
  }
  const claims = o.claims === undefined ? [] : o.claims;
  if (!Array.isArray(claims)) throw new SpecError(`${where}.claims: expected a list`);
  return {
    name, seed_row: str(o, 'seed_row', where, ''), label, task: task as RowSpec['task'], buckets, arch,
    epochs: number(o, 'epochs', where, d.epochs, int(1, 1000), 'a whole number from 1 to 1000'),
    batch_size: number(o, 'batch_size', where, d.batch_size, int(1, 65536), 'a whole number from 1 to 65536'),
    learning_rate: number(o, 'learning_rate', where, d.learning_rate, (x) => x > 0 && x < 1, 'a number between 0 and 1'),
    hidden: hidden as number[],
    vector_dim: number(o, 'vector_dim', where, d.vector_dim, int(1, 4096), 'a whole number from 1 to 4096'),
    cat_dim: number(o, 'cat_dim', where, d.cat_dim, int(1, 1024), 'a whole number from 1 to 1024'),
    grl_lambda: number(o, 'grl_lambda', where, d.grl_lambda, (x) => x >= 0, 'a number >= 0'),
    patience: number(o, 'patience', where, d.patience, int(0, 1000), 'a whole number >= 0 (0 = no early stopping)'),
    negatives: number(o, 'negatives', where, d.negatives, int(0, 100), 'a whole number from 0 to 100 (0 = no sampled negatives)'),
    claims: [], rawClaims: claims,
  };
}

/** Validates a parsed YAML document and fills in every default. */
export function parseSpec(doc: unknown): ExperimentSpec {
  const o = obj(doc, 'the file');
  known(o, ['name', 'model', 'description', 'attribution', 'data', 'baseline', 'seeds', 'seed', 'concurrency', 'evaluation', 'defaults', 'rows'], 'spec');
  const name = str(o, 'name', 'spec');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) throw new SpecError(`spec.name: "${name}" is not a name (letters, digits, '.', '_', '-')`);
  const data = obj(o.data, 'data');
  known(data, ['source', 'import', 'generate', 'window', 'train_frac', 'val_frac', 'min_user_views', 'max_user_views', 'min_item_views'], 'data');
  let imp: DataSpec['import'];
  if (data.import !== undefined) {
    const i = obj(data.import, 'data.import');
    known(i, ['format', 'dir'], 'data.import');
    const format = str(i, 'format', 'data.import');
    if (format !== 'kuairand' && format !== 'modelops') throw new SpecError(`data.import.format: "${format}" is not kuairand or modelops`);
    imp = { format, dir: str(i, 'dir', 'data.import') };
  }
  let gen: DataSpec['generate'];
  if (data.generate !== undefined) {
    const g = obj(data.generate, 'data.generate');
    known(g, ['users', 'items', 'days', 'seed', 'views_per_day'], 'data.generate');
    gen = {
      users: number(g, 'users', 'data.generate', undefined, int(1, 1_000_000), 'a whole number of users'),
      items: number(g, 'items', 'data.generate', undefined, int(1, 1_000_000), 'a whole number of items'),
      days: number(g, 'days', 'data.generate', 7, int(1, 365), 'a whole number of days'),
      seed: number(g, 'seed', 'data.generate', 1, Number.isInteger, 'a whole number'),
      ...(g.views_per_day !== undefined ? { views_per_day: number(g, 'views_per_day', 'data.generate', undefined, (x) => x > 0, 'a positive number') } : {}),
    };
  }
  if (imp && gen) throw new SpecError('data: give import or generate, not both');
  const dataSpec: DataSpec = {
    source: str(data, 'source', 'data'), ...(imp ? { import: imp } : {}), ...(gen ? { generate: gen } : {}),
    window: str(data, 'window', 'data', 'last-7d'),
    train_frac: number(data, 'train_frac', 'data', 0.6, (x) => x > 0 && x < 1, 'a fraction between 0 and 1'),
    val_frac: number(data, 'val_frac', 'data', 0.1, (x) => x >= 0 && x < 1, 'a fraction from 0 to 1'),
    min_user_views: number(data, 'min_user_views', 'data', 4, int(1, 1e9), 'a whole number'),
    max_user_views: number(data, 'max_user_views', 'data', 2000, int(1, 1e9), 'a whole number'),
    min_item_views: number(data, 'min_item_views', 'data', 100, int(1, 1e9), 'a whole number'),
  };
  const defaults = obj(o.defaults, 'defaults');
  if (!Array.isArray(o.rows) || o.rows.length === 0) throw new SpecError('rows: give a list of rows (each with name, label, task, buckets, arch, ...)');
  const rows = o.rows.map((r, i) => parseRow(r, i, defaults));
  const names = rows.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new SpecError(`rows: "${dup}" is named twice; each row needs its own name`);
  const baseline = str(o, 'baseline', 'spec', names[0]);
  if (!names.includes(baseline)) throw new SpecError(`spec.baseline: "${baseline}" is not a row (rows: ${names.join(', ')})`);
  for (const r of rows) {
    r.claims = r.rawClaims.map((c, j) => parseClaim(c, `rows[${names.indexOf(r.name)}].claims[${j}]`, names, baseline));
    const self = r.claims.findIndex((c) => c.against === r.name && c.expect !== 'not-testable');
    if (self >= 0) throw new SpecError(`rows[${names.indexOf(r.name)}].claims[${self}].against: a row is compared with another row; name one (rows: ${names.filter((n) => n !== r.name).join(', ')})`);
  }
  const ev = obj(o.evaluation, 'evaluation');
  known(ev, ['protocol', 'ks', 'resamples', 'reference', 'reference_for', 'metrics'], 'evaluation');
  const protocol = str(ev, 'protocol', 'evaluation', 'both');
  if (!['viewed', 'catalog', 'both'].includes(protocol)) throw new SpecError(`evaluation.protocol: "${protocol}" is not viewed, catalog or both`);
  const ks = (ev.ks ?? [5, 10, 50, 100]) as unknown;
  if (!Array.isArray(ks) || !ks.every((k) => Number.isInteger(k) && k >= 1 && k <= 1000)) throw new SpecError('evaluation.ks: expected a list of whole numbers from 1 to 1000');
  let reference: ExperimentSpec['evaluation']['reference'] = null;
  if (ev.reference !== undefined && ev.reference !== null) {
    const r = obj(ev.reference, 'evaluation.reference');
    known(r, ['label', 'task', 'buckets'], 'evaluation.reference');
    reference = { label: str(r, 'label', 'evaluation.reference'), task: str(r, 'task', 'evaluation.reference', 'binary') as 'binary', buckets: str(r, 'buckets', 'evaluation.reference', 'equi-quantile:10') };
    parseLabel(reference.label);
    parseTask(reference.task);
    parseBuckets(reference.buckets);
  }
  const referenceFor = str(ev, 'reference_for', 'evaluation', 'all');
  if (referenceFor !== 'all' && referenceFor !== 'needed') throw new SpecError(`evaluation.reference_for: "${referenceFor}" is not all or needed`);
  const metrics = ((ev.metrics ?? ['gauc', 'recall@10', 'map', 'mrr', 'hit_rate@10', 'ndcg@10']) as unknown[]).map(String);
  return {
    name, model: str(o, 'model', 'spec', name.toLowerCase()), description: str(o, 'description', 'spec', ''), attribution: str(o, 'attribution', 'spec', ''), data: dataSpec, baseline,
    seeds: number(o, 'seeds', 'spec', 3, int(1, 20), 'a whole number from 1 to 20'),
    seed: number(o, 'seed', 'spec', 42, int(0, 2 ** 31), 'a whole number'),
    concurrency: number(o, 'concurrency', 'spec', 2, int(1, 16), 'a whole number from 1 to 16'),
    evaluation: { protocol: protocol as 'both', ks: ks as number[], resamples: number(ev, 'resamples', 'evaluation', 1000, int(1, 10000), 'a whole number from 1 to 10000'), reference, reference_for: referenceFor, metrics },
    rows: rows.map(({ rawClaims: _raw, ...r }) => r),
  };
}

/** Reads and validates a specification file. */
export function loadSpec(file: string, read: (f: string) => string): ExperimentSpec {
  // Loaded here, so that `--help` never pays for the YAML parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  let doc: unknown;
  try {
    doc = YAML.parse(read(file));
  } catch (err) {
    throw new SpecError(`${file}: not YAML (${(err as Error).message})`);
  }
  return parseSpec(doc);
}

/** The folder a relative import path is looked up in: the working directory first, then the spec file's repository. */
export function importDirCandidates(dir: string, specFile: string, cwd = process.cwd()): string[] {
  if (path.isAbsolute(dir)) return [dir];
  return [path.resolve(cwd, dir), path.resolve(path.dirname(path.resolve(specFile)), '..', dir)];
}

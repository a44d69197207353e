// The rollout store: rollouts with their weight history, outcomes, served records and shadow statistics,
// in Postgres. Changes run inside the registry's model lock (RegistryStore.withModelLock), so a rollout
// change and a promotion of the same model never interleave, each change is audited in the registry's
// audit log in the same transaction, and `NOTIFY modelops_changes {"model","kind":"rollout"}` goes out at
// commit. ORM rows never leave this file.
import * as crypto from 'node:crypto';
import { In, type Repository } from 'typeorm';
import type { Pool } from 'pg';
import type { Database } from './data-source';
import type { ModelTx, RegistryStore } from './registry-store';
import { RolloutChangeEntity, RolloutEntity, type RolloutChangeRow, type RolloutRow, type StoredArm } from './entities/rollout.entity';
import { alreadyExists, failedPrecondition, invalid, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { rampArms, rolloutRampMoves, validateArms, type Arm } from '../ml/rollout/assignment';
import { checkGuardrail, type ArmSums, type ClusterSums, type Guardrail, type MetricKey, type WtgReference } from '../ml/rollout/readout';
import type { SrmGroup } from '../ml/rollout/srm';
import type { CupedSums } from '../ml/rollout/cuped';
import type { Progression } from '../ml/rollout/progression';
import { servingRefusal } from '../ml/model/servable';

/** A rollout arm as stored: version name and number, weight in percent. */
export type RolloutArmRecord = StoredArm;

/** One entry of a rollout's weight history. */
export interface RolloutChange {
  time: Date;
  kind: 'start' | 'ramp' | 'stop' | 'guardrail-stop';
  arms: RolloutArmRecord[];
  actor: string;
  reason: string;
}

/** A rollout as the rest of the platform sees it. */
export interface Rollout {
  id: string;
  model: string;
  state: 'active' | 'stopped';
  /** The control arm's version name (production when the rollout started). */
  control: string;
  controlNumber: number;
  arms: RolloutArmRecord[];
  salt: string;
  shadow: { version: string; number: number }[];
  guardrails: Guardrail[];
  createdBy: string;
  startTime: Date;
  stopTime: Date | null;
  stopReason: string;
  stoppedBy: string;
  /** The weight history, oldest first. */
  history: RolloutChange[];
  /** The progressive ramp, when the rollout was started with steps. */
  progression?: Progression;
  /** The exploration share, 0..1 (0: no exploration). */
  exploreShare: number;
}

/** One candidate a Score response moved to a random position (the exploration log). */
export interface ExplorationRecord {
  rolloutId: string;
  /** The Score request. */
  requestId: string;
  /** The arm that served it. */
  arm: string;
  userId: string;
  itemId: string;
  /** Its position in the returned list, 0-based. */
  position: number;
  /** The length of the returned list. */
  listLength: number;
  time: Date;
}

/** One outcome joined to its rollout and arm, ready to insert. */
export interface JoinedOutcome {
  /** The rollout whose arm served the view. */
  rolloutId: string;
  /** The arm (its version's name). */
  arm: string;
  /** The arm's version number. */
  versionNumber: number;
  /** The viewer. */
  userId: string;
  /** The Score request that served it; empty when the caller gave only the user. */
  requestId: string;
  /** The video viewed. */
  itemId: string;
  /** Watch time in seconds. */
  timespentS: number;
  /** Video length in seconds; 0 when unknown (then no WTG or completion). */
  videoLengthS: number;
  /** Whether the viewer liked it. */
  liked: boolean;
  /** Whether the viewer shared it. */
  shared: boolean;
  /** When the view happened (the join picks the weights in force then). */
  time: Date;
  /** The viewer's handset maker; empty when the client did not say. */
  handsetMaker?: string;
}

/** One exposure as a scoring replica counted it: a user served by an arm under given weights on a day. */
export interface ExposureRecord {
  /** The rollout. */
  rolloutId: string;
  /** The weights in force for the replica, canonical `arm=weight,...` sorted by arm (weightsKey). */
  weights: string;
  /** The arm that served the user. */
  arm: string;
  /** The user. */
  userId: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** The handset maker of the request; empty when unknown. */
  handsetMaker: string;
  /** When the replica first saw it. */
  time: Date;
}

/**
 * The (user, item, time) of every candidate the exploration slot of any rollout of `model` showed, oldest
 * first (a plain query on the pool: the dataset builder, which has no TypeORM handle, reads it).
 */
export async function explorationShows(pool: Pool, model: string): Promise<{ userId: string; itemId: string; timeMs: number }[]> {
  const r = await pool.query<{ user_id: string; item_id: string; time: Date }>(`
    SELECT e.user_id, e.item_id, e.time FROM rollout_explorations e JOIN rollouts r ON r.id = e.rollout_id
    WHERE r.model = $1 ORDER BY e.time`, [model]);
  return r.rows.map((x) => ({ userId: x.user_id, itemId: x.item_id, timeMs: x.time.getTime() }));
}

/** The canonical text of a weight configuration, the key exposures are counted under. */
export function weightsKey(arms: { version: string; weight: number }[]): string {
  return [...arms].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)).map((a) => `${a.version}=${a.weight}`).join(',');
}

/** Parses weightsKey's text back into arm -> weight. */
function parseWeightsKey(k: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of k.split(',').filter(Boolean)) {
    const i = part.lastIndexOf('=');
    out[part.slice(0, i)] = Number(part.slice(i + 1));
  }
  return out;
}

/** Per-arm CUPED sums with how many users had a pre-exposure covariate. */
export interface ArmCupedSums {
  arm: string;
  sums: CupedSums;
  usersWithCovariate: number;
}

/** A served record: which user a request was for and which arm served it. */
export interface ServedRecord {
  requestId: string;
  model: string;
  userId: string;
  arm: string;
  time: Date;
}

/** A flush of shadow statistics for one version of one rollout (sums, so flushes add up). */
export interface ShadowStatsDelta {
  rolloutId: string;
  version: string;
  offered: number;
  scored: number;
  shed: number;
  failed: number;
  corrCount: number;
  sumSpearman: number;
  sumKendall: number;
  sumLatencyMs: number;
  /** Counts per latency bucket (shadow-queue.ts LATENCY_BUCKETS_MS). */
  latencyHist: number[];
  topK: number;
}

/** The total shadow statistics of one version. */
export type ShadowStatsTotal = Omit<ShadowStatsDelta, 'rolloutId'>;

function toChange(r: RolloutChangeRow): RolloutChange {
  return { time: r.time, kind: r.kind as RolloutChange['kind'], arms: r.arms, actor: r.actor, reason: r.reason };
}

function toRollout(r: RolloutRow, history: RolloutChangeRow[]): Rollout {
  return {
    id: r.id, model: r.model, state: r.state as Rollout['state'], control: r.control, controlNumber: r.controlNumber,
    arms: r.arms, salt: r.salt, shadow: r.shadow, guardrails: r.guardrails.map((g) => ({ ...g, metric: g.metric as MetricKey })),
    createdBy: r.createdBy, startTime: r.startTime, stopTime: r.stopTime, stopReason: r.stopReason, stoppedBy: r.stoppedBy,
    history: history.map(toChange), exploreShare: Number(r.exploreShare ?? 0),
    ...(r.progression ? { progression: r.progression } : {}),
  };
}

/** The version numbers of names in a model (NOT_FOUND naming the first missing one). */
async function versionNumbers(t: ModelTx, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await t.query<{ name: string; number: number }>('SELECT name, number FROM model_versions WHERE model = $1 AND name = ANY($2::text[])', [t.model, names]);
  const out = new Map(rows.map((r) => [r.name, r.number]));
  for (const n of names) {
    if (!out.has(n)) throw notFound(`version "${n}" of model "${t.model}" not found; list versions with \`modelops versions list ${t.model}\``);
  }
  return out;
}

/**
 * Refuses (FAILED_PRECONDITION) when a version that would serve traffic as an arm is one Score cannot serve
 * (servable.ts decides). Runs inside the model lock before any write.
 */
async function checkServable(t: ModelTx, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const rows = await t.query<{ name: string; source: string; arch: string; artifacts: { name: string }[] | null }>(
    'SELECT name, source, arch, artifacts FROM model_versions WHERE model = $1 AND name = ANY($2::text[]) ORDER BY number', [t.model, names]);
  for (const r of rows) {
    const why = servingRefusal({ name: r.name, source: r.source, arch: r.arch, artifacts: r.artifacts ?? [] });
    if (why) throw failedPrecondition(`arms: "${r.name}" cannot serve traffic: ${why}`);
  }
}

/**
 * The duration group of a length in SQL: the number of edges strictly below it (readout.ts groupOf).
 * width_bucket(x, t) counts the thresholds t <= x, so over the negated edges in ascending order
 * width_bucket(-len, -edges) counts the edges >= len, and the group is n - that. One call per row instead of
 * a subquery over the edges (measured ~2x faster in bench/outcomes.bench.ts). `$arr` holds the negated edges.
 */
const GROUP_SQL = (len: string, arr: string) => `(cardinality(${arr}::float8[]) - width_bucket(-${len}, ${arr}::float8[]))`;

/** The argument GROUP_SQL expects: the edges negated, ascending. */
function edgesArg(edges: number[]): number[] {
  return edges.map((e) => -e).reverse();
}

/** Stores rollouts and their outcomes. */
export class RolloutStore {
  private readonly rollouts: Repository<RolloutRow>;
  private readonly changes: Repository<RolloutChangeRow>;

  /**
   * `registry` is needed for changes (they run in its model lock and write its audit log); a reader such as
   * the scoring service may pass only the database.
   */
  constructor(private readonly db: Database, private readonly registryStore?: RegistryStore) {
    this.rollouts = db.dataSource.getRepository(RolloutEntity);
    this.changes = db.dataSource.getRepository(RolloutChangeEntity);
  }

  private get registry(): RegistryStore {
    if (!this.registryStore) throw new Error('RolloutStore: changes need the RegistryStore (pass it to the constructor)');
    return this.registryStore;
  }

  /**
   * Starts a rollout: the production version is the control and must be an arm (add it with the remaining
   * weight when the caller left it out). FAILED_PRECONDITION without production; ALREADY_EXISTS when the
   * model has an active rollout (the partial unique index decides, also across processes).
   */
  async start(input: { model: string; arms: Arm[]; shadow: string[]; guardrails: Guardrail[]; salt?: string; actor: string; reason: string;
    progression?: Progression; exploreShare?: number }): Promise<Rollout> {
    const explore = input.exploreShare ?? 0;
    if (!(explore >= 0 && explore <= 1)) throw invalid(`explore: ${explore} is not a share between 0 and 1 (for example 0.05)`);
    const id = await this.registry.withModelLock(input.model, async (t) => {
      const prodNumber = await t.aliasOf('production');
      if (prodNumber === undefined) {
        throw failedPrecondition(`model "${input.model}" has no production version; promote one first (\`modelops promote ${input.model} <version>\`)`);
      }
      const [prod] = await t.query<{ name: string }>('SELECT name FROM model_versions WHERE model = $1 AND number = $2', [input.model, prodNumber]);
      let arms = input.arms.map((a) => ({ ...a }));
      if (input.progression) {
        const treatments = arms.filter((a) => a.version !== prod.name);
        if (treatments.length !== 1) {
          throw invalid(`arms: a progressive ramp ramps exactly one treatment besides the control "${prod.name}"; ${treatments.length} given (for example prod-wtg-2=5 --steps 5,10,25,50)`);
        }
        input.progression.treatment = treatments[0].version;
        arms = [{ version: treatments[0].version, weight: input.progression.steps[0] }];
      }
      if (!arms.some((a) => a.version === prod.name)) {
        const rest = 100 - arms.reduce((s, a) => s + a.weight, 0);
        arms.push({ version: prod.name, weight: rest });
      }
      validateArms(arms, prod.name);
      // A rollout with only the control serves production to everyone and exists for its shadow versions or
      // its exploration slot.
      if (arms.length < 2 && input.shadow.length === 0 && explore === 0) {
        throw invalid(`arms: give at least one treatment besides the control "${prod.name}" (for example prod-wtg-2=10), a shadow version or an exploration share (--explore 0.05)`);
      }
      const shadow = [...new Set(input.shadow)];
      for (const s of shadow) {
        if (arms.some((a) => a.version === s)) throw invalid(`shadow: "${s}" is an arm; a shadow version is scored but never served`);
      }
      input.guardrails.forEach(checkGuardrail);
      const numbers = await versionNumbers(t, [...arms.map((a) => a.version), ...shadow]);
      await checkServable(t, arms.map((a) => a.version));
      const stored: StoredArm[] = arms.map((a) => ({ version: a.version, number: numbers.get(a.version)!, weight: a.weight }));
      const rolloutId = `ro-${crypto.randomBytes(5).toString('hex')}`;
      const salt = input.salt || crypto.randomBytes(8).toString('hex');
      const active = await t.query<{ id: string }>(`SELECT id FROM rollouts WHERE model = $1 AND state = 'active'`, [input.model]);
      const busy = (which: string) => `model "${input.model}" already has an active rollout${which}; ramp it or stop it first (\`modelops rollout stop ${input.model}\`)`;
      if (active.length) throw alreadyExists(busy(` (${active[0].id})`));
      let time: Date;
      try {
        const [row] = await t.query<{ start_time: Date }>(`
          INSERT INTO rollouts (id, model, state, control, control_number, arms, salt, shadow, guardrails, created_by, start_time, progression, explore_share)
          VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $8, $9, clock_timestamp(), $10, $11) RETURNING start_time`,
        [rolloutId, input.model, prod.name, prodNumber, JSON.stringify(stored), salt,
          JSON.stringify(shadow.map((s) => ({ version: s, number: numbers.get(s)! }))), JSON.stringify(input.guardrails), input.actor,
          input.progression ? JSON.stringify(input.progression) : null, explore]);
        time = row.start_time;
        // The first step begins when the rollout does (the database's clock, like every other time here).
        if (input.progression) {
          await t.query('UPDATE rollouts SET progression = $2 WHERE id = $1',
            [rolloutId, JSON.stringify({ ...input.progression, stepStart: time.toISOString() })]);
        }
      } catch (err) {
        throw mapPgError(err, { unique: busy('') });
      }
      await t.query('INSERT INTO rollout_changes (rollout_id, time, kind, arms, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)',
        [rolloutId, time, 'start', JSON.stringify(stored), input.actor, input.reason]);
      const treatments = stored.filter((a) => a.version !== prod.name);
      await t.audit({ action: 'rollout-start', actor: input.actor, reason: input.reason, fromVersion: prodNumber,
        toVersion: treatments.length === 1 ? treatments[0].number : null,
        detail: { rollout: rolloutId, arms: stored, shadow, guardrails: input.guardrails, progression: input.progression ?? null, exploreShare: explore } });
      await t.notify('rollout');
      return rolloutId;
    });
    return this.get(input.model, id);
  }

  /** Ramps the active rollout (see rampArms); returns it and the arms whose users moved besides the ramped ones. */
  /**
   * With `step`, the ramp is a progressive one: it happens only if the rollout `step.rolloutId` is active and
   * still on step `step.from` (else undefined is returned), and the progression moves on in the same transaction.
   * `detail` is added to the audit entry (the numbers behind the ramp, or that it was forced past a check).
   */
  async ramp(model: string, changes: Arm[], actor: string, reason: string,
    opts: { step?: { rolloutId: string; from: number }; detail?: Record<string, unknown> } = {}): Promise<{ rollout: Rollout; movedArms: string[] } | undefined> {
    if (changes.length === 0) throw invalid('arms: name at least one treatment to ramp, for example prod-wtg-2=50');
    const out = await this.registry.withModelLock(model, async (t) => {
      const r = await this.activeIn(t);
      let nextProgression: Progression | undefined;
      if (opts.step) {
        const [cur] = await t.query<{ progression: Progression | null }>('SELECT progression FROM rollouts WHERE id = $1', [r.id]);
        if (r.id !== opts.step.rolloutId || !cur.progression || cur.progression.step !== opts.step.from || cur.progression.state !== 'ramping') return undefined;
        nextProgression = { ...cur.progression, step: opts.step.from + 1, note: reason };
      }
      const spec = { salt: r.salt, control: r.control, arms: r.arms.map((a) => ({ version: a.version, weight: a.weight })) };
      const next = rampArms(spec, changes);
      const known = new Map(r.arms.map((a) => [a.version, a.number]));
      const fresh = next.filter((a) => !known.has(a.version)).map((a) => a.version);
      for (const s of fresh) if (r.shadow.some((x) => x.version === s)) throw invalid(`arms: "${s}" is a shadow version of this rollout; start a new rollout to serve it`);
      const numbers = await versionNumbers(t, fresh);
      await checkServable(t, fresh);
      const stored: StoredArm[] = next.map((a) => ({ version: a.version, number: known.get(a.version) ?? numbers.get(a.version)!, weight: a.weight }));
      const movedArms = rolloutRampMoves(spec, next);
      const [row] = await t.query<{ time: Date }>(`SELECT clock_timestamp() AS time`);
      await t.query('UPDATE rollouts SET arms = $2 WHERE id = $1', [r.id, JSON.stringify(stored)]);
      if (nextProgression) {
        nextProgression.stepStart = row.time.toISOString();
        if (nextProgression.step + 1 >= nextProgression.steps.length) nextProgression.state = 'holding';
        await t.query('UPDATE rollouts SET progression = $2 WHERE id = $1', [r.id, JSON.stringify(nextProgression)]);
      }
      await t.query('INSERT INTO rollout_changes (rollout_id, time, kind, arms, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)',
        [r.id, row.time, 'ramp', JSON.stringify(stored), actor, reason]);
      await t.audit({ action: 'rollout-ramp', actor, reason, detail: { rollout: r.id, from: r.arms, to: stored, movedArms, ...opts.detail } });
      await t.notify('rollout');
      return { id: r.id, movedArms };
    });
    if (!out) return undefined;
    return { rollout: await this.get(model, out.id), movedArms: out.movedArms };
  }

  /** Sets the progression of a rollout when it is still on step `from` (a note, holding, or stopped); false otherwise. */
  async updateProgression(rolloutId: string, from: number, next: Pick<Progression, 'state' | 'note'>): Promise<boolean> {
    const r = await this.db.pool.query(`
      UPDATE rollouts SET progression = progression || $3::jsonb
      WHERE id = $1 AND progression IS NOT NULL AND (progression->>'step')::int = $2 AND progression->>'state' = 'ramping'`,
    [rolloutId, from, JSON.stringify({ state: next.state, note: next.note })]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Active rollouts (of every model) that are ramping progressively, with history. */
  async ramping(): Promise<Rollout[]> {
    const rows = await this.rollouts.createQueryBuilder('r').where(`r.state = 'active'`)
      .andWhere(`r.progression->>'state' = 'ramping'`).getMany();
    return this.withHistory(rows);
  }

  /**
   * Stops the active rollout (production serves everyone again). With `onlyRollout`, stops only if that
   * rollout is still the active one (the guardrail's race with an operator); returns undefined then.
   */
  async stop(model: string, actor: string, reason: string,
    opts: { kind?: 'stop' | 'guardrail-stop'; onlyRollout?: string; detail?: Record<string, unknown> } = {}): Promise<Rollout | undefined> {
    const kind = opts.kind ?? 'stop';
    const id = await this.registry.withModelLock(model, async (t) => {
      const rows = await t.query<{ id: string }>(`SELECT id FROM rollouts WHERE model = $1 AND state = 'active'`, [model]);
      if (rows.length === 0 || (opts.onlyRollout && rows[0].id !== opts.onlyRollout)) {
        if (opts.onlyRollout) return undefined;
        throw failedPrecondition(`model "${model}" has no active rollout; start one with \`modelops rollout start ${model} <version>=<weight>\``);
      }
      const r = await this.activeIn(t);
      const [row] = await t.query<{ time: Date }>(`SELECT clock_timestamp() AS time`);
      const finalArms: StoredArm[] = [{ version: r.control, number: r.controlNumber, weight: 100 }];
      // A progressive ramp ends with its rollout, whoever stopped it, and says why.
      await t.query(`UPDATE rollouts SET state = 'stopped', stop_time = $2, stop_reason = $3, stopped_by = $4,
          progression = CASE WHEN progression IS NULL OR progression->>'state' = 'stopped' THEN progression
            ELSE progression || jsonb_build_object('state', 'stopped', 'note', $3::text) END
        WHERE id = $1`,
        [r.id, row.time, reason, actor]);
      await t.query('INSERT INTO rollout_changes (rollout_id, time, kind, arms, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)',
        [r.id, row.time, kind, JSON.stringify(finalArms), actor, reason]);
      await t.audit({ action: kind === 'stop' ? 'rollout-stop' : 'rollout-guardrail-stop', actor, reason,
        outcome: 'done', toVersion: r.controlNumber, detail: { rollout: r.id, arms: r.arms, ...opts.detail } });
      await t.notify('rollout');
      return r.id;
    });
    return id ? this.get(model, id) : undefined;
  }

  /** The active rollout read inside a model lock. */
  private async activeIn(t: ModelTx): Promise<Rollout> {
    const rows = await t.query<{ id: string }>(`SELECT id FROM rollouts WHERE model = $1 AND state = 'active'`, [t.model]);
    if (rows.length === 0) throw failedPrecondition(`model "${t.model}" has no active rollout; start one with \`modelops rollout start ${t.model} <version>=<weight>\``);
    const [r] = await t.query<{ id: string; salt: string; control: string; control_number: number; arms: StoredArm[]; shadow: Rollout['shadow']; explore_share: number }>(
      'SELECT id, salt, control, control_number, arms, shadow, explore_share FROM rollouts WHERE id = $1', [rows[0].id]);
    return { id: r.id, model: t.model, state: 'active', control: r.control, controlNumber: r.control_number, arms: r.arms, salt: r.salt,
      shadow: r.shadow, guardrails: [], createdBy: '', startTime: new Date(0), stopTime: null, stopReason: '', stoppedBy: '', history: [],
      exploreShare: Number(r.explore_share) };
  }

  /** The active rollout of a model, or undefined (one indexed query plus the history). */
  async active(model: string): Promise<Rollout | undefined> {
    const row = await this.rollouts.findOneBy({ model, state: 'active' });
    return row ? (await this.withHistory([row]))[0] : undefined;
  }

  /** The same as active(): the name the scoring service's adapter looks for. */
  activeRollout(model: string): Promise<Rollout | undefined> {
    return this.active(model);
  }

  /** A rollout by id, or (no id) the active one, else the newest; NOT_FOUND when there is none. */
  async get(model: string, id?: string): Promise<Rollout> {
    let row: RolloutRow | null;
    if (id) row = await this.rollouts.findOneBy({ model, id });
    else row = (await this.rollouts.findOneBy({ model, state: 'active' })) ?? (await this.rollouts.findOne({ where: { model }, order: { startTime: 'DESC', id: 'DESC' } }));
    if (!row) {
      if (this.registryStore) await this.registryStore.getModel(model);
      throw notFound(id ? `rollout "${id}" of model "${model}" not found; list its rollouts with \`modelops rollout list ${model}\`` : `model "${model}" has no rollout; start one with \`modelops rollout start ${model} <version>=<weight>\``);
    }
    return (await this.withHistory([row]))[0];
  }

  /** Rollouts of a model newest first, after the keyset `after` ([start ISO, id]), at most `limit`. */
  async list(model: string, opts: { after?: [string, string]; limit: number }): Promise<Rollout[]> {
    if (this.registryStore) await this.registryStore.getModel(model);
    const q = this.rollouts.createQueryBuilder('r').where('r.model = :model', { model })
      .orderBy('r.start_time', 'DESC').addOrderBy('r.id', 'DESC').take(opts.limit);
    // The token's time has ms, Postgres µs: compare with the last row's exact time, looked up by its id
    // (as RegistryStore.listEvaluations), so rollouts started within one millisecond are not skipped.
    if (opts.after) {
      q.andWhere('(r.start_time, r.id) < (COALESCE((SELECT x.start_time FROM rollouts x WHERE x.id = :id), CAST(:at AS timestamptz)), :id)',
        { at: opts.after[0], id: opts.after[1] });
    }
    return this.withHistory(await q.getMany());
  }

  /** Throws NOT_FOUND when the model does not exist (needs the registry; a no-op without it). */
  async checkModel(model: string): Promise<void> {
    if (this.registryStore) await this.registryStore.getModel(model);
  }

  /** Rollouts of a model whose running interval overlaps [from, to] (for joining outcomes), with history. */
  async overlapping(model: string, from: Date, to: Date): Promise<Rollout[]> {
    const rows = await this.rollouts.createQueryBuilder('r').where('r.model = :model', { model })
      .andWhere('r.start_time <= :to', { to }).andWhere('(r.stop_time IS NULL OR r.stop_time > :from)', { from })
      .orderBy('r.start_time', 'ASC').getMany();
    return this.withHistory(rows);
  }

  private async withHistory(rows: RolloutRow[]): Promise<Rollout[]> {
    if (rows.length === 0) return [];
    const changes = await this.changes.find({ where: { rolloutId: In(rows.map((r) => r.id)) }, order: { time: 'ASC', id: 'ASC' } });
    return rows.map((r) => toRollout(r, changes.filter((c) => c.rolloutId === r.id)));
  }

  /** Inserts joined outcomes in one statement; a view already stored (rollout, user, item, time) is skipped. */
  async insertOutcomes(rows: JoinedOutcome[]): Promise<{ inserted: number; duplicates: number }> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    const col = <K extends keyof JoinedOutcome>(k: K) => rows.map((r) => r[k]);
    try {
      const r = await this.db.pool.query(`
        INSERT INTO rollout_outcomes (rollout_id, arm, version_number, user_id, request_id, item_id, timespent_s, video_length_s, liked, shared, time, handset_maker)
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::bool[], $10::bool[], $11::timestamptz[], $12::text[])
        ON CONFLICT (rollout_id, user_id, item_id, time) DO NOTHING`,
      [col('rolloutId'), col('arm'), col('versionNumber'), col('userId'), col('requestId'), col('itemId'), col('timespentS'),
        col('videoLengthS'), col('liked'), col('shared'), col('time'), rows.map((r) => r.handsetMaker ?? '')]);
      return { inserted: r.rowCount ?? 0, duplicates: rows.length - (r.rowCount ?? 0) };
    } catch (err) {
      throw mapPgError(err, { check: 'outcomes: timespent_s must be >= 0' });
    }
  }

  /** Records served requests (for outcomes that carry only a request id); a known request id is kept. */
  async recordServed(rows: ServedRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.pool.query(`
      INSERT INTO rollout_served (request_id, model, user_id, arm, time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) ON CONFLICT (request_id) DO NOTHING`,
    [rows.map((r) => r.requestId), rows.map((r) => r.model), rows.map((r) => r.userId), rows.map((r) => r.arm), rows.map((r) => r.time)]);
  }

  /** Deletes served records older than `before` (retention); returns how many. */
  async pruneServed(before: Date): Promise<number> {
    const r = await this.db.pool.query('DELETE FROM rollout_served WHERE time < $1', [before]);
    return r.rowCount ?? 0;
  }

  /** The served records of request ids of a model, by request id. */
  async served(model: string, requestIds: string[]): Promise<Map<string, ServedRecord>> {
    if (requestIds.length === 0) return new Map();
    const r = await this.db.pool.query<{ request_id: string; user_id: string; arm: string; time: Date }>(
      'SELECT request_id, user_id, arm, time FROM rollout_served WHERE model = $1 AND request_id = ANY($2::text[])', [model, requestIds]);
    return new Map(r.rows.map((x) => [x.request_id, { requestId: x.request_id, model, userId: x.user_id, arm: x.arm, time: x.time }]));
  }

  /**
   * The WTG reference of a rollout's outcomes: decile edges of video length (percentile_disc, the cut of
   * ml/rollout/readout.ts wtgReference) and the mean timespent per group.
   */
  async wtgReference(rolloutId: string, k = 10): Promise<WtgReference> {
    const fractions = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k);
    const r = await this.db.pool.query<{ edges: number[] | null; max: number | null }>(`
      SELECT percentile_disc($2::float8[]) WITHIN GROUP (ORDER BY video_length_s) AS edges, max(video_length_s) AS max
      FROM rollout_outcomes WHERE rollout_id = $1 AND video_length_s > 0`, [rolloutId, fractions]);
    const raw = r.rows[0]?.edges ?? [];
    const max = r.rows[0]?.max ?? 0;
    const edges: number[] = [];
    for (const e of raw.map(Number)) if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
    while (edges.length && edges[edges.length - 1] >= max) edges.pop();
    if (max <= 0) return { edges: [], means: [] };
    const g = await this.db.pool.query<{ g: string; mean: number }>(`
      SELECT ${GROUP_SQL('o.video_length_s', '$2')} AS g, avg(o.timespent_s) AS mean
      FROM rollout_outcomes o WHERE o.rollout_id = $1 AND o.video_length_s > 0 GROUP BY 1`, [rolloutId, edgesArg(edges)]);
    const means = new Array(edges.length + 1).fill(0);
    for (const x of g.rows) means[Number(x.g)] = Number(x.mean);
    return { edges, means };
  }

  /** Per-arm sufficient statistics of a rollout's outcomes, aggregated in SQL (the twin of readout.ts sumsOf). */
  async armSums(rolloutId: string, ref: WtgReference): Promise<ArmSums[]> {
    const r = await this.db.pool.query<Record<string, string>>(`
      WITH u AS (
        SELECT arm, user_id, count(*)::float8 AS n, sum(timespent_s) AS watch,
          count(*) FILTER (WHERE video_length_s > 0)::float8 AS known,
          count(*) FILTER (WHERE video_length_s > 0 AND timespent_s >
            ($3::float8[])[1 + ${GROUP_SQL('video_length_s', '$2')}])::float8 AS wtg,
          count(*) FILTER (WHERE video_length_s > 0 AND timespent_s / video_length_s >= 0.9)::float8 AS done
        FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY arm, user_id
      ), q AS (
        SELECT arm, count(DISTINCT request_id) FILTER (WHERE request_id <> '') AS requests FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY arm
      )
      SELECT u.arm, sum(n) AS views, count(*) AS users, max(q.requests) AS requests,
        sum(watch) AS w_y, sum(watch * watch) AS w_yy, sum(watch * n) AS w_yn, sum(n * n) AS w_nn,
        count(*) FILTER (WHERE known > 0) AS k_g, sum(known) AS k_n, sum(known * known) AS k_nn,
        sum(wtg) AS g_y, sum(wtg * wtg) AS g_yy, sum(wtg * known) AS g_yn,
        sum(done) AS d_y, sum(done * done) AS d_yy, sum(done * known) AS d_yn
      FROM u JOIN q ON q.arm = u.arm GROUP BY u.arm`, [rolloutId, edgesArg(ref.edges), ref.means.length ? ref.means : [0]]);
    return r.rows.map((x) => {
      const n = (k: string) => Number(x[k] ?? 0);
      const known = (y: string, yy: string, yn: string): ClusterSums => ({ g: n('k_g'), n: n('k_n'), y: n(y), yy: n(yy), yn: n(yn), nn: n('k_nn') });
      const metrics: Record<MetricKey, ClusterSums> = {
        watch_time: { g: n('users'), n: n('views'), y: n('w_y'), yy: n('w_yy'), yn: n('w_yn'), nn: n('w_nn') },
        wtg_rate: known('g_y', 'g_yy', 'g_yn'),
        completion_rate: known('d_y', 'd_yy', 'd_yn'),
      };
      return { arm: x.arm, views: n('views'), users: n('users'), requests: n('requests'), metrics };
    });
  }

  /** Records exposures; one already counted (same rollout, weights, arm, user, day, maker) is kept. */
  async recordExposures(rows: ExposureRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof ExposureRecord>(k: K) => rows.map((r) => r[k]);
    await this.db.pool.query(`
      INSERT INTO rollout_exposures (rollout_id, weights, arm, user_id, day, handset_maker, first_time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::timestamptz[])
      ON CONFLICT DO NOTHING`,
    [col('rolloutId'), col('weights'), col('arm'), col('userId'), col('day'), col('handsetMaker'), col('time')]);
  }

  /** Records explored candidates (never shed: the log of missing-at-random feedback); a known (rollout, request, item) is kept. */
  async recordExplorations(rows: ExplorationRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof ExplorationRecord>(k: K) => rows.map((r) => r[k]);
    await this.db.pool.query(`
      INSERT INTO rollout_explorations (rollout_id, request_id, arm, user_id, item_id, position, list_length, time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[])
      ON CONFLICT DO NOTHING`,
    [col('rolloutId'), col('requestId'), col('arm'), col('userId'), col('itemId'), col('position'), col('listLength'), col('time')]);
  }

  /**
   * The counts the sample-ratio check tests: distinct users per arm, per weight period, per (period, day)
   * and per (period, handset maker), of exposures and of outcomes. Exposures are grouped by the weights the
   * replica served under (the period is the first history entry with those weights); outcomes by the
   * history entry in force at their time.
   */
  async srmGroups(r: Rollout): Promise<SrmGroup[]> {
    const periods = r.history.filter((c) => c.kind === 'start' || c.kind === 'ramp');
    const byKey = new Map<string, number>();
    periods.forEach((c, i) => { const k = weightsKey(c.arms); if (!byKey.has(k)) byKey.set(k, i); });
    const out = new Map<string, SrmGroup>();
    const add = (source: SrmGroup['source'], scope: SrmGroup['scope'], period: number, weights: Record<string, number>, key: string, arm: string, n: number) => {
      const id = `${source}/${scope}/${period}/${key}`;
      let g = out.get(id);
      if (!g) out.set(id, (g = { source, scope, period, weights, key, counts: Object.fromEntries(Object.keys(weights).map((a) => [a, 0])) }));
      g.counts[arm] = (g.counts[arm] ?? 0) + n;
    };
    const ex = await this.db.pool.query<{ weights: string; scope: string; key: string; arm: string; users: string }>(`
      SELECT weights, 'period' AS scope, '' AS key, arm, count(DISTINCT user_id) AS users FROM rollout_exposures WHERE rollout_id = $1 GROUP BY 1, 2, 3, 4
      UNION ALL SELECT weights, 'day', to_char(day, 'YYYY-MM-DD'), arm, count(DISTINCT user_id) FROM rollout_exposures WHERE rollout_id = $1 GROUP BY 1, 2, 3, 4
      UNION ALL SELECT weights, 'handset_maker', handset_maker, arm, count(DISTINCT user_id) FROM rollout_exposures WHERE rollout_id = $1 GROUP BY 1, 2, 3, 4`, [r.id]);
    for (const x of ex.rows) {
      add('exposed', x.scope as SrmGroup['scope'], byKey.get(x.weights) ?? -1, parseWeightsKey(x.weights), x.key, x.arm, Number(x.users));
    }
    if (periods.length) {
      const starts = periods.map((c) => c.time);
      const oc = await this.db.pool.query<{ p: number; scope: string; key: string; arm: string; users: string }>(`
        WITH o AS (
          SELECT (SELECT count(*) FROM unnest($2::timestamptz[]) s WHERE s <= o.time)::int - 1 AS p, o.*
          FROM rollout_outcomes o WHERE o.rollout_id = $1
        )
        SELECT p, 'period' AS scope, '' AS key, arm, count(DISTINCT user_id) AS users FROM o GROUP BY 1, 2, 3, 4
        UNION ALL SELECT p, 'day', to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD'), arm, count(DISTINCT user_id) FROM o GROUP BY 1, 2, 3, 4
        UNION ALL SELECT p, 'handset_maker', handset_maker, arm, count(DISTINCT user_id) FROM o GROUP BY 1, 2, 3, 4`, [r.id, starts]);
      for (const x of oc.rows) {
        const p = Math.max(0, Number(x.p));
        const weights = Object.fromEntries(periods[p].arms.map((a) => [a.version, a.weight]));
        add('outcomes', x.scope as SrmGroup['scope'], p, weights, x.key, x.arm, Number(x.users));
      }
    }
    return [...out.values()];
  }

  /** Views per arm with outcomes timed at or after `since`. */
  async viewsSince(rolloutId: string, since: Date): Promise<Record<string, number>> {
    const r = await this.db.pool.query<{ arm: string; views: string }>(
      'SELECT arm, count(*) AS views FROM rollout_outcomes WHERE rollout_id = $1 AND time >= $2 GROUP BY arm', [rolloutId, since]);
    return Object.fromEntries(r.rows.map((x) => [x.arm, Number(x.views)]));
  }

  /** The users with at least one outcome in a rollout. */
  async outcomeUsers(rolloutId: string): Promise<string[]> {
    const r = await this.db.pool.query<{ user_id: string }>('SELECT DISTINCT user_id FROM rollout_outcomes WHERE rollout_id = $1', [rolloutId]);
    return r.rows.map((x) => x.user_id);
  }

  /**
   * Per-arm CUPED sums of watch time per view, the covariate being the user's mean watch time per view before
   * the rollout (`covariate`, computed from the event log by the caller); users without one get the pooled mean
   * of those with one.
   */
  async cupedSums(r: Rollout, covariate: Map<string, number>): Promise<ArmCupedSums[]> {
    const q = await this.db.pool.query<Record<string, string>>(`
      WITH u AS (
        SELECT arm, user_id, count(*)::float8 AS n, sum(timespent_s) AS y FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY arm, user_id
      ), pre AS (
        SELECT user_id, x FROM unnest($2::text[], $3::float8[]) AS p(user_id, x)
      ), j AS (
        SELECT u.arm, u.n, u.y, pre.x AS x0, COALESCE(pre.x, avg(pre.x) OVER (), 0) AS x FROM u LEFT JOIN pre ON pre.user_id = u.user_id
      )
      SELECT arm, count(*) AS g, sum(n) AS n, sum(y) AS y, sum(y * y) AS yy, sum(y * n) AS yn, sum(n * n) AS nn,
        sum(x) AS x, sum(x * x) AS xx, sum(x * y) AS xy, sum(x * n) AS xn, count(x0) AS covered
      FROM j GROUP BY arm`, [r.id, [...covariate.keys()], [...covariate.values()]]);
    return q.rows.map((x) => {
      const n = (k: string) => Number(x[k] ?? 0);
      return { arm: x.arm, usersWithCovariate: n('covered'),
        sums: { g: n('g'), n: n('n'), y: n('y'), yy: n('yy'), yn: n('yn'), nn: n('nn'), x: n('x'), xx: n('xx'), xy: n('xy'), xn: n('xn') } };
    });
  }

  /**
   * Watch-time cluster sums per arm and whole day since each user's first exposure (the earliest of its
   * counted exposure and its first outcome), for the novelty readout.
   */
  async watchByExposureDay(rolloutId: string): Promise<{ arm: string; day: number; sums: ClusterSums }[]> {
    const q = await this.db.pool.query<Record<string, string>>(`
      WITH first AS (
        SELECT user_id, min(t) AS t0 FROM (
          SELECT user_id, first_time AS t FROM rollout_exposures WHERE rollout_id = $1
          UNION ALL SELECT user_id, min(time) FROM rollout_outcomes WHERE rollout_id = $1 GROUP BY user_id) x GROUP BY user_id
      ), u AS (
        SELECT o.arm, floor(extract(epoch FROM (o.time - f.t0)) / 86400)::int AS day, o.user_id, count(*)::float8 AS n, sum(o.timespent_s) AS y
        FROM rollout_outcomes o JOIN first f ON f.user_id = o.user_id WHERE o.rollout_id = $1 GROUP BY 1, 2, 3
      )
      SELECT arm, day, count(*) AS g, sum(n) AS n, sum(y) AS y, sum(y * y) AS yy, sum(y * n) AS yn, sum(n * n) AS nn FROM u GROUP BY 1, 2 ORDER BY 2, 1`,
    [rolloutId]);
    return q.rows.map((x) => ({ arm: x.arm, day: Number(x.day),
      sums: { g: Number(x.g), n: Number(x.n), y: Number(x.y), yy: Number(x.yy), yn: Number(x.yn), nn: Number(x.nn) } }));
  }

  /** Appends a flush of shadow statistics. */
  async addShadowStats(d: ShadowStatsDelta): Promise<void> {
    await this.db.pool.query(`
      INSERT INTO rollout_shadow_stats (rollout_id, version, offered, scored, shed, failed, corr_count, sum_spearman, sum_kendall, sum_latency_ms, latency_hist, top_k)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [d.rolloutId, d.version, d.offered, d.scored, d.shed, d.failed, d.corrCount, d.sumSpearman, d.sumKendall, d.sumLatencyMs,
      JSON.stringify(d.latencyHist), d.topK]);
  }

  /** The shadow statistics of a rollout, summed per version. */
  async shadowStats(rolloutId: string): Promise<ShadowStatsTotal[]> {
    const r = await this.db.pool.query<{ version: string; offered: string; scored: string; shed: string; failed: string; corr_count: string;
      sum_spearman: number; sum_kendall: number; sum_latency_ms: number; latency_hist: number[]; top_k: number }>(
      'SELECT * FROM rollout_shadow_stats WHERE rollout_id = $1 ORDER BY id', [rolloutId]);
    const by = new Map<string, ShadowStatsTotal>();
    for (const x of r.rows) {
      let s = by.get(x.version);
      if (!s) by.set(x.version, (s = { version: x.version, offered: 0, scored: 0, shed: 0, failed: 0, corrCount: 0, sumSpearman: 0,
        sumKendall: 0, sumLatencyMs: 0, latencyHist: [], topK: x.top_k }));
      s.offered += Number(x.offered);
      s.scored += Number(x.scored);
      s.shed += Number(x.shed);
      s.failed += Number(x.failed);
      s.corrCount += Number(x.corr_count);
      s.sumSpearman += x.sum_spearman;
      s.sumKendall += x.sum_kendall;
      s.sumLatencyMs += x.sum_latency_ms;
      x.latency_hist.forEach((c, i) => { s!.latencyHist[i] = (s!.latencyHist[i] ?? 0) + c; });
    }
    return [...by.values()];
  }
}


// The rollout store: rollouts with their weight history, in Postgres. Reads go through RolloutStore; changes
// (start, ramp, stop: the policy is services/rollout/rollout-changes.ts) run inside the registry's model lock
// (alias-store.ts ModelLock), through the RolloutWrites of that lock's transaction, so that a rollout change
// and a promotion of the same model never interleave. ORM rows never leave this file. Outcomes, served records
// and exposures are rollout-log.ts; the A/B statistics rollout-statistics.ts; shadow statistics
// shadow-stats-store.ts.
import { In, type Repository } from 'typeorm';
import type { Database } from './data-source';
import type { ModelTx } from './alias-store';
import type { ModelStore } from './model-store';
import { RolloutChangeEntity, RolloutEntity, type RolloutChangeRow, type RolloutRow, type StoredArm } from './entities/rollout.entity';
import { failedPrecondition, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import type { Guardrail, MetricKey } from '../ml/rollout/readout';
import type { Progression } from '../ml/rollout/progression';

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

/** The facts about a version that decide whether Score can serve it (ml/model/servable.ts). */
export interface ServingFacts {
  name: string;
  source: string;
  arch: string;
  artifacts: { name: string }[];
}

/** A new rollout's row, as RolloutWrites.insert takes it. */
export interface NewRollout {
  id: string;
  model: string;
  control: string;
  controlNumber: number;
  arms: StoredArm[];
  salt: string;
  shadow: { version: string; number: number }[];
  guardrails: Guardrail[];
  createdBy: string;
  progression: Progression | null;
  exploreShare: number;
}

/**
 * The rollout writes of one model, inside the transaction of its lock (ModelLock.withModelLock): each is one
 * statement; the caller decides what to write and audits it in the same transaction.
 */
export class RolloutWrites {
  constructor(private readonly t: ModelTx) {}

  /** The transaction's time (clock_timestamp: the database's clock, like every other time of a rollout). */
  async now(): Promise<Date> {
    const [row] = await this.t.query<{ time: Date }>(`SELECT clock_timestamp() AS time`);
    return row.time;
  }

  /** The name of version `number` of the locked model. */
  async versionName(number: number): Promise<string> {
    const [v] = await this.t.query<{ name: string }>('SELECT name FROM model_versions WHERE model = $1 AND number = $2', [this.t.model, number]);
    return v.name;
  }

  /** The version numbers of names in the locked model (NOT_FOUND naming the first missing one). */
  async versionNumbers(names: string[]): Promise<Map<string, number>> {
    const t = this.t;
    if (names.length === 0) return new Map();
    const rows = await t.query<{ name: string; number: number }>('SELECT name, number FROM model_versions WHERE model = $1 AND name = ANY($2::text[])', [t.model, names]);
    const out = new Map(rows.map((r) => [r.name, r.number]));
    for (const n of names) {
      if (!out.has(n)) throw notFound(`version "${n}" of model "${t.model}" not found; list versions with \`modelops versions list ${t.model}\``);
    }
    return out;
  }

  /** The serving facts of named versions of the locked model, by number. */
  async servingFacts(names: string[]): Promise<ServingFacts[]> {
    if (names.length === 0) return [];
    const rows = await this.t.query<{ name: string; source: string; arch: string; artifacts: { name: string }[] | null }>(
      'SELECT name, source, arch, artifacts FROM model_versions WHERE model = $1 AND name = ANY($2::text[]) ORDER BY number', [this.t.model, names]);
    return rows.map((r) => ({ name: r.name, source: r.source, arch: r.arch, artifacts: r.artifacts ?? [] }));
  }

  /** The id of the locked model's active rollout, or undefined. */
  async activeId(): Promise<string | undefined> {
    const rows = await this.t.query<{ id: string }>(`SELECT id FROM rollouts WHERE model = $1 AND state = 'active'`, [this.t.model]);
    return rows[0]?.id;
  }

  /** The active rollout (its arms, salt, shadow and explore share; no history); FAILED_PRECONDITION when there is none. */
  async active(): Promise<Rollout> {
    const t = this.t;
    const rows = await t.query<{ id: string }>(`SELECT id FROM rollouts WHERE model = $1 AND state = 'active'`, [t.model]);
    if (rows.length === 0) throw failedPrecondition(`model "${t.model}" has no active rollout; start one with \`modelops rollout start ${t.model} <version>=<weight>\``);
    const [r] = await t.query<{ id: string; salt: string; control: string; control_number: number; arms: StoredArm[]; shadow: Rollout['shadow']; explore_share: number }>(
      'SELECT id, salt, control, control_number, arms, shadow, explore_share FROM rollouts WHERE id = $1', [rows[0].id]);
    return { id: r.id, model: t.model, state: 'active', control: r.control, controlNumber: r.control_number, arms: r.arms, salt: r.salt,
      shadow: r.shadow, guardrails: [], createdBy: '', startTime: new Date(0), stopTime: null, stopReason: '', stoppedBy: '', history: [],
      exploreShare: Number(r.explore_share) };
  }

  /** The progression of a rollout as stored now. */
  async progressionOf(id: string): Promise<Progression | null> {
    const [cur] = await this.t.query<{ progression: Progression | null }>('SELECT progression FROM rollouts WHERE id = $1', [id]);
    return cur.progression;
  }

  /**
   * Inserts an active rollout and returns its start time; `busy` is the ALREADY_EXISTS message when the
   * partial unique index finds another active rollout of the model (also across processes).
   */
  async insert(r: NewRollout, busy: string): Promise<Date> {
    try {
      const [row] = await this.t.query<{ start_time: Date }>(`
        INSERT INTO rollouts (id, model, state, control, control_number, arms, salt, shadow, guardrails, created_by, start_time, progression, explore_share)
        VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $8, $9, clock_timestamp(), $10, $11) RETURNING start_time`,
      [r.id, r.model, r.control, r.controlNumber, JSON.stringify(r.arms), r.salt, JSON.stringify(r.shadow), JSON.stringify(r.guardrails), r.createdBy,
        r.progression ? JSON.stringify(r.progression) : null, r.exploreShare]);
      // The first step begins when the rollout does.
      if (r.progression) await this.setProgression(r.id, { ...r.progression, stepStart: row.start_time.toISOString() });
      return row.start_time;
    } catch (err) {
      throw mapPgError(err, { unique: busy });
    }
  }

  /** Replaces a rollout's progression. */
  async setProgression(id: string, p: Progression): Promise<void> {
    await this.t.query('UPDATE rollouts SET progression = $2 WHERE id = $1', [id, JSON.stringify(p)]);
  }

  /** Replaces a rollout's arms. */
  async setArms(id: string, arms: StoredArm[]): Promise<void> {
    await this.t.query('UPDATE rollouts SET arms = $2 WHERE id = $1', [id, JSON.stringify(arms)]);
  }

  /** Marks a rollout stopped; a progressive ramp ends with it, its note saying why. */
  async markStopped(id: string, time: Date, reason: string, actor: string): Promise<void> {
    await this.t.query(`UPDATE rollouts SET state = 'stopped', stop_time = $2, stop_reason = $3, stopped_by = $4,
        progression = CASE WHEN progression IS NULL OR progression->>'state' = 'stopped' THEN progression
          ELSE progression || jsonb_build_object('state', 'stopped', 'note', $3::text) END
      WHERE id = $1`,
    [id, time, reason, actor]);
  }

  /** Appends an entry to a rollout's weight history. */
  async addChange(id: string, time: Date, kind: RolloutChange['kind'], arms: StoredArm[], actor: string, reason: string): Promise<void> {
    await this.t.query('INSERT INTO rollout_changes (rollout_id, time, kind, arms, actor, reason) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, time, kind, JSON.stringify(arms), actor, reason]);
  }
}

/** Reads rollouts (with their weight history) and moves a progressive ramp's state. */
export class RolloutStore {
  private readonly rollouts: Repository<RolloutRow>;
  private readonly changes: Repository<RolloutChangeRow>;

  /**
   * `models` turns "no rollout" into NOT_FOUND for an unknown model; a reader such as the scoring service may
   * pass only the database.
   */
  constructor(private readonly db: Database, private readonly models?: Pick<ModelStore, 'getModel'>) {
    this.rollouts = db.dataSource.getRepository(RolloutEntity);
    this.changes = db.dataSource.getRepository(RolloutChangeEntity);
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

  /** The active rollout of a model, or undefined (one indexed query plus the history). */
  async active(model: string): Promise<Rollout | undefined> {
    const row = await this.rollouts.findOneBy({ model, state: 'active' });
    return row ? (await this.withHistory([row]))[0] : undefined;
  }

  /** A rollout by id, or (no id) the active one, else the newest; NOT_FOUND when there is none. */
  async get(model: string, id?: string): Promise<Rollout> {
    let row: RolloutRow | null;
    if (id) row = await this.rollouts.findOneBy({ model, id });
    else row = (await this.rollouts.findOneBy({ model, state: 'active' })) ?? (await this.rollouts.findOne({ where: { model }, order: { startTime: 'DESC', id: 'DESC' } }));
    if (!row) {
      if (this.models) await this.models.getModel(model);
      throw notFound(id ? `rollout "${id}" of model "${model}" not found; list its rollouts with \`modelops rollout list ${model}\`` : `model "${model}" has no rollout; start one with \`modelops rollout start ${model} <version>=<weight>\``);
    }
    return (await this.withHistory([row]))[0];
  }

  /** Rollouts of a model newest first, after the keyset `after` ([start ISO, id]), at most `limit`. */
  async list(model: string, opts: { after?: [string, string]; limit: number }): Promise<Rollout[]> {
    if (this.models) await this.models.getModel(model);
    const q = this.rollouts.createQueryBuilder('r').where('r.model = :model', { model })
      .orderBy('r.start_time', 'DESC').addOrderBy('r.id', 'DESC').take(opts.limit);
    // The token's time has ms, Postgres µs: compare with the last row's exact time, looked up by its id
    // (as the evaluation store's listEvaluations), so rollouts started within one millisecond are not skipped.
    if (opts.after) {
      q.andWhere('(r.start_time, r.id) < (COALESCE((SELECT x.start_time FROM rollouts x WHERE x.id = :id), CAST(:at AS timestamptz)), :id)',
        { at: opts.after[0], id: opts.after[1] });
    }
    return this.withHistory(await q.getMany());
  }

  /** Throws NOT_FOUND when the model does not exist (needs the registry; a no-op without it). */
  async checkModel(model: string): Promise<void> {
    if (this.models) await this.models.getModel(model);
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
}

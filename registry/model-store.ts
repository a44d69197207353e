// Models: one per market (feed-ranker-hi), the owner of versions, aliases, evaluations and audit events.
import type { Repository } from 'typeorm';
import type { Database } from './data-source';
import { ModelEntity, type ModelRow } from './entities/model.entity';
import { invalid, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { queryOn, withTransaction } from './transaction';
import { checkModelId } from './model-names';
import { insertAudit } from './audit-log';

/** A model: one per market. */
export interface Model {
  id: string;
  description: string;
  createdBy: string;
  createTime: Date;
}

/** Creating, reading and listing models. */
export interface ModelStore {
  /** Creates a model and audits it; INVALID_ARGUMENT for a bad id or description, ALREADY_EXISTS when the id is taken. */
  createModel(input: { id: string; description?: string; createdBy: string }): Promise<Model>;
  /** The model with this id; NOT_FOUND (saying how to create it) otherwise. */
  getModel(id: string): Promise<Model>;
  /** Models by id, after `after`, at most `limit`. */
  listModels(opts: { after?: string; limit: number }): Promise<Model[]>;
}

function toModel(r: ModelRow): Model {
  return { id: r.id, description: r.description, createdBy: r.createdBy, createTime: r.createTime };
}

/** Models in the `models` table. */
export class PgModelStore implements ModelStore {
  private readonly models: Repository<ModelRow>;

  constructor(private readonly db: Database) {
    this.models = db.dataSource.getRepository(ModelEntity);
  }

  async createModel(input: { id: string; description?: string; createdBy: string }): Promise<Model> {
    checkModelId(input.id);
    const description = input.description ?? '';
    if (description.length > 1000) throw invalid(`description: ${description.length} characters given, at most 1000 allowed`);
    return withTransaction(this.db.pool, async (c) => {
      let created: Date;
      try {
        const r = await c.query<{ create_time: Date }>('INSERT INTO models (id, description, created_by) VALUES ($1, $2, $3) RETURNING create_time',
          [input.id, description, input.createdBy]);
        created = r.rows[0].create_time;
      } catch (err) {
        throw mapPgError(err, { unique: `model "${input.id}" already exists` });
      }
      await insertAudit(queryOn(c), { model: input.id, action: 'model-create', actor: input.createdBy });
      return { id: input.id, description, createdBy: input.createdBy, createTime: created };
    });
  }

  /** The model with this id; NOT_FOUND otherwise. */
  async getModel(id: string): Promise<Model> {
    checkModelId(id);
    const row = await this.models.findOneBy({ id });
    if (!row) throw notFound(`model "${id}" not found; create it with \`modelops models create ${id}\``);
    return toModel(row);
  }

  /** Models by id, after `after`, at most `limit`. */
  async listModels(opts: { after?: string; limit: number }): Promise<Model[]> {
    const q = this.models.createQueryBuilder('m').orderBy('m.id', 'ASC').take(opts.limit);
    if (opts.after !== undefined) q.where('m.id > :after', { after: opts.after });
    return (await q.getMany()).map(toModel);
  }
}

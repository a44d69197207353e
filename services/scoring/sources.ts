// The narrow interfaces scoring reads through (narrow, so each is easy to stand up in a test): the registry's versions and aliases, the
// model's active rollout, and the online feature store. The composition root (index.ts) adapts the
// platform's stores to them; unit tests pass small in-memory ones.
import type { FeatureBatch, FeatureLayout } from '../../ml/features/layout';

/** What scoring needs of a registered version (a subset of the registry's ModelVersion). */
export interface VersionRef {
  model: string;
  number: number;
  name: string;
  arch: string;
  task: string;
  datasetId: string;
  /** Files of the version with the sha256 recorded at registration. */
  artifacts: { name: string; key: string; sha256: string; size: number }[];
}

/** Reads versions and aliases of the registry. */
export interface VersionSource {
  /** Throws NOT_FOUND when the model does not exist. */
  checkModel(model: string): Promise<void>;
  /** The version the `production` alias points at, or undefined when none. */
  production(model: string): Promise<VersionRef | undefined>;
  /** A version by name or number (NOT_FOUND when absent). */
  version(model: string, nameOrNumber: string | number): Promise<VersionRef>;
  /** The bytes of one artifact of a version, verified against its recorded sha256 (DATA_LOSS otherwise). */
  loadArtifact(v: VersionRef, name: string): Promise<Buffer>;
}

/** One arm of an active rollout as scoring routes it. */
export interface RolloutArm {
  /** The arm's name: its version's name (the control is the production version's). */
  name: string;
  /** The version serving this arm. */
  version: number;
  /** Percentage of users, 0..100. */
  weight: number;
}

/** An active rollout of a model: how users are split between versions. */
export interface RolloutPlan {
  /** The rollout's id (for logs and metrics). */
  id: string;
  /** The serving arms (shadow versions are not arms). */
  arms: RolloutArm[];
  /** Maps a user to an arm name; a pure function of the rollout and the user id (sticky). */
  assign(userId: string): string;
  /** Versions scored in the shadow of the served one (never returned); loaded with the arms. */
  shadow?: { name: string; version: number }[];
  /** The exploration slot: the share of user-days that explore and the salt that decides them (absent: none). */
  explore?: { salt: string; share: number };
}

/** Reads the model's active rollout. */
export interface RolloutSource {
  /** The running rollout of `model`, or undefined when none runs. */
  active(model: string): Promise<RolloutPlan | undefined>;
}

/** Context of a user lookup (ScoreContext resolved: hour and day already filled in). */
export interface UserContext {
  hod: number;
  dow: number;
  handsetMaker?: string;
}

/** The online feature store (the Datasets seam's OnlineFeatures, docs/design.md): one round trip per batch. */
export interface FeatureSource {
  userRows(userIds: string[], ctx: UserContext): Promise<{ batch: FeatureBatch; found: boolean[] }>;
  itemRows(itemIds: string[], now: number): Promise<{ batch: FeatureBatch; found: boolean[] }>;
}

/** Opens the feature source for a layout and an event source (versions may differ in both; undefined: the default). */
export type FeatureSourceFactory = (layout: FeatureLayout, source?: string) => FeatureSource;

/** Subscribes to registry changes; returns a function that stops listening. */
export type ChangeSubscriber = (onChange: (change: { model: string; kind: string }) => void) => Promise<() => Promise<void>>;

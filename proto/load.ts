// Loads the modelops.v1 contracts once, with the options that proto/gen's types were generated for.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as Auth } from './gen/auth_service';
import type { ProtoGrpcType as Evaluation } from './gen/evaluation_service';
import type { ProtoGrpcType as Experiment } from './gen/experiment_service';
import type { ProtoGrpcType as Feature } from './gen/feature_service';
import type { ProtoGrpcType as Registry } from './gen/registry_service';
import type { ProtoGrpcType as Rollout } from './gen/rollout_service';
import type { ProtoGrpcType as Scoring } from './gen/scoring_service';
import type { ProtoGrpcType as Training } from './gen/training_service';

/** The folder that holds the proto sources (the import root). */
export const PROTO_DIR = __dirname;

/** Every proto file of package modelops.v1, relative to PROTO_DIR. */
export const PROTO_FILES = fs.readdirSync(path.join(PROTO_DIR, 'modelops/v1'))
  .filter((f) => f.endsWith('.proto')).sort().map((f) => `modelops/v1/${f}`);

/** Loader options; scripts/gen-types.js passes the same ones to the type generator. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR],
};

type V1 = Auth['modelops']['v1'] & Evaluation['modelops']['v1'] & Experiment['modelops']['v1'] & Feature['modelops']['v1'] &
  Registry['modelops']['v1'] & Rollout['modelops']['v1'] & Scoring['modelops']['v1'] & Training['modelops']['v1'];

let cached: { definition: protoLoader.PackageDefinition; v1: V1 } | undefined;

/** The package definition (every type by name) and the typed `modelops.v1` namespace (services and messages). */
export function loadProtos(): { definition: protoLoader.PackageDefinition; v1: V1 } {
  if (!cached) {
    const definition = protoLoader.loadSync(PROTO_FILES, LOADER_OPTIONS);
    const root = grpc.loadPackageDefinition(definition) as unknown as { modelops: { v1: V1 } };
    cached = { definition, v1: root.modelops.v1 };
  }
  return cached;
}

/** The names of the six platform services, as `--services` takes them. */
export const SERVICE_NAMES = ['feature', 'training', 'evaluation', 'scoring', 'registry', 'rollout'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Fully-qualified gRPC service names, by platform service name. */
export const GRPC_SERVICE: Record<ServiceName, string> = {
  feature: 'modelops.v1.FeatureService',
  training: 'modelops.v1.TrainingService',
  evaluation: 'modelops.v1.EvaluationService',
  scoring: 'modelops.v1.ScoringService',
  registry: 'modelops.v1.RegistryService',
  rollout: 'modelops.v1.RolloutService',
};

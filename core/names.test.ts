import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from './errors';
import {
  datasetIdOf, datasetName, evaluationName, modelName, parseDatasetName, parseEvaluationName, parseModelName,
  parseTrainingJobName, parseVersionRef, rolloutName, trainingJobName, versionName,
} from './names';

test('names are built in the documented shapes', () => {
  assert.equal(modelName('feed-ranker-hi'), 'models/feed-ranker-hi');
  assert.equal(versionName('feed-ranker-hi', 3), 'models/feed-ranker-hi/versions/3');
  assert.equal(datasetName('ds-1'), 'datasets/ds-1');
  assert.equal(evaluationName('m', 'ev-1'), 'models/m/evaluations/ev-1');
  assert.equal(rolloutName('m', 'ro-1'), 'models/m/rollouts/ro-1');
  assert.equal(trainingJobName('tj-1'), 'trainingJobs/tj-1');
});

test('parsers accept the full name or the bare id and round-trip the builders', () => {
  assert.equal(parseModelName(modelName('m1')), 'm1');
  assert.equal(parseModelName('m1'), 'm1');
  assert.equal(parseVersionRef('m1', versionName('m1', 12)), '12');
  assert.equal(parseVersionRef('m1', 'prod-wtg-2'), 'prod-wtg-2');
  // Another model's version name is not stripped: the store then reports it as not found.
  assert.equal(parseVersionRef('m1', versionName('m2', 4)), 'models/m2/versions/4');
  assert.equal(parseDatasetName(datasetName('ds-9')), 'ds-9');
  assert.equal(parseDatasetName('ds-9'), 'ds-9');
  assert.equal(datasetIdOf(''), '');
  assert.equal(parseEvaluationName(evaluationName('m', 'ev-2')), 'ev-2');
  assert.equal(parseEvaluationName('ev-2'), 'ev-2');
  assert.equal(parseTrainingJobName(trainingJobName('tj-3')), 'tj-3');
});

test('an empty id says how to name the resource', () => {
  for (const f of [() => parseDatasetName('datasets/'), () => parseEvaluationName('models/m/evaluations/'), () => parseTrainingJobName('')]) {
    assert.throws(f, (e: unknown) => e instanceof DomainError && e.code === 'INVALID_ARGUMENT');
  }
});

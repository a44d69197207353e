// The descriptors that reflection serves: one file per proto with its real import, protoc's map entry names,
// every symbol that the server's runtime protos (proto-loader) know, and the answers to each request kind.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { FileDescriptorProto, type IDescriptorProto } from 'protobufjs/ext/descriptor';
import { answerReflection, contractIndex } from './reflection';
import { loadProtos, PROTO_FILES } from '../../proto/load';

const index = contractIndex();

test('one file per proto with its real imports (google/protobuf/timestamp.proto, provenance.proto), which are served too', () => {
  assert.deepEqual([...index.files.keys()].sort(), ['google/protobuf/timestamp.proto', ...PROTO_FILES].sort());
  for (const f of PROTO_FILES) for (const d of index.files.get(f)?.dependency ?? []) assert.ok(index.files.has(d), `${f} imports ${d}, which is not served`);
  assert.deepEqual(index.files.get('modelops/v1/provenance.proto')?.dependency, []);
  assert.deepEqual(index.files.get('modelops/v1/registry_service.proto')?.dependency, ['google/protobuf/timestamp.proto', 'modelops/v1/provenance.proto']);
  const served = index.withImports('modelops/v1/scoring_service.proto')!.map((b) => FileDescriptorProto.decode(b).name);
  assert.deepEqual(served, ['modelops/v1/scoring_service.proto', 'google/protobuf/timestamp.proto']);
  const withProvenance = index.withImports('modelops/v1/evaluation_service.proto')!.map((b) => FileDescriptorProto.decode(b).name);
  assert.deepEqual(withProvenance.sort(), ['google/protobuf/timestamp.proto', 'modelops/v1/evaluation_service.proto', 'modelops/v1/provenance.proto']);
});

test('map entries carry protoc names (ModelVersion.TrainingMetricsEntry, not Training_metrics)', () => {
  assert.equal(index.symbols.get('modelops.v1.ModelVersion.TrainingMetricsEntry'), 'modelops/v1/registry_service.proto');
  assert.equal(index.symbols.get('modelops.v1.ModelVersion.Training_metrics'), undefined);
  const file = FileDescriptorProto.decode(index.files.get('modelops/v1/registry_service.proto')!.bytes);
  const entry = file.messageType.find((m: IDescriptorProto) => m.name === 'ModelVersion')?.nestedType?.find((n: IDescriptorProto) => n.name === 'TrainingMetricsEntry');
  assert.equal(entry?.options?.mapEntry, true);
});

test('the set matches the protos the server runs on: every service, method and message proto-loader loads', () => {
  // proto-loader reads proto/modelops/v1 at run time; a descriptor set left behind after a proto edit would
  // miss a new message or RPC here (and `npm run gen:check` fails in CI).
  const names = Object.keys(loadProtos().definition).filter((n) => n.startsWith('modelops.v1.'));
  assert.ok(names.length > 50, `${names.length} types`);
  for (const name of names) {
    // proto-loader names map entries `Field_name`; their protoc names are checked above.
    if (/\.[A-Z][a-z]+_[a-z_]+$/.test(name) && !index.symbols.has(name)) continue;
    assert.ok(index.symbols.has(name), `${name} is in the descriptor set`);
  }
  const score = (loadProtos().definition['modelops.v1.ScoringService'] as grpc.ServiceDefinition);
  for (const method of Object.keys(score)) assert.ok(index.symbols.has(`modelops.v1.ScoringService.${method}`), method);
});

test('each reflection request kind: services, files by name and symbol, NOT_FOUND for what is not there', () => {
  const services = ['modelops.v1.ScoringService'];
  const fileOf = (res: Record<string, unknown>) =>
    ((res.file_descriptor_response as { file_descriptor_proto: Buffer[] }).file_descriptor_proto).map((b) => FileDescriptorProto.decode(b).name);
  const err = (res: Record<string, unknown>) => (res.error_response as { error_code: number }).error_code;

  assert.deepEqual(answerReflection(index, services, { message_request: 'list_services', list_services: '*' }).list_services_response,
    { service: [{ name: 'modelops.v1.ScoringService' }] });
  assert.deepEqual(fileOf(answerReflection(index, services, { message_request: 'file_containing_symbol', file_containing_symbol: 'modelops.v1.ScoringService.Score' })),
    ['modelops/v1/scoring_service.proto', 'google/protobuf/timestamp.proto']);
  // An enum value is scoped beside its enum, as protoc scopes it.
  assert.deepEqual(fileOf(answerReflection(index, services, { message_request: 'file_containing_symbol', file_containing_symbol: 'modelops.v1.ROLE_READER' }))[0],
    'modelops/v1/auth_service.proto');
  assert.deepEqual(fileOf(answerReflection(index, services, { message_request: 'file_by_filename', file_by_filename: 'google/protobuf/timestamp.proto' })),
    ['google/protobuf/timestamp.proto']);
  assert.equal(err(answerReflection(index, services, { message_request: 'file_containing_symbol', file_containing_symbol: 'modelops.v1.NoSuchThing' })), grpc.status.NOT_FOUND);
  assert.equal(err(answerReflection(index, services, { message_request: 'file_by_filename', file_by_filename: 'modelops_v1.proto' })), grpc.status.NOT_FOUND);
  assert.equal(err(answerReflection(index, services, { message_request: 'file_containing_extension', file_containing_extension: { containing_type: 'modelops.v1.ScoreRequest', extension_number: 100 } })), grpc.status.NOT_FOUND);
  assert.deepEqual(answerReflection(index, services, { message_request: 'all_extension_numbers_of_type', all_extension_numbers_of_type: 'modelops.v1.ScoreRequest' }).all_extension_numbers_response,
    { base_type_name: 'modelops.v1.ScoreRequest', extension_number: [] });
});

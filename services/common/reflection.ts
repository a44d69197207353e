// Server reflection (grpc.reflection.v1 and v1alpha) that serves the contracts' real file descriptors: the
// FileDescriptorSet that buf builds from proto/modelops/v1 (proto/gen/descriptor-set.ts), byte for byte, one
// file per proto under its own name, each with its imports. @grpc/reflection serves what proto-loader rebuilds
// instead (one file per package that uses google.protobuf.Timestamp without importing it, and map entries named
// `Training_metrics` where protoc says `TrainingMetricsEntry`), which strict descriptor pools such as Python's
// refuse. Only the package's reflection.proto files are used from it.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { Reader } from 'protobufjs';
import { FileDescriptorProto, type IDescriptorProto, type IEnumDescriptorProto } from 'protobufjs/ext/descriptor';
import { FILE_DESCRIPTOR_SET_BASE64 } from '../../proto/gen/descriptor-set';

/** One file of the set: its serialized FileDescriptorProto as built, and the files it imports. */
interface IndexedFile {
  bytes: Buffer;
  dependency: string[];
}

/** The files of a FileDescriptorSet by name, and the file that declares each fully-qualified symbol. */
export class DescriptorIndex {
  /** Files by name, for example `modelops/v1/scoring_service.proto`. */
  readonly files = new Map<string, IndexedFile>();
  /** The declaring file of every message, field, oneof, enum, enum value, service, method and extension. */
  readonly symbols = new Map<string, string>();
  /** Fully-qualified message names (answers to all_extension_numbers_of_type). */
  readonly messages = new Set<string>();

  /** Indexes a serialized FileDescriptorSet; each file keeps its own bytes, never re-encoded. */
  constructor(set: Uint8Array) {
    const r = Reader.create(set);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 !== 1 || (tag & 7) !== 2) {
        r.skipType(tag & 7);
        continue;
      }
      const bytes = Buffer.from(r.bytes());
      const file = FileDescriptorProto.decode(bytes);
      this.files.set(file.name, { bytes, dependency: file.dependency ?? [] });
      const pkg = file.package ? `${file.package}.` : '';
      for (const m of file.messageType ?? []) this.indexMessage(file.name, pkg, m);
      for (const e of file.enumType ?? []) this.indexEnum(file.name, pkg, e);
      for (const x of file.extension ?? []) this.symbols.set(`${pkg}${x.name}`, file.name);
      for (const s of file.service ?? []) {
        this.symbols.set(`${pkg}${s.name}`, file.name);
        for (const m of s.method ?? []) this.symbols.set(`${pkg}${s.name}.${m.name}`, file.name);
      }
    }
  }

  private indexMessage(file: string, scope: string, m: IDescriptorProto): void {
    const name = `${scope}${m.name}`;
    this.symbols.set(name, file);
    this.messages.add(name);
    for (const f of [...(m.field ?? []), ...(m.extension ?? [])]) this.symbols.set(`${name}.${f.name}`, file);
    for (const o of m.oneofDecl ?? []) this.symbols.set(`${name}.${o.name}`, file);
    for (const n of m.nestedType ?? []) this.indexMessage(file, `${name}.`, n);
    for (const e of m.enumType ?? []) this.indexEnum(file, `${name}.`, e);
  }

  private indexEnum(file: string, scope: string, e: IEnumDescriptorProto): void {
    this.symbols.set(`${scope}${e.name}`, file);
    // Enum values are scoped beside their enum, as in C++ (`modelops.v1.ROLE_READER`).
    for (const v of e.value ?? []) this.symbols.set(`${scope}${v.name}`, file);
  }

  /** The file `name` followed by everything it imports, transitively, each once; undefined if unknown. */
  withImports(name: string): Buffer[] | undefined {
    if (!this.files.has(name)) return undefined;
    const order: string[] = [];
    const visit = (n: string) => {
      if (order.includes(n)) return;
      order.push(n);
      for (const d of this.files.get(n)?.dependency ?? []) visit(d);
    };
    visit(name);
    return order.map((n) => this.files.get(n)!.bytes);
  }
}

let contracts: DescriptorIndex | undefined;

/** The index of proto/modelops/v1 and its imports, built once. */
export function contractIndex(): DescriptorIndex {
  contracts ??= new DescriptorIndex(Buffer.from(FILE_DESCRIPTOR_SET_BASE64, 'base64'));
  return contracts;
}

/** A reflection request as proto-loader decodes it (keepCase, oneofs). */
interface ReflectionRequest {
  host?: string;
  message_request?: 'file_by_filename' | 'file_containing_symbol' | 'file_containing_extension' | 'all_extension_numbers_of_type' | 'list_services';
  file_by_filename?: string;
  file_containing_symbol?: string;
  file_containing_extension?: { containing_type?: string; extension_number?: number };
  all_extension_numbers_of_type?: string;
  list_services?: string;
}

/** The answer to one reflection request: the same for v1 and v1alpha, whose messages are wire-identical. */
export function answerReflection(index: DescriptorIndex, services: string[], req: ReflectionRequest): Record<string, unknown> {
  const res = { valid_host: req.host ?? '', original_request: req };
  const files = (name: string | undefined, what: string) => {
    const found = name === undefined ? undefined : index.withImports(name);
    return found
      ? { ...res, file_descriptor_response: { file_descriptor_proto: found } }
      : { ...res, error_response: { error_code: grpc.status.NOT_FOUND, error_message: `${what} not found` } };
  };
  switch (req.message_request) {
    case 'list_services':
      return { ...res, list_services_response: { service: services.map((name) => ({ name })) } };
    case 'file_by_filename':
      return files(req.file_by_filename, `file ${req.file_by_filename}`);
    case 'file_containing_symbol':
      return files(index.symbols.get(req.file_containing_symbol ?? ''), `symbol ${req.file_containing_symbol}`);
    case 'file_containing_extension':
      // The contracts declare no extensions.
      return files(undefined, `extension ${req.file_containing_extension?.extension_number} of ${req.file_containing_extension?.containing_type}`);
    case 'all_extension_numbers_of_type': {
      const type = req.all_extension_numbers_of_type ?? '';
      if (!index.messages.has(type)) return files(undefined, `type ${type}`);
      return { ...res, all_extension_numbers_response: { base_type_name: type, extension_number: [] } };
    }
    default:
      return { ...res, error_response: { error_code: grpc.status.UNIMPLEMENTED, error_message: `unknown reflection request ${req.message_request}` } };
  }
}

/** Adds grpc.reflection.v1 and v1alpha to `server`, listing `services` (fully-qualified names). */
export function addReflection(server: Pick<grpc.Server, 'addService'>, services: string[], index = contractIndex()): void {
  const protoDir = path.join(path.dirname(require.resolve('@grpc/reflection')), '../proto');
  for (const version of ['v1', 'v1alpha'] as const) {
    const def = protoLoader.loadSync(path.join(protoDir, `grpc/reflection/${version}/reflection.proto`),
      { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as
      { grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> } };
    server.addService(pkg.grpc.reflection[version].ServerReflection.service, {
      ServerReflectionInfo: (stream: grpc.ServerDuplexStream<ReflectionRequest, Record<string, unknown>>) => {
        stream.on('data', (req: ReflectionRequest) => stream.write(answerReflection(index, services, req)));
        stream.on('end', () => stream.end());
      },
    });
  }
}

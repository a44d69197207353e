// deploy/: the manifests parse, and every platform service has a Deployment that runs it alone with
// a gRPC readiness probe on its own health name, and a gateway route for its service path.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICE_NAMES, GRPC_SERVICE } from '../../proto/load';

const dir = path.resolve(__dirname, '../../deploy/k8s');
const hasYaml = spawnSync('/usr/bin/python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;

test('every manifest is valid YAML', { skip: hasYaml ? false : 'needs /usr/bin/python3 with PyYAML (Debian python3-yaml)' }, () => {
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml'))) {
    const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))', path.join(dir, f)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
  }
});

test('each service runs alone in its own Deployment, probed on its health name, routed by the gateway', () => {
  const services = fs.readFileSync(path.join(dir, '20-services.yaml'), 'utf8');
  const gateway = fs.readFileSync(path.join(dir, '30-gateway.yaml'), 'utf8');
  for (const name of SERVICE_NAMES) {
    assert.match(services, new RegExp(`args: \\[serve, --services, ${name}\\]`));
    assert.match(services, new RegExp(`service: ${GRPC_SERVICE[name].replace(/\./g, '\\.')} `));
    assert.ok(gateway.includes(`prefix: "/${GRPC_SERVICE[name]}/"`), `gateway route for ${name}`);
  }
});

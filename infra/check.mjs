#!/usr/bin/env node
// Offline checks of the deployment files, for a machine without Docker or a cluster:
// every YAML file parses, and the properties the deployment depends on are there (probes,
// non-root, secrets only by reference, exactly one migrating process, pinned images, health
// conditions). `node infra/check.mjs` — exits 1 on the first list of failures.
// It does not replace `docker compose config`, `docker build` or a server-side dry run.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
let YAML;
try {
  YAML = require('yaml');
} catch {
  console.error('The `yaml` package is not installed here (npm ci at the repository root brings it).');
  process.exit(2);
}

const failures = [];
let checks = 0;
const check = (ok, what) => {
  checks += 1;
  if (!ok) failures.push(what);
};
// `merge`: compose.yaml uses YAML merge keys (<<). toJS is yaml 2's name for yaml 1's toJSON.
const parseAll = (file) => YAML.parseAllDocuments(readFileSync(file, 'utf8'), { merge: true }).map((d) => {
  if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
  return (d.toJS ?? d.toJSON).call(d);
});
const SECRET_NAMES = /SECRET|PASSWORD|DATABASE_URL|REDIS_URL|TOKEN/;
const envValue = (env, name) => env?.find((e) => e.name === name);

// ---- Kubernetes
const k8sDir = join(here, 'k8s');
const objects = [];
for (const f of readdirSync(k8sDir).filter((f) => /\.ya?ml$/.test(f))) {
  for (const o of parseAll(join(k8sDir, f))) if (o) objects.push({ file: f, ...o });
}
const kustomization = objects.find((o) => o.kind === 'Kustomization');
for (const o of objects.filter((o) => o.kind !== 'Kustomization')) {
  check(o.apiVersion && o.kind && o.metadata?.name, `${o.file}: apiVersion, kind and metadata.name`);
  check(o.kind !== 'Secret', `${o.file}: no Secret is committed (${o.metadata?.name})`);
  check(kustomization.resources.includes(o.file), `${o.file} is listed in kustomization.yaml`);
}
const podSpecs = [];
for (const o of objects) {
  const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : ['Deployment', 'Job'].includes(o.kind) ? o.spec.template.spec : null;
  if (spec) podSpecs.push({ o, spec });
}
for (const { o, spec } of podSpecs) {
  const where = `${o.kind}/${o.metadata.name}`;
  check(spec.securityContext?.runAsNonRoot === true, `${where}: runAsNonRoot`);
  check(spec.securityContext?.seccompProfile?.type === 'RuntimeDefault', `${where}: seccomp RuntimeDefault`);
  for (const c of spec.containers) {
    check(c.securityContext?.readOnlyRootFilesystem === true, `${where}/${c.name}: readOnlyRootFilesystem`);
    check(c.securityContext?.allowPrivilegeEscalation === false, `${where}/${c.name}: allowPrivilegeEscalation false`);
    check(c.securityContext?.capabilities?.drop?.includes('ALL'), `${where}/${c.name}: drops every capability`);
    check(c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.memory, `${where}/${c.name}: resource requests and a memory limit`);
    for (const e of c.env ?? []) if (SECRET_NAMES.test(e.name)) check(e.valueFrom?.secretKeyRef && e.value === undefined, `${where}/${c.name}: ${e.name} comes from a secretKeyRef, not a literal`);
  }
}
const deployment = objects.find((o) => o.kind === 'Deployment');
const api = deployment.spec.template.spec.containers[0];
check(api.readinessProbe?.httpGet?.path === '/health/ready', 'Deployment: readiness probe on /health/ready');
check(api.livenessProbe?.httpGet?.path === '/health/live', 'Deployment: liveness probe on /health/live');
check(envValue(api.env, 'MIGRATE_ON_START')?.value === '0', 'Deployment: MIGRATE_ON_START=0');
for (const name of ['SESSION_SECRET', 'DATABASE_URL', 'REDIS_URL']) check(envValue(api.env, name)?.valueFrom?.secretKeyRef, `Deployment: ${name} from a secretKeyRef`);
const job = objects.find((o) => o.kind === 'Job');
check(envValue(job?.spec.template.spec.containers[0].env, 'MIGRATE_ON_START')?.value === '1', 'migration Job: MIGRATE_ON_START=1');
const migrating = podSpecs.filter(({ spec }) => spec.containers.some((c) => envValue(c.env, 'MIGRATE_ON_START')?.value === '1'));
check(migrating.length === 1 && migrating[0].o.kind === 'Job', 'exactly one workload migrates, and it is a Job');
const labels = deployment.spec.template.metadata.labels;
const selects = (selector) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
const service = objects.find((o) => o.kind === 'Service');
check(selects(service.spec.selector), 'Service selects the Deployment pods');
check(selects(objects.find((o) => o.kind === 'PodDisruptionBudget')?.spec.selector.matchLabels), 'PodDisruptionBudget selects the Deployment pods');
const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
check(hpa?.spec.scaleTargetRef.name === deployment.metadata.name && hpa.spec.minReplicas >= 2, 'HPA scales the Deployment, at least 2 replicas');
const ingress = objects.find((o) => o.kind === 'Ingress');
check(Number(ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600, 'Ingress: long proxy-read-timeout for websockets');
check(ingress?.spec.rules[0].http.paths[0].backend.service.name === service.metadata.name, 'Ingress routes to the Service');

// ---- compose
const compose = parseAll(join(here, 'compose.yaml'))[0];
const services = compose.services;
for (const [name, s] of Object.entries(services)) {
  const image = s.image ?? '';
  if (!s.build) check(/:[0-9][\w.-]*$/.test(image) && !image.endsWith(':latest'), `compose ${name}: image pinned to a version (${image})`);
  check(s.healthcheck?.test, `compose ${name}: healthcheck`);
  for (const [dep, cond] of Object.entries(s.depends_on ?? {})) check(cond.condition === 'service_healthy', `compose ${name}: depends_on ${dep} with condition service_healthy`);
  for (const v of s.volumes ?? []) {
    const source = String(v).split(':')[0];
    if (!source.startsWith('.') && !source.startsWith('/')) check(source in (compose.volumes ?? {}), `compose ${name}: named volume ${source} is declared`);
  }
  for (const [k, v] of Object.entries(s.environment ?? {})) if (SECRET_NAMES.test(k)) check(String(v).includes('${'), `compose ${name}: ${k} comes from the env file, not a literal`);
}
const apis = Object.entries(services).filter(([, s]) => s.build);
check(apis.length === 2, 'compose: two api nodes');
check(apis.filter(([, s]) => s.environment?.MIGRATE_ON_START === '1').length === 1, 'compose: exactly one api node with MIGRATE_ON_START=1');
check(apis.every(([, s]) => s.environment?.REDIS_URL && s.environment?.DATABASE_URL && s.environment?.SESSION_SECRET), 'compose: both nodes get REDIS_URL, DATABASE_URL and SESSION_SECRET');

// ---- Caddyfile, Dockerfile, env example
const caddy = readFileSync(join(here, 'Caddyfile'), 'utf8');
check(/reverse_proxy\s+api-a:3000\s+api-b:3000/.test(caddy), 'Caddyfile: reverse_proxy to both nodes');
check(/health_uri\s+\/health\/ready/.test(caddy), 'Caddyfile: active health checks on /health/ready');
const dockerfile = readFileSync(join(here, 'Dockerfile'), 'utf8');
for (const [re, what] of [
  [/^USER\s+(?!root)\S+/m, 'non-root USER'],
  [/^HEALTHCHECK[\s\S]*\/health\/live/m, 'HEALTHCHECK on /health/live'],
  [/^EXPOSE\s+3000/m, 'EXPOSE 3000'],
  [/NODE_ENV=production/, 'NODE_ENV=production'],
  [/^CMD \["node", "api\/dist\/main\.js"\]/m, 'CMD node api/dist/main.js'],
  [/npm ci --omit=dev/, 'production dependencies only in the runtime'],
]) check(re.test(dockerfile), `Dockerfile: ${what}`);
const envExample = readFileSync(join(here, '.env.example'), 'utf8');
for (const name of ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'SESSION_SECRET']) check(new RegExp(`^${name}=$`, 'm').test(envExample), `.env.example: ${name} is empty (no default secret)`);

if (failures.length) {
  console.error(`${failures.length} of ${checks} checks failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(`${checks} checks passed (${objects.length} Kubernetes documents, ${Object.keys(services).length} compose services)`);

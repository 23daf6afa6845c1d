/**
 * Which provider a stack uses: `provider "openstack"` in the stack → OpenStack; otherwise the
 * embedded local cloud, configured by `provider "local" { … }` or its environment variables.
 */
import { evaluate } from '../planner/expr/evaluate.js';
import { newObject, type Value } from '../planner/expr/value.js';
import { error, type Diagnostic } from '../planner/model/diagnostics.js';
import type { StackDocument } from '../planner/model/document.js';
import { createLocalProvider, DEFAULT_LOCAL_DIR } from './local/provider.js';
import type { LocalBrokerKind } from './local/supervisor-api.js';
import type { Provider } from './provider.js';

export interface ProviderChoice {
  name: 'local';
  create(o?: { startCloud?: boolean }): Provider;
}

const BROKERS: LocalBrokerKind[] = ['embedded', 'mosquitto'];

export function chooseProvider(doc: StackDocument, env: NodeJS.ProcessEnv, diags: Diagnostic[]): ProviderChoice | undefined {
  const openstack = doc.providers.find((p) => p.name === 'openstack');
  if (openstack) {
    diags.push(error('the openstack provider is not available in this version of dbstack yet', openstack.range, 'Remove the provider "openstack" block to use the embedded local cloud.'));
    return undefined;
  }
  const decl = doc.providers.find((p) => p.name === 'local');
  const settings = new Map<string, string>();
  for (const a of decl?.body.attributes ?? []) {
    const r = evaluate(a.value, { root: (n) => (n === 'var' ? newObject() : undefined) });
    const v: Value = r.value;
    if (r.diagnostics.length || typeof v !== 'string') {
      diags.push(error(`provider "local": ${a.name} must be a string known before apply`, a.value.range));
      continue;
    }
    settings.set(a.name, v);
  }
  const stateDir = settings.get('state_dir') ?? env.DBSTACK_LOCAL_DIR ?? DEFAULT_LOCAL_DIR;
  const broker = settings.get('broker') ?? env.DBSTACK_LOCAL_BROKER;
  if (broker !== undefined && !BROKERS.includes(broker as LocalBrokerKind)) {
    const range = decl?.body.attributes.find((a) => a.name === 'broker')?.value.range;
    diags.push(error(`the local cloud's broker must be ${BROKERS.join(' or ')}, not "${broker}"`, range, 'An external MQTT broker is not supported by the local cloud yet.'));
    return undefined;
  }
  return {
    name: 'local',
    create: (o) => createLocalProvider({ stateDir, ...(broker ? { broker: broker as LocalBrokerKind } : {}), startCloud: o?.startCloud ?? true }),
  };
}

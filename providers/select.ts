/**
 * Which provider a stack uses: `provider "openstack"` in the stack → OpenStack; otherwise the
 * embedded local cloud, configured by `provider "local" { … }` or its environment variables.
 */
import { error, type Diagnostic } from '../core/diagnostics.js';
import type { StackDocument } from '../planner/model/document.js';
import { createLocalProvider, DEFAULT_LOCAL_DIR } from './local/provider.js';
import type { LocalBrokerKind } from './local/supervisor-api.js';
import type { Provider } from './provider.js';
import { providerSettings } from './provider-config.js';
import { providerNameOf } from './capabilities.js';
import type { VariableInput } from '../planner/resolve/variables.js';

export interface ProviderChoice {
  name: 'local' | 'openstack';
  /** The provider; its modules load only now (the OpenStack clients cost a local run ~150 ms). */
  create(o?: { startCloud?: boolean }): Promise<Provider>;
}

const BROKERS: LocalBrokerKind[] = ['embedded', 'mosquitto'];

export function chooseProvider(doc: StackDocument, env: NodeJS.ProcessEnv, diags: Diagnostic[], variables: Record<string, VariableInput> = {}): ProviderChoice | undefined {
  const openstack = doc.providers.find((p) => p.name === 'openstack');
  if (providerNameOf(doc, env) === 'openstack') {
    const settings = providerSettings(doc, openstack, variables, diags);
    return {
      name: 'openstack',
      create: async () => {
        const [{ createOpenStackProvider }, { OPENSTACK_NETWORK_TYPES }] = await Promise.all([import('./openstack/provider.js'), import('./openstack/resources/network-types.js')]);
        return createOpenStackProvider(settings, env, OPENSTACK_NETWORK_TYPES);
      },
    };
  }
  const decl = doc.providers.find((p) => p.name === 'local');
  const settings = providerSettings(doc, decl, variables, diags);
  const setting = (k: string) => (typeof settings[k] === 'string' ? (settings[k] as string) : undefined);
  const stateDir = setting('state_dir') ?? env.DBSTACK_LOCAL_DIR ?? DEFAULT_LOCAL_DIR;
  const broker = setting('broker') ?? env.DBSTACK_LOCAL_BROKER;
  if (broker !== undefined && !BROKERS.includes(broker as LocalBrokerKind)) {
    diags.push(error(`DBSTACK_LOCAL_BROKER must be ${BROKERS.join(' or ')}, not "${broker}"`));
    return undefined;
  }
  return {
    name: 'local',
    create: async (o) => createLocalProvider({ stateDir, ...(broker ? { broker: broker as LocalBrokerKind } : {}), startCloud: o?.startCloud ?? true }),
  };
}

/**
 * What each provider implements, declared as data: the resource types and data sources it
 * has, and for each type the attributes it acts on. It is the one answer to "does this
 * provider do X?": `validate` and `plan` refuse anything a stack sets that is not declared
 * here (planner/plan/support-check.ts), and the plan makes a change to a create-only
 * attribute a replacement or refuses it. Each provider's table is beside its code
 * (`providers/<name>/capabilities.ts`); nothing here loads a provider's modules.
 */
import type { StackDocument } from '../planner/model/document.js';
import type { ProviderCapabilities } from '../planner/plan/capabilities.js';
import { LOCAL_CAPABILITIES } from './local/capabilities.js';
import { OPENSTACK_CAPABILITIES } from './openstack/capabilities.js';

const ALL: Record<string, ProviderCapabilities> = { local: LOCAL_CAPABILITIES, openstack: OPENSTACK_CAPABILITIES };

/** The table of a provider by name; undefined for a provider without one (a test double). */
export function capabilitiesOf(name: string): ProviderCapabilities | undefined {
  return ALL[name];
}

/**
 * Which provider a stack uses, without contacting anything: `provider "openstack"` in the
 * stack (or DBSTACK_PROVIDER=openstack) → openstack, otherwise the local cloud.
 */
export function providerNameOf(doc: StackDocument, env: NodeJS.ProcessEnv): 'local' | 'openstack' {
  return doc.providers.some((p) => p.name === 'openstack') || env.DBSTACK_PROVIDER === 'openstack' ? 'openstack' : 'local';
}

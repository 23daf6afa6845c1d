import { readFileSync } from 'node:fs';

/**
 * Files that corpus templates read with get_file but the corpus does not carry (the original
 * repositories ship them beside the templates). Keyed by path under conformance/heat.
 */
export const MISSING_FILES: Record<string, string[]> = {
  'heat-tempest-plugin/test_base_resources.yaml': ['id_ed25519.pub'],
  'heat-tempest-plugin/test_server_software_config.yaml': ['/cfg1.sh', '/cfg3.pp'],
  'openstack-heat-templates/hot_software-config_example-templates_example-script-template.yaml': ['config-scripts/example-script.sh'],
};

/** A get_file reader that supplies a stand-in for the files the corpus lacks. */
export function corpusFileReader(rel: string): ((path: string) => string) | undefined {
  const missing = MISSING_FILES[rel];
  if (!missing) return undefined;
  return (p) => (missing.some((m) => p.endsWith(m.replace(/^\//, ''))) ? '#!/bin/sh\necho stand-in\n' : readFileSync(p, 'utf8'));
}

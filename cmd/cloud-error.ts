import type { Diagnostic } from '../core/diagnostics.js';
import type { ProviderError } from '../providers/provider.js';

/** A provider's refusal met outside the applier (refresh, data sources, checks, recovery), as a diagnostic. */
export function cloudError(e: ProviderError): Diagnostic {
  return {
    severity: 'error',
    summary: e.message,
    detail: 'Nothing was changed. Check that the cloud (or the local cloud: `dbstack local status`) is reachable and the credentials are right, then run the command again.',
  };
}

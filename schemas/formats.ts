import formatsModule from 'ajv-formats/dist/formats.js';

/**
 * dbstack's own string formats, as regular expressions so the standalone validators inline
 * them (ajv serialises RegExp formats into the generated code; function formats would need a
 * runtime import). Compile-time only: imported by ajv.ts, never by the runtime validators.
 */

const { fullFormats } = formatsModule;

function source(format: unknown): string {
  if (!(format instanceof RegExp)) throw new Error('expected a RegExp format from ajv-formats');
  return format.source.replace(/^\^/, '').replace(/\$$/, '');
}

const IPV4 = source(fullFormats.ipv4);
const IPV6 = source(fullFormats.ipv6);

/** One cron field: `*`, a value or range (`1-5`), each with an optional step, comma-separated. */
function cronField(value: string): string {
  const atom = `(?:\\*|(?:${value})(?:-(?:${value}))?)(?:\\/[0-9]{1,2})?`;
  return `${atom}(?:,${atom})*`;
}
const CRON_FIELDS = [
  '[1-5]?[0-9]', // minute
  '2[0-3]|1?[0-9]', // hour
  '3[01]|[12][0-9]|[1-9]', // day of month
  '1[0-2]|[1-9]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC', // month
  '[0-7]|SUN|MON|TUE|WED|THU|FRI|SAT', // day of week
].map(cronField);

export const customFormats: Record<string, RegExp> = {
  /** An IPv4 or IPv6 network in CIDR notation: 10.0.0.0/24, fd00::/64. */
  cidr: new RegExp(`^(?:(?:${IPV4})\\/(?:3[0-2]|[12]?[0-9])|(?:${IPV6})\\/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))$`, 'i'),
  /** An IPv4 or IPv6 address. */
  'ip-address': new RegExp(`^(?:(?:${IPV4})|(?:${IPV6}))$`, 'i'),
  /** A five-field cron expression, or @hourly/@daily/@weekly/@monthly/@yearly. */
  cron: new RegExp(`^(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|${CRON_FIELDS.join('\\s+')})$`, 'i'),
  /** A duration such as 90s, 20m, 1h30m. */
  'timeout-duration': /^(?:[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h))+$/,
  /** An http(s) URL (Keystone's auth_url). */
  'http-url': /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i,
  /**
   * RFC 3339 date-time, replacing ajv-formats' function (which the standalone module would have
   * to import at runtime). Does not check month lengths; plan timestamps are ours anyway.
   */
  'date-time': /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt ](?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/,
  /** An MQTT broker URL. */
  'broker-url': /^(?:mqtts?|wss?|tcp|ssl|tls):\/\/(?:[^\s/@]+@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?(?:\/[^\s]*)?$/,
};

import test from 'ava';
import { customFormats } from '../../schemas/formats.js';

const cases: Record<string, [good: string[], bad: string[]]> = {
  cron: [
    ['0 2 * * *', '*/15 * * * *', '0 0 1 JAN *', '30 4 * * mon-fri', '0,30 8-18/2 1-15 1,6,12 0', '@daily', '@hourly', '59 23 31 12 7'],
    ['daily', '0 2 * *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '* * * * * *', '@fortnightly', ''],
  ],
  cidr: [
    ['10.0.0.0/24', '0.0.0.0/0', '192.168.1.7/32', 'fd00::/64', '::/0', '2001:db8::/128'],
    ['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', 'fd00::/129', '10.0.0.0/24 ', 'any'],
  ],
  'ip-address': [
    ['10.0.0.5', '::1', '2001:db8::10'],
    ['10.0.0.256', '10.0.0', '10.0.0.5/32', 'localhost'],
  ],
  'timeout-duration': [['30s', '20m', '1h30m', '1.5h', '500ms'], ['30', 'half an hour', '1d', '']],
  'broker-url': [
    ['mqtt://127.0.0.1:1883', 'mqtts://mq.mgmt.example:8883', 'wss://user:pw@mq.example/mqtt', 'tcp://[::1]:1883'],
    ['http://mq.example', 'mq.example:1883', 'mqtt://', 'mqtt://host name'],
  ],
  'date-time': [['2024-05-01T02:00:00Z', '2024-05-01T02:00:00.123+02:00', '2024-12-31 23:59:60z'], ['2024-05-01', '2024-13-01T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T02:00:00']],
  'http-url': [['https://keystone.example:5000/v3', 'http://10.0.0.1/identity'], ['keystone.example:5000', 'ftp://x', 'https://']],
};

for (const [format, [good, bad]] of Object.entries(cases)) {
  test(`format ${format}`, (t) => {
    const re = customFormats[format]!;
    for (const s of good) t.true(re.test(s), `${format} should accept ${JSON.stringify(s)}`);
    for (const s of bad) t.false(re.test(s), `${format} should refuse ${JSON.stringify(s)}`);
  });
}

/**
 * The network, subnet, security_group and security_group_rule resources against the real
 * loopback OpenStack cloud, as the non-admin demo user. No HTTP fakes.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { newObject, type Value, type ValueObject } from '../../../core/value.js';
import type { PriorObject, ResourceObject } from '../../../providers/provider.js';
import { networkClient } from '../../../providers/openstack/clients/network.js';
import { networkResource } from '../../../providers/openstack/resources/network.js';
import { subnetResource } from '../../../providers/openstack/resources/subnet.js';
import { securityGroupResource } from '../../../providers/openstack/resources/security-group.js';
import { securityGroupRuleResource } from '../../../providers/openstack/resources/security-group-rule.js';
import { addressTag, lineageTag } from '../../../providers/openstack/resources/tags.js';
import { loopbackSession, testContext } from '../../support/loopback-cloud.js';

// Needs the loopback OpenStack cloud (.ci/run starts it); without it these tests fail, saying why.
const cloudTest = test.serial;

const obj = (o: Record<string, Value>): ValueObject => newObject(Object.entries(o));
const prior = (r: ResourceObject, inputs: ValueObject): PriorObject => ({ ...r, inputs });

cloudTest('network, subnet, security group and rule: create, tag, read, update, adopt, delete', async (t) => {
  const session = await loopbackSession('loopback-demo');
  t.teardown(() => session.close());
  const nc = networkClient(session);
  const lineage = randomUUID();
  const suffix = lineage.slice(0, 8);
  const created: { kind: 'networks' | 'subnets' | 'securityGroups' | 'securityGroupRules'; id: string }[] = [];
  t.teardown(async () => {
    // Reverse order: rules, groups, subnets, then the network. Already-gone objects are fine.
    for (const c of created.reverse()) await nc[c.kind].delete(c.id).catch(() => undefined);
  });

  // network
  const netCtx = testContext(`network.app_${suffix}`, lineage);
  const net = networkResource(session);
  const netConfig = obj({ description: 'dbstack test' });
  const n = await net.create(netCtx, netConfig);
  created.push({ kind: 'networks', id: n.id });
  t.is(n.attributes.name, `app_${suffix}`);
  t.is(n.attributes.description, 'dbstack test');
  t.is(n.attributes.admin_state_up, true);
  t.is(typeof n.attributes.mtu, 'number');
  t.deepEqual((await nc.networks.get(n.id))!.tags.sort(), [addressTag(netCtx.address), lineageTag(lineage)].sort());

  // subnet
  const subCtx = testContext(`subnet.app_${suffix}`, lineage);
  const sub = subnetResource(session);
  const subConfig = obj({ network: n.id, cidr: '10.77.0.0/24', dns_nameservers: ['10.77.0.2'] });
  const s = await sub.create(subCtx, subConfig);
  created.push({ kind: 'subnets', id: s.id });
  t.is(s.attributes.network, n.id);
  t.is(s.attributes.ip_version, 4);
  t.is(s.attributes.gateway_ip, '10.77.0.1');
  t.deepEqual(s.attributes.dns_nameservers, ['10.77.0.2']);
  t.true((await nc.subnets.get(s.id))!.tags.includes(lineageTag(lineage)));

  // security group with an inline rule; the default egress rules stay and are not shown
  const sgCtx = testContext(`security_group.db_${suffix}`, lineage);
  const sgr = securityGroupResource(session);
  const rule5432 = obj({ protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '10.0.0.0/8' });
  const sgConfig = obj({ description: 'db port', rules: [rule5432] });
  const g = await sgr.create(sgCtx, sgConfig);
  created.push({ kind: 'securityGroups', id: g.id });
  t.deepEqual(g.attributes.rules, [obj({ direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '10.0.0.0/8' })]);
  t.is((await nc.securityGroups.get(g.id))!.security_group_rules.filter((r) => r.direction === 'egress').length, 2);

  // standalone rule on that group
  const ruleCtx = testContext(`security_group_rule.mysql_${suffix}`, lineage);
  const rr = securityGroupRuleResource(session);
  const ruleConfig = obj({ security_group: g.id, protocol: 'tcp', port_range_min: 3306, port_range_max: 3306, remote_ip_prefix: '10.1.0.0/16' });
  const r = await rr.create(ruleCtx, ruleConfig);
  created.push({ kind: 'securityGroupRules', id: r.id });
  t.is(r.attributes.security_group, g.id);
  t.is(r.attributes.port_range_min, 3306);
  t.false('description' in r.attributes, 'the adopt marker is not shown as a description');

  // adopt finds each object by its tags (the rule by its marker), and nothing for another address
  t.is((await net.adopt!(netCtx))?.id, n.id);
  t.is((await sub.adopt!(subCtx))?.id, s.id);
  t.is((await sgr.adopt!(sgCtx))?.id, g.id);
  t.is((await rr.adopt!(ruleCtx))?.id, r.id);
  t.is(await net.adopt!(testContext(`network.other_${suffix}`, lineage)), undefined);
  t.is(await net.adopt!(testContext(netCtx.address)), undefined, 'another lineage');

  // read
  t.deepEqual((await net.read(netCtx, prior(n, netConfig)))?.attributes, n.attributes);
  t.deepEqual((await sub.read(subCtx, prior(s, subConfig)))?.attributes.cidr, '10.77.0.0/24');

  // update in place: network description, subnet DNS, group rules (5432 → 6432 plus an egress rule)
  const n2 = await net.update(netCtx, prior(n, netConfig), obj({ description: 'changed' }));
  t.is(n2.id, n.id);
  t.is(n2.attributes.description, 'changed');
  const s2 = await sub.update(subCtx, prior(s, subConfig), obj({ network: n.id, cidr: '10.77.0.0/24', dns_nameservers: [] }));
  t.deepEqual(s2.attributes.dns_nameservers, []);
  const rule6432 = obj({ protocol: 'tcp', port_range_min: 6432, port_range_max: 6432, remote_ip_prefix: '10.0.0.0/8' });
  const egress = obj({ direction: 'egress', protocol: 'tcp', port_range_min: 8883, port_range_max: 8883, remote_ip_prefix: '0.0.0.0/0' });
  const sgConfig2 = obj({ description: 'db port', rules: [rule6432, egress] });
  const g2 = await sgr.update(sgCtx, prior(g, sgConfig), sgConfig2);
  const ports = (g2.attributes.rules as ValueObject[]).map((x) => `${x.direction}:${x.port_range_min}`).sort();
  // The group's own rule for 3306 (made by the standalone resource) is not in the config, so it goes too.
  t.deepEqual(ports, ['egress:8883', 'ingress:6432']);
  t.is((await nc.securityGroups.get(g.id))!.security_group_rules.length, 2, 'default egress rules removed once an egress rule is configured');
  t.is(await rr.read(ruleCtx, prior(r, ruleConfig)), undefined, 'the removed rule reads as gone');

  // delete: everything, then again (already gone is success)
  const before = session.requestCount;
  await rr.delete(ruleCtx, prior(r, ruleConfig));
  t.is(session.requestCount - before, 1, 'one request per delete');
  await sgr.delete(sgCtx, prior(g2, sgConfig2));
  await sub.delete(subCtx, prior(s2, subConfig));
  await net.delete(netCtx, prior(n2, netConfig));
  t.is(await net.read(netCtx, prior(n2, netConfig)), undefined);
  t.is(await sub.read(subCtx, prior(s2, subConfig)), undefined);
  t.is(await sgr.read(sgCtx, prior(g2, sgConfig2)), undefined);
  await t.notThrowsAsync(net.delete(netCtx, prior(n2, netConfig)));
  await t.notThrowsAsync(sgr.delete(sgCtx, prior(g2, sgConfig2)));
  await t.notThrowsAsync(rr.delete(ruleCtx, prior(r, ruleConfig)));
});

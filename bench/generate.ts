/** Generated stacks for benchmarks: N resources, a third of them referring to another. */
export function generateHcl(n: number): string {
  const out: string[] = ['variable "password" {\n  type      = string\n  sensitive = true\n  default   = "s3cret-s3cret"\n}\n'];
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      out.push(`resource "database_configuration" "cfg${i}" {
  datastore = { type = "postgresql", version = "15" }
  values    = { max_connections = ${100 + (i % 50)}, work_mem = "16MB" }
}
`);
    } else {
      const cfg = i - (i % 3);
      out.push(`resource "database_instance" "db${i}" {
  name          = "db-${i}"
  datastore     = { type = "postgresql", version = "15" }
  flavor        = "db.small"
  volume        = { size = ${1 + (i % 20)} }
  configuration = database_configuration.cfg${cfg}.id
  database "app${i}" {
    charset = "UTF8"
  }
  user "app" {
    password  = var.password
    databases = ["app${i}"]
  }
}
`);
    }
  }
  return out.join('\n');
}

export function generateHot(n: number): string {
  const out: string[] = [
    'heat_template_version: 2018-08-31',
    'parameters:',
    '  password:',
    '    type: string',
    '    hidden: true',
    '    default: s3cret-s3cret',
    'resources:',
  ];
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) {
      out.push(`  net${i}:`, '    type: OS::Neutron::Net', '    properties:', `      name: net-${i}`);
      continue;
    }
    const net = i - (i % 3);
    out.push(
      `  db${i}:`,
      '    type: OS::Trove::Instance',
      '    properties:',
      `      name: db-${i}`,
      '      flavor: db.small',
      `      size: ${1 + (i % 20)}`,
      '      datastore_type: postgresql',
      '      datastore_version: "15"',
      `      networks: [{ network: { get_resource: net${net} } }]`,
      `      databases: [{ name: app${i} }]`,
      `      users: [{ name: app, password: { get_param: password }, databases: [app${i}] }]`,
    );
  }
  return out.join('\n') + '\n';
}

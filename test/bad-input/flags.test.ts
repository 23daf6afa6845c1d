import test from 'ava';
import { dbstackAsync } from '../support/cli.js';
import { badInputTests, type BadInputCase } from '../support/bad-input.js';

// Wrong command lines: unknown and incomplete flags, flags that cannot go together, bad
// -parallelism, and -target/-replace addresses that name nothing. Cases that need a state make
// one with `plan -out` first, so the runner proves it is left byte for byte as it was.

const STACK = `resource "random_password" "app" {
  length = 16
}

resource "database_instance" "orders" {
  name      = "orders"
  datastore = { type = "postgresql", version = "16" }
  flavor    = "db.small"
  volume    = { size = 1 }
}
`;
const files = { 's.hcl': STACK };

/** Makes `.dbstack/state.db` (and a saved plan p.plan) without starting anything. */
async function withState(dir: string): Promise<void> {
  const r = await dbstackAsync(['plan', 's.hcl', '-out', 'p.plan'], { cwd: dir });
  if (r.code !== 0) throw new Error(`setup plan failed: ${r.stderr}`);
}

const c = (name: string, args: string[], says: RegExp, extra: Partial<BadInputCase> = {}): BadInputCase => ({ name, files, args, says, ...extra });
const stateful = (name: string, args: string[], says: RegExp): BadInputCase => c(`${name} (state untouched)`, args, says, { setup: withState });

badInputTests(test.serial, 'flags', [
  // Unknown commands and flags
  c('an unknown command', ['frobnicate'], /unknown command 'frobnicate'/),
  c('an unknown --flag', ['plan', 's.hcl', '--bogus'], /unknown option '--bogus'/),
  c('an unknown -flag in Terraform style', ['plan', 's.hcl', '-bogus'], /unknown option '-bogus'/),
  c('a flag of another command (validate -out)', ['validate', 's.hcl', '-out', 'x'], /unknown option '--out'/),
  c('plan without a stack file', ['plan'], /missing required argument 'files'/),
  c('validate without a stack file', ['validate'], /missing required argument/),
  // Flags missing their value
  c('-var without a value', ['plan', 's.hcl', '-var'], /option '--var <name=value>' argument missing/),
  c('-var-file without a value', ['plan', 's.hcl', '-var-file'], /option '--var-file <file>' argument missing/),
  c('-out without a value', ['plan', 's.hcl', '-out'], /option '--out <file>' argument missing/),
  c('-target without a value', ['plan', 's.hcl', '-target'], /option '--target <address>' argument missing/),
  c('-replace without a value', ['apply', 's.hcl', '-replace'], /option '--replace <address>' argument missing/),
  c('-state without a value', ['plan', 's.hcl', '-state'], /option '--state <path>' argument missing/),
  c('-parallelism without a value', ['apply', 's.hcl', '-parallelism'], /option '--parallelism <n>' argument missing/),
  c('--format without a value', ['graph', 's.hcl', '--format'], /argument missing/),
  // Bad values
  c('--format svg', ['graph', 's.hcl', '--format', 'svg'], /argument 'svg' is invalid\. Allowed choices are mermaid, dot/),
  c('-refresh=maybe on plan', ['plan', 's.hcl', '-refresh=maybe'], /argument 'maybe' is invalid\. --refresh takes true or false/),
  c('-refresh=no on apply', ['apply', 's.hcl', '-refresh=no', '-auto-approve'], /argument 'no' is invalid\. --refresh takes true or false/),
  stateful('-parallelism=0', ['apply', 's.hcl', '-parallelism=0', '-auto-approve'], /-parallelism must be a whole number of at least 1, not "0"/),
  stateful('-parallelism=abc', ['apply', 's.hcl', '-parallelism=abc', '-auto-approve'], /-parallelism must be a whole number of at least 1, not "abc"/),
  c('-parallelism=-1', ['apply', 's.hcl', '-parallelism=-1', '-auto-approve'], /not "-1"/),
  c('-parallelism=1.5', ['destroy', 's.hcl', '-parallelism=1.5', '-auto-approve'], /not "1\.5"/),
  // Flags that cannot go together
  c('--json with --markdown on plan', ['plan', 's.hcl', '--json', '--markdown'], /option '--json' cannot be used with option '--markdown'/),
  stateful('--json with --markdown on show', ['show', 'p.plan', '--json', '--markdown'], /option '--json' cannot be used with option '--markdown'/),
  c('-destroy with -refresh-only', ['plan', 's.hcl', '-destroy', '-refresh-only'], /option '--destroy' cannot be used with option '--refresh-only'/),
  c('-refresh=false with -refresh-only', ['plan', 's.hcl', '-refresh=false', '-refresh-only'], /'--refresh false' cannot be used with option '--refresh-only'/),
  c('-target with -refresh-only', ['plan', 's.hcl', '-refresh-only', '-target=random_password.app'], /option '--target <address>' cannot be used with option '--refresh-only'/),
  c('-replace with -refresh-only', ['plan', 's.hcl', '-refresh-only', '-replace=random_password.app'], /option '--replace <address>' cannot be used with option '--refresh-only'/),
  stateful('-var with a saved plan', ['apply', 'p.plan', '-var', 'x=1'], /-var cannot be given with a saved plan/),
  stateful('-target with a saved plan', ['apply', 'p.plan', '-target', 'random_password.app'], /-target cannot be given with a saved plan/),
  // -target and -replace that match nothing (as Terraform: an error, not an empty plan)
  c('-target with a typo gets a did-you-mean', ['plan', 's.hcl', '-target=database_instance.order'], /-target database_instance\.order matches no resource[\s\S]*Did you mean database_instance\.orders\?/),
  c('-target of an unknown type', ['plan', 's.hcl', '-target=aws_instance.web'], /-target aws_instance\.web matches no resource/),
  c('-target with an index that does not exist', ['plan', 's.hcl', '-target=database_instance.orders[3]'], /-target database_instance\.orders\[3\] matches no resource/),
  c('-target that is not an address', ['plan', 's.hcl', '-target=orders'], /-target orders matches no resource/),
  c('-replace with a typo gets a did-you-mean', ['plan', 's.hcl', '-replace=random_password.ap'], /-replace random_password\.ap matches no resource[\s\S]*Did you mean random_password\.app\?/),
  c('-replace of a data source address', ['plan', 's.hcl', '-replace=data.network.app'], /-replace data\.network\.app matches no resource/),
  c('one good and one bad -replace', ['plan', 's.hcl', '-replace=random_password.app', '-replace=database_instance.nope'], /-replace database_instance\.nope matches no resource/),
  stateful('-target matching nothing on apply', ['apply', 's.hcl', '-target=database_instance.ordrs', '-auto-approve'], /-target database_instance\.ordrs matches no resource[\s\S]*Did you mean database_instance\.orders\?/),
  stateful('-replace matching nothing on apply', ['apply', 's.hcl', '-replace=random_password.nope', '-auto-approve'], /-replace random_password\.nope matches no resource/),
  stateful('-target matching nothing on destroy', ['destroy', 's.hcl', '-target=database_instance.nope', '-auto-approve'], /-target database_instance\.nope matches no resource/),
  c('-target matching nothing, as JSON', ['plan', 's.hcl', '-json', '-target=nope'], /-target nope matches no resource/, { stream: 'stdout' }),
]);

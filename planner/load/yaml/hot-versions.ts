/**
 * Heat template versions and what each allows, transcribed from openstack/heat
 * `heat/engine/hot/template.py` (the `functions` / `condition_functions` tables of each
 * HOTemplateYYYYMMDD class), `heat/engine/hot/parameters.py` and `setup.cfg` (the aliases).
 */

export const HOT_VERSIONS = [
  '2013-05-23',
  '2014-10-16',
  '2015-04-30',
  '2015-10-15',
  '2016-04-08',
  '2016-10-14',
  '2017-02-24',
  '2017-09-01',
  '2018-03-02',
  '2018-08-31',
  '2021-04-16',
] as const;

export type HotVersion = (typeof HOT_VERSIONS)[number];

export const HOT_ALIASES: Readonly<Record<string, HotVersion>> = {
  newton: '2016-10-14',
  ocata: '2017-02-24',
  pike: '2017-09-01',
  queens: '2018-03-02',
  rocky: '2018-08-31',
  wallaby: '2021-04-16',
};

export const LATEST_HOT: HotVersion = '2021-04-16';

/** Every accepted spelling, for messages. */
export function validHotVersionNames(): string[] {
  return [...HOT_VERSIONS, ...Object.keys(HOT_ALIASES)];
}

export function resolveHotVersion(v: string): HotVersion | undefined {
  if ((HOT_VERSIONS as readonly string[]).includes(v)) return v as HotVersion;
  return HOT_ALIASES[v];
}

/** ISO dates compare as strings. */
export function atLeast(v: HotVersion, min: HotVersion): boolean {
  return v >= min;
}

export interface HotFunctionInfo {
  /** First version whose `functions` table has it. */
  since: HotVersion;
  /** First version where it is `hot_funcs.Removed` (an error to use). */
  removed?: HotVersion;
  /** First version whose `condition_functions` table has it. */
  condition?: HotVersion;
  /** Only in `condition_functions`, never in `functions`. */
  conditionOnly?: boolean;
}

export const HOT_FUNCTIONS: Readonly<Record<string, HotFunctionInfo>> = {
  get_param: { since: '2013-05-23', condition: '2016-10-14' },
  get_resource: { since: '2013-05-23' },
  get_attr: { since: '2013-05-23' },
  get_file: { since: '2013-05-23' },
  list_join: { since: '2013-05-23' },
  str_replace: { since: '2013-05-23' },
  resource_facade: { since: '2013-05-23' },
  'Fn::GetAZs': { since: '2013-05-23', removed: '2014-10-16' },
  Ref: { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::Join': { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::Split': { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::Replace': { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::Base64': { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::MemberListToMap': { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::ResourceFacade': { since: '2013-05-23', removed: '2014-10-16' },
  'Fn::Select': { since: '2013-05-23', removed: '2015-10-15' },
  repeat: { since: '2015-04-30' },
  digest: { since: '2015-04-30' },
  str_split: { since: '2015-10-15' },
  map_merge: { since: '2016-04-08' },
  yaql: { since: '2016-10-14', condition: '2017-09-01' },
  map_replace: { since: '2016-10-14' },
  if: { since: '2016-10-14' },
  equals: { since: '2016-10-14', condition: '2016-10-14', conditionOnly: true },
  not: { since: '2016-10-14', condition: '2016-10-14', conditionOnly: true },
  and: { since: '2016-10-14', condition: '2016-10-14', conditionOnly: true },
  or: { since: '2016-10-14', condition: '2016-10-14', conditionOnly: true },
  filter: { since: '2017-02-24' },
  str_replace_strict: { since: '2017-02-24' },
  make_url: { since: '2017-09-01' },
  list_concat: { since: '2017-09-01' },
  list_concat_unique: { since: '2017-09-01' },
  str_replace_vstrict: { since: '2017-09-01' },
  contains: { since: '2017-09-01', condition: '2017-09-01' },
};

/** Versions that changed a function's arguments. */
export const GET_ATTR_ALL_ATTRIBUTES: HotVersion = '2015-10-15';
export const LIST_JOIN_MULTIPLE: HotVersion = '2015-10-15';
export const REPEAT_PERMUTATIONS: HotVersion = '2017-09-01';
export const IF_NULLABLE: HotVersion = '2021-04-16';

/** Sections, resource keys, parameter keys and other version-dependent features. */
export const CONDITIONS_SINCE: HotVersion = '2016-10-14';
export const LOWERCASE_DELETION_POLICY_SINCE: HotVersion = '2016-10-14';
export const MODULO_SINCE: HotVersion = '2017-02-24';
export const PARAM_TAGS_SINCE: HotVersion = '2018-03-02';

export const HOT_SECTIONS = ['heat_template_version', 'description', 'parameter_groups', 'parameters', 'resources', 'outputs', 'conditions'];
export const HOT_RESOURCE_KEYS = ['type', 'properties', 'metadata', 'depends_on', 'deletion_policy', 'update_policy', 'description', 'external_id', 'condition'];
export const HOT_OUTPUT_KEYS = ['value', 'description', 'condition'];
export const HOT_PARAM_KEYS = ['type', 'description', 'default', 'constraints', 'hidden', 'label', 'immutable', 'tags'];
export const HOT_PARAM_TYPES = ['string', 'number', 'json', 'comma_delimited_list', 'boolean'];
export const HOT_PSEUDO_PARAMS: Readonly<Record<string, string>> = {
  'OS::stack_name': 'name',
  'OS::stack_id': 'id',
  'OS::project_id': 'project_id',
};

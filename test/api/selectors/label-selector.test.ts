import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isApiError } from '../../../reconciler/api/errors.js'
import {
  equalitySelector,
  fromLabelSelector,
  indexableTerms,
  isEqualitySelector,
  parseLabelSelector,
  type LabelSelector,
} from '../../../reconciler/api/selectors/label-selector.js'

function parseError(s: string): string {
  try {
    parseLabelSelector(s)
  } catch (e) {
    assert.ok(isApiError(e, 'BadRequest'), `expected BadRequest for ${JSON.stringify(s)}`)
    return (e as Error).message
  }
  throw new Error(`no error for ${JSON.stringify(s)}`)
}

const parse = suite('parseLabelSelector')

const canonical: Array<{ name: string; input: string; out: string }> = [
  { name: 'equality', input: 'app=web', out: 'app=web' },
  { name: 'double equals keeps its operator', input: 'app==web', out: 'app==web' },
  { name: 'not equals', input: 'app!=web', out: 'app!=web' },
  { name: 'sorted by key', input: 'z=1,a=2, m', out: 'a=2,m,z=1' },
  { name: 'in, values sorted and deduplicated', input: 'env in (prod, dev,prod)', out: 'env in (dev,prod)' },
  { name: 'notin', input: 'env notin (a)', out: 'env notin (a)' },
  { name: 'exists and does not exist', input: '!canary, app', out: 'app,!canary' },
  { name: 'empty values in sets', input: 'x in (foo,,baz),y,z notin ()', out: 'x in (,baz,foo),y,z notin ()' },
  { name: 'empty exact value', input: 'a=,b', out: 'a=,b' },
  { name: 'keywords as values and keys', input: 'in in (in, notin)', out: 'in in (in,notin)' },
  { name: 'prefixed keys', input: 'app.kubernetes.io/name=web', out: 'app.kubernetes.io/name=web' },
  { name: 'gt and lt', input: 'n>5,m<3', out: 'm<3,n>5' },
  { name: 'whitespace of every kind', input: ' a\t=\nb\r', out: 'a=b' },
  { name: 'empty string', input: '', out: '' },
]
for (const c of canonical) {
  parse(c.name, () => {
    assert.is(parseLabelSelector(c.input).toString(), c.out)
  })
}

parse('structured requirements', () => {
  const s = parseLabelSelector('tier in (b,a),!x,app=web')
  assert.equal(
    s.requirements.map((r) => ({ ...r })),
    [
      { key: 'app', operator: '=', values: ['web'] },
      { key: 'tier', operator: 'in', values: ['a', 'b'] },
      { key: 'x', operator: '!', values: [] },
    ],
  )
  assert.not.ok(s.empty)
  assert.ok(parseLabelSelector('').empty)
})

const errors: Array<{ name: string; input: string; message: string }> = [
  {
    name: 'space instead of operator',
    input: 'a b',
    message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
  },
  { name: 'leading comma', input: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
  { name: 'trailing comma', input: 'a,', message: "found '', expected: identifier after ','" },
  { name: 'missing paren', input: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
  { name: 'unclosed set', input: 'a in (b', message: "unable to parse requirement: found '', expected: ',' or ')'" },
  { name: 'does not exist with value', input: '!a=b', message: "found '=', expected: ',' or 'end of string'" },
  { name: 'operator in set', input: 'a in (=)', message: "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
  { name: 'bang alone', input: '!', message: "unable to parse requirement: found '', expected: identifier" },
  {
    name: 'colon in key (kubectl -l "app:monolith")',
    input: 'app:monolith',
    message:
      'unable to parse requirement: <nil>: Invalid value: "app:monolith": name part must consist of alphanumeric characters, ' +
      "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', " +
      "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  },
  {
    name: 'too many slashes in key',
    input: 'a/b/c ?=? def',
    message:
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, ' +
      "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', " +
      "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' " +
      "(e.g. 'example.com/MyName')",
  },
  {
    name: 'bad value',
    input: 'a=b!c',
    message: "found '!', expected: ',' or 'end of string'",
  },
  {
    name: 'invalid value characters',
    input: 'a=-b',
    message:
      'unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of ' +
      "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or " +
      "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  },
  {
    name: 'gt needs an integer',
    input: 'a>b',
    message: `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
  },
]
for (const c of errors) {
  parse(`error: ${c.name}`, () => {
    assert.is(parseError(c.input), c.message)
  })
}

parse.run()

const match = suite('LabelSelector.matches')

const cases: Array<{ name: string; sel: string; labels: Record<string, string> | undefined; want: boolean }> = [
  { name: 'equality hit', sel: 'app=web', labels: { app: 'web' }, want: true },
  { name: 'equality miss', sel: 'app=web', labels: { app: 'db' }, want: false },
  { name: 'equality on missing key', sel: 'app=web', labels: {}, want: false },
  { name: 'not equals on missing key', sel: 'app!=web', labels: {}, want: true },
  { name: 'notin on missing key', sel: 'env notin (prod)', labels: undefined, want: true },
  { name: 'in hit', sel: 'env in (dev,prod)', labels: { env: 'prod' }, want: true },
  { name: 'exists', sel: 'app', labels: { app: '' }, want: true },
  { name: 'does not exist', sel: '!app', labels: { app: '' }, want: false },
  { name: 'empty value matches empty label', sel: 'a=', labels: { a: '' }, want: true },
  { name: 'gt', sel: 'n>5', labels: { n: '6' }, want: true },
  { name: 'gt with non-integer label', sel: 'n>5', labels: { n: 'x' }, want: false },
  { name: 'lt negative', sel: 'n<0', labels: { n: '-1' }, want: true },
  { name: 'AND of all', sel: 'app=web,tier=fe', labels: { app: 'web', tier: 'be' }, want: false },
  { name: 'empty selector matches everything', sel: '', labels: undefined, want: true },
]
for (const c of cases) {
  match(c.name, () => {
    assert.is(parseLabelSelector(c.sel).matches(c.labels), c.want)
  })
}
match.run()

const structured = suite('fromLabelSelector')

structured('null matches nothing, {} matches everything', () => {
  assert.is(fromLabelSelector(null).matches({ a: 'b' }), false)
  assert.is(fromLabelSelector(undefined).nothing, true)
  assert.is(fromLabelSelector({}).matches({}), true)
  assert.is(fromLabelSelector({ matchLabels: {}, matchExpressions: [] }).empty, true)
})

structured('matchLabels and matchExpressions together, sorted by key', () => {
  const s = fromLabelSelector({
    matchLabels: { tier: 'fe', app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'dev'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'Exists' },
      { key: 'x', operator: 'NotIn', values: ['y'] },
    ],
  })
  assert.is(s.toString(), 'app=web,!canary,env in (dev,prod),tier=fe,x notin (y),zone')
  assert.ok(s.matches({ app: 'web', tier: 'fe', env: 'dev', zone: 'a' }))
  assert.not.ok(s.matches({ app: 'web', tier: 'fe', env: 'dev', zone: 'a', canary: '1' }))
})

structured('unknown operator', () => {
  try {
    fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })
    assert.unreachable()
  } catch (e) {
    assert.ok(isApiError(e, 'BadRequest'))
    assert.is((e as Error).message, '"Gt" is not a valid label selector operator')
  }
})

structured('In without values', () => {
  try {
    fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })
    assert.unreachable()
  } catch (e) {
    assert.is((e as Error).message, `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`)
  }
})
structured.run()

const index = suite('indexableTerms and equalitySelector')

const idx: Array<{ name: string; sel: LabelSelector; terms: Array<[string, string]>; pure: boolean }> = [
  { name: 'equalities', sel: parseLabelSelector('b=2,a==1'), terms: [['a', '1'], ['b', '2']], pure: true },
  { name: 'in of one value counts', sel: parseLabelSelector('a in (x)'), terms: [['a', 'x']], pure: true },
  { name: 'mixed', sel: parseLabelSelector('a=1,b!=2,c'), terms: [['a', '1']], pure: false },
  { name: 'in of two values does not', sel: parseLabelSelector('a in (x,y)'), terms: [], pure: false },
  { name: 'everything', sel: parseLabelSelector(''), terms: [], pure: true },
  { name: 'nothing', sel: fromLabelSelector(null), terms: [], pure: false },
  { name: 'from a map', sel: equalitySelector({ tier: 'fe', app: 'web' }), terms: [['app', 'web'], ['tier', 'fe']], pure: true },
]
for (const c of idx) {
  index(c.name, () => {
    assert.equal(indexableTerms(c.sel), c.terms)
    assert.is(isEqualitySelector(c.sel), c.pure)
  })
}

index('equalitySelector text and empty map', () => {
  assert.is(equalitySelector({ b: '2', a: '1' }).toString(), 'a=1,b=2')
  assert.ok(equalitySelector({}).empty)
  assert.ok(equalitySelector(undefined).matches({ x: 'y' }))
  assert.is(parseLabelSelector('a=1,b=2').requiresExactMatch('b'), '2')
})
index.run()

import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { executeJsonPath, parseJsonPath, JsonPathExecError, JsonPathParseError } from '../../../reconciler/cli/print/index.js'

// Expected strings checked against `kubectl create … --dry-run=client -o jsonpath=…` (kubectl 1.32).
const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { creationTimestamp: null, labels: { app: 'web' }, name: 'web' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: {},
    template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }, { image: 'redis:7', name: 'redis', resources: {} }] } } },
  status: {},
}
const configMap = { apiVersion: 'v1', data: { b10: 'x', b9: 'y', k: '<a&b> "q" é', t: 'true' }, kind: 'ConfigMap', metadata: { creationTimestamp: null, name: 'cm' } }

const run = (tmpl: string, data: unknown): string => executeJsonPath(parseJsonPath(tmpl), data)

const exec = suite('jsonpath: results as kubectl prints them')
const cases: Array<{ name: string; tmpl: string; data: unknown; want: string }> = [
  { name: 'a map prints as compact JSON', tmpl: '{.metadata.labels}', data: deployment, want: '{"app":"web"}' },
  { name: 'negative index', tmpl: '{.spec.template.spec.containers[-1].name}', data: deployment, want: 'redis' },
  { name: 'null prints as null', tmpl: '{.metadata.creationTimestamp}', data: deployment, want: 'null' },
  { name: 'filter on a missing field matches nothing', tmpl: '{.spec.template.spec.containers[?(@.foo=="x")].name}', data: deployment, want: '' },
  { name: 'wildcard joins with spaces', tmpl: '{.spec.template.spec.containers[*].name}', data: deployment, want: 'nginx redis' },
  { name: 'integer', tmpl: '{.spec.replicas}', data: deployment, want: '1' },
  { name: 'a list prints as compact JSON with sorted keys', tmpl: '{.spec.template.spec.containers}', data: deployment, want: '[{"image":"nginx","name":"nginx","resources":{}},{"image":"redis:7","name":"redis","resources":{}}]' },
  { name: 'missing key prints nothing', tmpl: '{.nope}', data: deployment, want: '' },
  { name: 'range with \\t literal, text after end', tmpl: '{range .spec.template.spec.containers[*]}{.name}{"\\t"}{end}after', data: deployment, want: 'nginx\tredis\tafter' },
  { name: 'filter by name', tmpl: '{.spec.template.spec.containers[?(@.name=="redis")].image}', data: deployment, want: 'redis:7' },
  { name: 'recursive descent', tmpl: '{..name}', data: deployment, want: 'web nginx redis' },
  { name: 'text literal is not escaped', tmpl: '{.spec.replicas}{"<&>"}', data: deployment, want: '1<&>' },
  { name: 'JSON escapes <, > and &', tmpl: '{.data}', data: configMap, want: '{"b10":"x","b9":"y","k":"\\u003ca\\u0026b\\u003e \\"q\\" é","t":"true"}' },
  { name: 'a string prints raw', tmpl: '{.data.k}', data: configMap, want: '<a&b> "q" é' },
  { name: 'map wildcard in key order', tmpl: '{.data.*}', data: configMap, want: 'x y <a&b> "q" é true' },
  { name: 'text outside braces keeps backslashes', tmpl: 'plain\\ttext {.metadata.name}', data: configMap, want: 'plain\\ttext cm' },
  { name: 'range over a map', tmpl: '{range .data.*}[{@}]{end}', data: configMap, want: '[x][y][<a&b> "q" é][true]' },
  { name: 'range over nothing prints nothing, even after end', tmpl: '{range .items[*]}{.x}{end}tail', data: { items: [] }, want: '' },
  { name: 'nested range (checked against kubectl for one outer item)', tmpl: '{range .a[*]}{range .b[*]}{@}-{end};{end}', data: { a: [{ b: ['echo', 'a', 'b'] }] }, want: 'echo-a-b-;' },
  // client-go's range/end counters: the inner {end} of a non-last outer item ends that item.
  { name: 'nested range over several outer items follows client-go', tmpl: '{range .a[*]}{range .b[*]}{@}-{end};{end}', data: { a: [{ b: [1, 2] }, { b: [3] }] }, want: '1-2-3-;' },
  { name: 'slice', tmpl: '{.a[1:3]}', data: { a: [0, 1, 2, 3] }, want: '1 2' },
  { name: 'slice with step', tmpl: '{.a[0:4:2]}', data: { a: [0, 1, 2, 3] }, want: '0 2' },
  { name: 'union', tmpl: "{.a[0,2]} {.m['x']}", data: { a: [7, 8, 9], m: { x: 'X' } }, want: '7 9 X' },
  { name: 'numeric filter', tmpl: '{.a[?(@.n>1)].n}', data: { a: [{ n: 1 }, { n: 2 }, { n: 3 }] }, want: '2 3' },
  { name: 'exists filter', tmpl: '{.a[?(@.x)].n}', data: { a: [{ n: 1, x: 0 }, { n: 2 }] }, want: '1' },
  { name: 'bool filter', tmpl: '{.a[?(@.ready==true)].n}', data: { a: [{ n: 1, ready: true }, { n: 2, ready: false }] }, want: '1' },
  { name: 'floats print as Go does', tmpl: '{.f} {.g} {.h}', data: { f: 0.25, g: 1.5e-7, h: 12345678901 }, want: '0.25 1.5e-07 12345678901' },
  { name: 'empty zero-length slice', tmpl: '{.a[0:0]}', data: { a: [] }, want: '' },
]
for (const c of cases) exec(c.name, () => assert.is(run(c.tmpl, c.data), c.want))
exec.run()

const errors = suite('jsonpath: errors')
const errorCases: Array<{ name: string; tmpl: string; data?: unknown; error: typeof JsonPathParseError | typeof JsonPathExecError; message: string }> = [
  { name: 'unclosed action', tmpl: '{.metadata.name', error: JsonPathParseError, message: 'unclosed action' },
  { name: 'unterminated array', tmpl: '{.a[0}', error: JsonPathParseError, message: 'unterminated array' },
  { name: 'invalid array index', tmpl: '{.a[x]}', error: JsonPathParseError, message: 'invalid array index x' },
  { name: 'index out of bounds', tmpl: '{.a[5]}', data: { a: [1, 2] }, error: JsonPathExecError, message: 'array index out of bounds: index 5, length 2' },
  { name: 'index of a map', tmpl: '{[0]}', data: {}, error: JsonPathExecError, message: 'map[string]interface {} is not array or slice' },
  { name: 'filter of a map', tmpl: '{.m[?(@=="x")]}', data: { m: { a: 'x' } }, error: JsonPathExecError, message: 'map[a:x] is not array or slice and cannot be filtered' },
  { name: 'incompatible comparison', tmpl: '{.a[?(@.n=="1")]}', data: { a: [{ n: 1 }] }, error: JsonPathExecError, message: 'incompatible types for comparison' },
  { name: 'end without range', tmpl: '{end}', data: {}, error: JsonPathExecError, message: 'not in range, nothing to end' },
]
for (const c of errorCases) {
  errors(c.name, () => {
    try {
      run(c.tmpl, c.data ?? {})
      assert.unreachable('should have thrown')
    } catch (err) {
      assert.instance(err, c.error)
      assert.is((err as Error).message, c.message)
    }
  })
}
errors('missing keys are errors when not allowed', () => {
  assert.throws(() => executeJsonPath(parseJsonPath('{.nope}'), {}, { allowMissingKeys: false }), (e: Error) => e.message === 'nope is not found')
})
errors.run()

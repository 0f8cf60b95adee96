import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildConfigMap, buildGenericSecret, configMapKeyErrors, envVarNameErrors, goQuote, parseEnvFile } from '../../../reconciler/cli/create/index.js'

const known = suite('create: values recorded from kubectl 1.32 (checked without kubectl)')

known('append-hash names', () => {
  assert.is((buildConfigMap({ name: 'c', namespace: 'foo', fromLiteral: ['k=é'], appendHash: true }).metadata as { name: string }).name, 'c-86dhch4bk9')
  assert.is((buildGenericSecret({ name: 's', fromLiteral: ['k=é'], appendHash: true }).metadata as { name: string }).name, 's-4c9cfkkdkh')
  assert.is((buildGenericSecret({ name: 's', type: 'Opaque', fromLiteral: ['k=v'], appendHash: true }).metadata as { name: string }).name, 's-f9fm229cgt')
})

known('the object kubectl prints for a literal', () => {
  assert.equal(JSON.stringify(buildConfigMap({ name: 'c', fromLiteral: ['a=1'] })), '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","creationTimestamp":null},"data":{"a":"1"}}')
})

known.run()

const env = suite('parseEnvFile')

const envCases: { name: string; text: string | Buffer; pairs?: [string, string][]; error?: RegExp }[] = [
  { name: 'plain pairs in order', text: 'B=2\nA=1\n', pairs: [['B', '2'], ['A', '1']] },
  { name: 'leading whitespace and comments', text: '  # c\n\t X=1\n\n#Y=2\n', pairs: [['X', '1']] },
  { name: 'value kept as written', text: 'Q="a b" \n', pairs: [['Q', '"a b" ']] },
  { name: 'CRLF line ends', text: 'A=1\r\nB=2\r\n', pairs: [['A', '1'], ['B', '2']] },
  { name: 'no = takes the environment', text: 'HOME_X\nNOPE\n', pairs: [['HOME_X', '/home/x'], ['NOPE', '']] },
  { name: 'BOM dropped on the first line', text: '\ufeffA=1\n', pairs: [['A', '1']] },
  { name: 'export is part of the key', text: 'export A=1\n', error: /"export A" is not a valid key name/ },
  { name: 'empty key', text: '=1\n', error: /"" is not a valid key name/ },
  { name: 'invalid UTF-8 names the line and bytes', text: Buffer.from([0x41, 0x3d, 0x31, 0x0a, 0x42, 0x3d, 0xe9, 0x0a]), error: /contains invalid utf8 bytes at line 2: \[66 61 233\]/ },
]

for (const c of envCases) {
  env(c.name, () => {
    const run = () => parseEnvFile(Buffer.isBuffer(c.text) ? c.text : Buffer.from(c.text), 'x.env', { HOME_X: '/home/x' })
    if (c.error) assert.throws(run, (e: Error) => c.error!.test(e.message))
    else assert.equal(run(), c.pairs)
  })
}

env.run()

const rules = suite('key rules and Go quoting')

rules('configMapKeyErrors', () => {
  assert.equal(configMapKeyErrors('good.key-1_x'), [])
  assert.equal(configMapKeyErrors('..'), ["must not be '..'"])
  assert.is(configMapKeyErrors('a/b').length, 1)
  assert.is(configMapKeyErrors('..a/b').length, 2)
  assert.equal(configMapKeyErrors('k'.repeat(254))[0], 'must be no more than 253 characters')
})

rules('envVarNameErrors', () => {
  assert.equal(envVarNameErrors('MY_ENV.NAME-1'), [])
  assert.is(envVarNameErrors('1abc').length, 1)
})

rules('goQuote', () => {
  assert.is(goQuote('a"b\\c'), '"a\\"b\\\\c"')
  assert.is(goQuote('\ufeffX'), '"\\ufeffX"')
  assert.is(goQuote('tab\there\n'), '"tab\\there\\n"')
  assert.is(goQuote('é☃'), '"é☃"')
})

rules.run()

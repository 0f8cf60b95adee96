import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { decodeGoBase64 } from '../../../reconciler/api/validation/go-base64.js'
import { goJsonObjectError } from '../../../reconciler/api/validation/go-json-check.js'
import { goQuote } from '../../../reconciler/api/validation/go-format.js'

const b64 = suite('decodeGoBase64')

const ok: Array<{ name: string; input: string; out: string }> = [
  { name: 'empty', input: '', out: '' },
  { name: 'padded', input: 'YQ==', out: 'a' },
  { name: 'one pad', input: 'YWI=', out: 'ab' },
  { name: 'full quantum', input: 'YWJj', out: 'abc' },
  { name: 'newlines ignored', input: 'YW\nJj\r\n', out: 'abc' },
]
for (const c of ok) {
  b64(c.name, () => {
    const r = decodeGoBase64(c.input)
    assert.ok(r.ok)
    if (r.ok) assert.is(r.bytes.toString(), c.out)
  })
}

// Offsets as Go's base64.StdEncoding.DecodeString reports them.
const bad: Array<{ name: string; input: string; offset: number }> = [
  { name: 'missing padding', input: 'YQ', offset: 0 },
  { name: 'three symbols without padding', input: 'YWI', offset: 0 },
  { name: 'illegal character', input: 'YW*j', offset: 2 },
  { name: 'padding too early', input: 'Y===', offset: 1 },
  { name: 'one pad where two are needed', input: 'YQ=', offset: 3 },
  { name: 'data after padding', input: 'YQ==YQ==', offset: 4 },
  { name: 'second quantum short', input: 'YWJjZ', offset: 4 },
  { name: 'url alphabet', input: 'a-b_', offset: 1 },
]
for (const c of bad) {
  b64(`error: ${c.name}`, () => {
    const r = decodeGoBase64(c.input)
    assert.not.ok(r.ok)
    if (!r.ok) {
      assert.is(r.offset, c.offset)
      assert.is(r.message, `illegal base64 data at input byte ${c.offset}`)
    }
  })
}
b64.run()

const json = suite('goJsonObjectError')

const jsonCases: Array<{ name: string; input: string; want: string | undefined }> = [
  { name: 'object', input: '{"auths":{"r":{"auth":"x"}}, "n": -1.5e3, "b": [true, false, null]}', want: undefined },
  { name: 'null', input: ' null ', want: undefined },
  { name: 'string', input: '"x"', want: 'json: cannot unmarshal string into Go value of type map[string]interface {}' },
  { name: 'number', input: '1', want: 'json: cannot unmarshal number into Go value of type map[string]interface {}' },
  { name: 'truncated', input: '{"a":', want: 'unexpected end of JSON input' },
  { name: 'bad start', input: 'x', want: "invalid character 'x' looking for beginning of value" },
  { name: 'missing comma', input: '{"a":1 "b":2}', want: `invalid character '"' after object key:value pair` },
  { name: 'array element', input: '[1 2]', want: "invalid character '2' after array element" },
  { name: 'leading zero', input: '{"a":01}', want: "invalid character '1' after object key:value pair" },
  { name: 'bad escape', input: '{"a":"\\q"}', want: "invalid character 'q' in string escape code" },
  { name: 'control char in string', input: '{"a":"\t"}', want: "invalid character '\\t' in string literal" },
  { name: 'bad exponent', input: '{"a":1e}', want: "invalid character '}' in exponent of numeric literal" },
]
for (const c of jsonCases) {
  json(c.name, () => {
    assert.is(goJsonObjectError(c.input), c.want)
  })
}
json.run()

const quote = suite('goQuote')
quote('Go escapes', () => {
  assert.is(goQuote('a"b\\c\n\x01'), '"a\\"b\\\\c\\n\\x01"')
  assert.is(goQuote('ü'), '"ü"')
})
quote.run()

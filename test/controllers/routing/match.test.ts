import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { matchHost, matchPath, parseRequestUrl, pathPrecedence } from '../../../reconciler/controllers/routing/index.js'

const Host = suite('routing: host matching')
for (const c of [
  { name: 'no host matches all', rule: '', host: 'anything.example', want: 'any' },
  { name: 'exact', rule: 'foo.bar.com', host: 'foo.bar.com', want: 'exact' },
  { name: 'exact, case-insensitive', rule: 'foo.bar.com', host: 'FOO.bar.com', want: 'exact' },
  { name: 'exact mismatch', rule: 'foo.bar.com', host: 'bar.com', want: undefined },
  { name: 'wildcard: one label', rule: '*.foo.com', host: 'bar.foo.com', want: 'wildcard' },
  { name: 'wildcard: not two labels', rule: '*.foo.com', host: 'baz.bar.foo.com', want: undefined },
  { name: 'wildcard: not the bare domain', rule: '*.foo.com', host: 'foo.com', want: undefined },
  { name: 'wildcard: not a suffix of a label', rule: '*.foo.com', host: 'barfoo.com', want: undefined },
]) {
  Host(c.name, () => assert.is(matchHost(c.rule, c.host), c.want))
}
Host.run()

// The table of the Ingress documentation ("Examples"), and a few more.
const Path = suite('routing: path matching (the Ingress docs table)')
for (const c of [
  { type: 'Prefix', path: '/', req: '/aaa/bbb', want: true },
  { type: 'Prefix', path: '/', req: '/', want: true },
  { type: 'Exact', path: '/foo', req: '/foo', want: true },
  { type: 'Exact', path: '/foo', req: '/bar', want: false },
  { type: 'Exact', path: '/foo', req: '/foo/', want: false },
  { type: 'Exact', path: '/foo/', req: '/foo', want: false },
  { type: 'Prefix', path: '/foo', req: '/foo', want: true },
  { type: 'Prefix', path: '/foo', req: '/foo/', want: true },
  { type: 'Prefix', path: '/foo/', req: '/foo', want: true },
  { type: 'Prefix', path: '/foo/', req: '/foo/', want: true },
  { type: 'Prefix', path: '/aaa/bb', req: '/aaa/bbb', want: false },
  { type: 'Prefix', path: '/aaa/bbb', req: '/aaa/bbb', want: true },
  { type: 'Prefix', path: '/aaa/bbb/', req: '/aaa/bbb', want: true },
  { type: 'Prefix', path: '/aaa/bbb', req: '/aaa/bbb/', want: true },
  { type: 'Prefix', path: '/aaa/bbb', req: '/aaa/bbb/ccc', want: true },
  { type: 'Prefix', path: '/aaa/bbb', req: '/aaa/bbbxyz', want: false },
  { type: 'Prefix', path: '/foo', req: '/foobar', want: false },
  { type: 'Prefix', path: '/foo', req: '/foo/bar', want: true },
  { type: 'Prefix', path: '/aaa', req: '/ccc', want: false },
  { type: 'ImplementationSpecific', path: '/foo', req: '/foo/bar', want: true },
  { type: 'ImplementationSpecific', path: '/foo', req: '/foobar', want: false },
]) {
  Path(`${c.type} ${c.path} vs ${c.req}`, () => assert.is(matchPath(c.type, c.path, c.req), c.want))
}
Path('precedence: longer first, then Exact before Prefix', () => {
  assert.ok(pathPrecedence('Prefix', '/aaa/bbb') > pathPrecedence('Prefix', '/aaa'))
  assert.ok(pathPrecedence('Exact', '/aaa') > pathPrecedence('Prefix', '/aaa'))
  assert.ok(pathPrecedence('Exact', '/aaa') > pathPrecedence('Prefix', '/aaa/'))
  assert.is(pathPrecedence('Prefix', '/aaa/'), pathPrecedence('Prefix', '/aaa'))
})
Path.run()

const Url = suite('routing: request URLs')
for (const c of [
  { name: 'https with path', url: 'https://foo.bar.com/api/v1?x=1', want: { scheme: 'https', host: 'foo.bar.com', path: '/api/v1', port: 443 } },
  { name: 'no path', url: 'https://foo.bar.com', want: { scheme: 'https', host: 'foo.bar.com', path: '/', port: 443 } },
  { name: 'no scheme is http', url: 'Foo.Bar.com:8080/x', want: { scheme: 'http', host: 'foo.bar.com', path: '/x', port: 8080 } },
  { name: 'unsupported scheme', url: 'ftp://foo/', want: 'error' },
  { name: 'not a URL', url: 'http://', want: 'error' },
]) {
  Url(c.name, () => {
    const r = parseRequestUrl(c.url)
    if (c.want === 'error') assert.ok('error' in r)
    else assert.equal(r, c.want)
  })
}
Url.run()

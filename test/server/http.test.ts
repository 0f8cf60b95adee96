import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startHarness, type Harness } from './harness.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions walk response JSON freely
let h: Harness

const get = async (path: string, headers: Record<string, string> = {}): Promise<{ code: number; body: Json; headers: Headers }> => {
  const r = await fetch(h.url + path, { headers })
  return { code: r.status, body: (await r.json()) as Json, headers: r.headers }
}
const send = async (method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ code: number; body: Json; headers: Headers }> => {
  const r = await fetch(h.url + path, { method, headers: { 'Content-Type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { code: r.status, body: (await r.json()) as Json, headers: r.headers }
}
const cm = (name: string, data: Record<string, string> = { a: '1' }): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data })
const CM = '/api/v1/namespaces/default/configmaps'
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments'
const deployment = (name: string): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
})

/** Reads newline-delimited watch events until `count` arrived (or the stream ends). */
async function readEvents(path: string, count: number, during?: () => Promise<void>, headers: Record<string, string> = {}): Promise<Json[]> {
  const ctl = new AbortController()
  const r = await fetch(h.url + path, { signal: ctl.signal, headers })
  assert.is(r.headers.get('content-type'), 'application/json')
  assert.is(r.headers.get('transfer-encoding'), 'chunked')
  const reader = r.body!.getReader()
  const events: Json[] = []
  let buf = ''
  let started = false
  while (events.length < count) {
    if (!started && during) {
      started = true
      void during()
    }
    const { value, done } = await reader.read()
    if (done) break
    buf += new TextDecoder().decode(value)
    let nl: number
    while ((nl = buf.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buf.slice(0, nl)) as Json)
      buf = buf.slice(nl + 1)
    }
  }
  ctl.abort()
  return events
}

const http = suite('HTTP API: discovery, errors, watch, writes (raw fetch)')
http.before(async () => {
  h = await startHarness({ bookmarkIntervalMs: 50 })
})
http.after(async () => {
  await h?.close()
})

http('discovery: /version, /api, /apis, resource lists, aggregated discovery, health', async () => {
  const v = await get('/version')
  assert.match(v.body.gitVersion, /^v1\.32\.0-capstan\./)
  assert.is(v.body.major, '1')
  assert.equal((await get('/api')).body.versions, ['v1'])
  const groups = (await get('/apis')).body.groups.map((g: Json) => g.preferredVersion.groupVersion)
  assert.equal(groups, ['apps/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'capstan.dev/v1alpha1'])
  const apps = (await get('/apis/apps/v1')).body
  assert.is(apps.kind, 'APIResourceList')
  const byName = Object.fromEntries(apps.resources.map((r: Json) => [r.name, r]))
  assert.equal(byName.deployments.shortNames, ['deploy'])
  assert.equal(byName.deployments.categories, ['all'])
  assert.ok(byName.deployments.verbs.includes('watch'))
  assert.equal({ group: byName['deployments/scale'].group, version: byName['deployments/scale'].version, kind: byName['deployments/scale'].kind }, { group: 'autoscaling', version: 'v1', kind: 'Scale' })
  assert.equal(byName['deployments/status'].verbs, ['get', 'patch', 'update'])
  const core = (await get('/api/v1')).body.resources.find((r: Json) => r.name === 'namespaces')
  assert.is(core.namespaced, false)
  const agg = await get('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' })
  assert.is(agg.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
  assert.is(agg.body.kind, 'APIGroupDiscoveryList')
  const d = agg.body.items[0].versions[0].resources.find((r: Json) => r.resource === 'deployments')
  assert.is(d.scope, 'Namespaced')
  assert.equal(d.subresources.map((s: Json) => s.subresource), ['scale', 'status'])
  const legacy = await get('/api', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' })
  assert.is(legacy.body.apiVersion, 'apidiscovery.k8s.io/v2beta1')
  assert.is(legacy.body.items[0].metadata.name, '')
  for (const p of ['/livez', '/readyz', '/healthz']) assert.is(await (await fetch(h.url + p)).text(), 'ok')
})

http('OpenAPI v3: index and group version documents with official names and annotations', async () => {
  const index = (await get('/openapi/v3')).body
  assert.ok(index.paths['apis/apps/v1'].serverRelativeURL.startsWith('/openapi/v3/apis/apps/v1?hash='))
  const doc = (await get(index.paths['apis/apps/v1'].serverRelativeURL)).body
  const schemas = doc.components.schemas
  assert.equal(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }])
  assert.is(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys')
  assert.equal(schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }])
  assert.is(schemas['io.k8s.api.core.v1.PodSpec'].properties.containers['x-kubernetes-patch-merge-key'], 'name')
  assert.is(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string')
  assert.ok(schemas['io.k8s.api.apps.v1.DeploymentList'])
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
  assert.equal(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' })
  assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation'))
  assert.is((await get('/openapi/v2')).code, 404)
})

http('errors are Status objects with kube-apiserver codes and reasons', async () => {
  assert.is((await send('POST', CM, cm('dup'))).code, 201)
  const cases: Array<{ name: string; run: () => Promise<{ code: number; body: Json }>; code: number; reason: string }> = [
    { name: 'unknown path', run: () => get('/nope'), code: 404, reason: 'NotFound' },
    { name: 'missing object', run: () => get(`${CM}/missing`), code: 404, reason: 'NotFound' },
    { name: 'already exists', run: () => send('POST', CM, cm('dup')), code: 409, reason: 'AlreadyExists' },
    { name: 'stale resourceVersion', run: () => send('PUT', `${CM}/dup`, { ...cm('dup'), metadata: { name: 'dup', resourceVersion: '1' } }), code: 409, reason: 'Conflict' },
    { name: 'invalid object', run: () => send('POST', CM, cm('Bad_Name')), code: 422, reason: 'Invalid' },
    { name: 'bad patch type', run: () => send('PATCH', `${CM}/dup`, {}, 'text/plain'), code: 415, reason: 'UnsupportedMediaType' },
    { name: 'POST on a named path', run: () => send('POST', `${CM}/dup`, cm('dup')), code: 405, reason: 'MethodNotAllowed' },
    { name: 'POST to a group not served', run: () => send('POST', '/apis/batch/v1/namespaces/default/jobs', {}), code: 404, reason: 'NotFound' },
    { name: 'POST to a discovery document', run: () => send('POST', '/apis/apps/v1', {}), code: 405, reason: 'MethodNotAllowed' },
    { name: 'namespace mismatch', run: () => send('POST', CM, { ...cm('x'), metadata: { name: 'x', namespace: 'other' } }), code: 400, reason: 'BadRequest' },
    { name: 'unknown field, Strict', run: () => send('POST', `${CM}?fieldValidation=Strict`, { ...cm('y'), bogus: 1 }), code: 400, reason: 'BadRequest' },
  ]
  for (const c of cases) {
    const r = await c.run()
    assert.is(r.code, c.code, c.name)
    assert.is(r.body.kind, 'Status', c.name)
    assert.is(r.body.reason, c.reason, c.name)
    assert.is(r.body.code, c.code, c.name)
  }
  const nf = await get(`${CM}/missing`)
  assert.is(nf.body.message, 'configmaps "missing" not found')
  assert.equal(nf.body.details, { name: 'missing', group: '', kind: 'configmaps' })
})

http('watch: framing, resourceVersion, bookmarks, 410, Table events', async () => {
  const list = (await get(CM)).body
  const rv = list.metadata.resourceVersion
  const events = await readEvents(`${CM}?watch=true&resourceVersion=${rv}`, 2, async () => {
    await send('POST', CM, cm('w1'))
    await send('PATCH', `${CM}/w1`, { data: { a: '2' } }, 'application/merge-patch+json')
  })
  assert.equal(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w1'], ['MODIFIED', 'w1']])
  const marks = await readEvents(`${CM}?watch=1&allowWatchBookmarks=true&resourceVersion=${rv}`, 4)
  const bookmarks = marks.filter((e) => e.type === 'BOOKMARK')
  assert.ok(bookmarks.length >= 1)
  assert.equal(Object.keys(bookmarks[0].object.metadata), ['resourceVersion'])
  assert.ok(Number(bookmarks[0].object.metadata.resourceVersion) >= Number(events[1].object.metadata.resourceVersion))
  const old = await readEvents(`${CM}?watch=true&resourceVersion=1`, 1)
  assert.is(old[0].type, 'ERROR')
  assert.is(old[0].object.code, 410)
  assert.is(old[0].object.reason, 'Expired')
  const timed = await readEvents(`/watch/namespaces/default/configmaps?timeoutSeconds=1&resourceVersion=${events[1].object.metadata.resourceVersion}`.replace('/watch/', '/api/v1/watch/'), 99)
  assert.equal(timed, [], 'the stream ends after timeoutSeconds')
  const tableEvents = await readEvents(`${CM}?watch=true&fieldSelector=metadata.name=w1`, 1, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' })
  assert.is(tableEvents[0].type, 'ADDED')
  assert.is(tableEvents[0].object.kind, 'Table')
  assert.equal(tableEvents[0].object.rows[0].cells.slice(0, 2), ['w1', 1])
})

http('Table and PartialObjectMetadata responses', async () => {
  const t = (await get(CM, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' })).body
  assert.is(t.kind, 'Table')
  assert.equal(t.columnDefinitions.map((c: Json) => c.name), ['Name', 'Data', 'Age'])
  assert.is(t.rows[0].object.kind, 'PartialObjectMetadata')
  const none = (await get(`${CM}?includeObject=None`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body
  assert.is(none.rows[0].object, undefined)
  const pom = (await get(CM, { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' })).body
  assert.is(pom.kind, 'PartialObjectMetadataList')
  assert.is(pom.items[0].data, undefined)
})

http('writes: dryRun, strategic merge, server-side apply (YAML), scale, status, delete, warnings', async () => {
  let r = await send('POST', `${CM}?dryRun=All`, cm('dry'))
  assert.is(r.code, 201)
  assert.is((await get(`${CM}/dry`)).code, 404)
  r = await send('POST', `${CM}?fieldValidation=Warn`, { ...cm('warned'), bogus: 1 })
  assert.is(r.code, 201)
  assert.is(r.headers.get('warning'), '299 - "unknown field \\"bogus\\""')
  r = await send('POST', DEPLOY, { ...deployment('old'), apiVersion: 'extensions/v1beta1' })
  assert.is(r.code, 201)
  assert.match(r.headers.get('warning') ?? '', /^299 - ".*apps\/v1.*"$/)
  r = await send('POST', DEPLOY, deployment('web'))
  assert.is(r.code, 201)
  // The URL names the resource: a body of another kind is refused, not stored under its own kind.
  r = await send('POST', CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'smuggled' } })
  assert.is(r.code, 400)
  assert.match(JSON.stringify(r.body), /must be of type ConfigMap/)
  assert.is((await get('/api/v1/namespaces/default/secrets/smuggled')).code, 404)
  r = await send('PATCH', `${DEPLOY}/web`, { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } }, 'application/strategic-merge-patch+json')
  assert.equal(r.body.spec.template.spec.containers.map((c: Json) => c.name), ['side', 'c'])
  r = await send('PATCH', `${DEPLOY}/web?fieldManager=me`, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n', 'application/apply-patch+yaml')
  assert.is(r.code, 409, 'spec.replicas belongs to the creator')
  assert.is(r.body.details.causes[0].reason, 'FieldManagerConflict')
  r = await send('PATCH', `${DEPLOY}/web?fieldManager=me&force=true`, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n', 'application/apply-patch+yaml')
  assert.is(r.code, 200)
  assert.is(r.body.spec.replicas, 3)
  r = await send('PATCH', `${DEPLOY}/web/scale`, { spec: { replicas: 5 } }, 'application/merge-patch+json')
  assert.equal({ kind: r.body.kind, replicas: r.body.spec.replicas, selector: r.body.status.selector }, { kind: 'Scale', replicas: 5, selector: 'app=web' })
  r = await send('PUT', `${DEPLOY}/web/scale`, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 } })
  assert.is(r.body.spec.replicas, 2)
  assert.is((await get(`${DEPLOY}/web/scale`)).body.spec.replicas, 2)
  r = await send('PATCH', `${DEPLOY}/web/status`, { status: { observedGeneration: 9 } }, 'application/merge-patch+json')
  assert.is(r.body.status.observedGeneration, 9)
  r = await send('DELETE', `${DEPLOY}/web?dryRun=All`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' })
  assert.is(r.code, 200)
  assert.is((await get(`${DEPLOY}/web`)).code, 200)
  r = await send('DELETE', `${DEPLOY}/web`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'nope' } })
  assert.is(r.code, 409)
  r = await send('DELETE', `${DEPLOY}/web`, '')
  assert.equal({ kind: r.body.kind, status: r.body.status, name: r.body.details.name }, { kind: 'Status', status: 'Success', name: 'web' })
  assert.is((await get(`${DEPLOY}/web`)).code, 404)
})

http.run()

const auth = suite('HTTP API: bearer tokens')
let secured: Harness
auth.before(async () => {
  secured = await startHarness({ tokens: ['s3cret'] })
})
auth.after(async () => {
  await secured?.close()
})
auth('401 Status without a token or with a wrong one; 200 with it; health stays open', async () => {
  for (const headers of <Array<Record<string, string>>>[{}, { Authorization: 'Bearer wrong' }, { Authorization: 'Basic s3cret' }]) {
    const r = await fetch(`${secured.url}/api/v1/namespaces`, { headers })
    assert.is(r.status, 401)
    assert.equal(await r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 })
  }
  assert.is((await fetch(`${secured.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer s3cret' } })).status, 200)
  assert.is((await fetch(`${secured.url}/healthz`)).status, 200)
})
auth.run()

import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  noResourcesFound, objectNameLine, OutputFormatError, parseOutputFormat, printObjects, tabwrite,
} from '../../../reconciler/cli/print/index.js'
import { NOW } from './fixtures.js'

const parse = suite('output: parsing -o')
const parseCases: Array<{ name: string; value: string | undefined; kind: string }> = [
  { name: 'default is the table', value: undefined, kind: 'table' },
  { name: 'wide', value: 'wide', kind: 'wide' },
  { name: 'yaml', value: 'yaml', kind: 'yaml' },
  { name: 'json', value: 'json', kind: 'json' },
  { name: 'name', value: 'name', kind: 'name' },
  { name: 'jsonpath', value: 'jsonpath={.items[*].metadata.name}', kind: 'jsonpath' },
  { name: 'custom-columns', value: 'custom-columns=NAME:.metadata.name', kind: 'custom-columns' },
]
for (const c of parseCases) parse(c.name, () => assert.is(parseOutputFormat(c.value).kind, c.kind))
const parseErrors: Array<{ name: string; value: string; message: string }> = [
  { name: 'unknown format (kubectl get\'s list)', value: 'x', message: 'unable to match a printer suitable for the output format "x", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml' },
  { name: 'jsonpath parse error', value: 'jsonpath={.metadata.name', message: 'error parsing jsonpath {.metadata.name, unclosed action' },
  { name: 'jsonpath without template', value: 'jsonpath=', message: 'template format specified but no template given' },
  { name: 'custom-columns without colon', value: 'custom-columns=NAME', message: 'unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>' },
]
for (const c of parseErrors) {
  parse(c.name, () => {
    try {
      parseOutputFormat(c.value)
      assert.unreachable('should have thrown')
    } catch (err) {
      assert.instance(err, OutputFormatError)
      assert.is((err as Error).message, c.message)
    }
  })
}
parse.run()

const misc = suite('output: names, empty results, tabwriter')
misc('-o name lines', () => {
  assert.is(objectNameLine({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }), 'deployment.apps/web\n')
  assert.is(objectNameLine({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foo' } }), 'configmap/foo\n')
  assert.is(objectNameLine({ apiVersion: 'capstan.dev/v1', kind: 'NodePool', metadata: { name: 'pool' } }), 'nodepool.capstan.dev/pool\n')
  assert.is(objectNameLine({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, 'created'), 'deployment.apps/web created\n')
})
misc('No resources found messages', () => {
  assert.is(noResourcesFound({ namespace: 'default' }), 'No resources found in default namespace.\n')
  assert.is(noResourcesFound({ namespace: 'default', allNamespaces: true }), 'No resources found\n')
  assert.is(noResourcesFound({ namespaced: false }), 'No resources found\n')
})
misc('an empty table prints nothing; with --no-headers too', () => {
  assert.is(printObjects([], { output: 'table', now: NOW }), '')
  assert.is(printObjects([], { output: 'table', now: NOW, noHeaders: true }), '')
})
misc('tabwriter: minimum width 6, padding 3, last cell unpadded', () => {
  assert.is(tabwrite('A\tBB\tC\nxxxxxxxx\ty\tz\n'), 'A          BB    C\nxxxxxxxx   y     z\n')
})
misc('a single object for yaml is itself; several make a List', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }
  assert.is(printObjects([cm], { output: 'yaml', now: NOW }), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n')
  assert.is(printObjects([cm], { output: 'yaml', now: NOW, singleItem: false }),
    'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\nkind: List\nmetadata:\n  resourceVersion: ""\n')
})
misc.run()

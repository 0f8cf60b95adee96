/**
 * Cases compared with the real kubectl 1.32: `args` is the kubectl command run against the
 * fake API server of kubectl-golden.ts (which serves the fixtures), `print` is what capstan
 * prints for the same objects. make-golden.ts records kubectl's output in golden.json.
 */
import { buildTable, formatTable, printObjects, type KubeObject } from '../../../reconciler/cli/print/index.js'
import { NOW, deployments, numericPod, pods, services, trickyConfigMap } from './fixtures.js'

/** One golden case. */
export type GoldenCase = { name: string; args: string[]; print: () => string }

const allPods = [...pods, numericPod]
const inNs = (l: KubeObject[], ns = 'default'): KubeObject[] => l.filter((o) => o.metadata?.namespace === ns)
const tryPrint = (f: () => string): string => { try { return f() } catch (e) { return `error: ${(e as Error).message}\n` } }

const outputs = [
  'yaml', 'json', 'name', 'jsonpath={.items[*].metadata.name}',
  'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}',
  'custom-columns=NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,X:.nope,LABELS:.metadata.labels',
]

const jp = 'jsonpath={.status.x} {.status.ratio} {.status.big} {.status.frac} {.spec.hostNetwork} {..key} {.spec.containers[0].args[1:]}'
const cc = 'custom-columns=X:.status.x,R:.status.ratio,B:.status.big,F:.status.frac,A:.spec.affinity.nodeAffinity'

/** All golden cases. */
export const goldenCases: GoldenCase[] = [
  ...outputs.flatMap((o): GoldenCase[] => [
    { name: `list -A -o ${o}`, args: ['get', 'deployments', '-A', '-o', o], print: () => printObjects(deployments, { output: o, now: NOW, singleItem: false }) },
    { name: `single -o ${o}`, args: ['get', 'deployments', 'web', '-o', o], print: () => printObjects(inNs(deployments), { output: o, now: NOW, singleItem: true }) },
  ]),
  { name: 'pods -o yaml', args: ['get', 'pods', '-o', 'yaml'], print: () => printObjects(inNs(allPods), { output: 'yaml', now: NOW, singleItem: false }) },
  { name: 'pods -o json', args: ['get', 'pods', '-o', 'json'], print: () => printObjects(inNs(allPods), { output: 'json', now: NOW, singleItem: false }) },
  { name: 'jsonpath map result', args: ['get', 'pods', '-o', 'jsonpath={.items[0].status}'], print: () => printObjects(inNs(allPods), { output: 'jsonpath={.items[0].status}', now: NOW, singleItem: false }) },
  { name: 'services -o yaml', args: ['get', 'svc', '-o', 'yaml'], print: () => printObjects(inNs(services), { output: 'yaml', now: NOW, singleItem: false }) },
  { name: 'empty list -o json', args: ['get', 'secrets', '-o', 'json'], print: () => printObjects([], { output: 'json', now: NOW, singleItem: false }) },
  { name: 'empty list -o yaml', args: ['get', 'secrets', '-o', 'yaml'], print: () => printObjects([], { output: 'yaml', now: NOW, singleItem: false }) },
  { name: 'empty list custom-columns prints headers', args: ['get', 'secrets', '-o', 'custom-columns=N:.metadata.name'], print: () => printObjects([], { output: 'custom-columns=N:.metadata.name', now: NOW, singleItem: false }) },
  { name: 'unknown -o format', args: ['get', 'pods', '-o', 'foo'], print: () => tryPrint(() => printObjects([], { output: 'foo', now: NOW })) },
  { name: 'several kinds: one table each, kind-prefixed names', args: ['get', 'deploy,svc,po'], print: () => printObjects([...inNs(deployments), ...inNs(services), ...inNs(allPods)], { output: 'table', now: NOW }) },
  { name: 'wide with labels and -L', args: ['get', 'pods', '-o', 'wide', '--show-labels', '-L', 'app'], print: () => formatTable(buildTable(inNs(allPods), { now: NOW }), { wide: true, showLabels: true, columnLabels: ['app'] }) },
  { name: '-A --no-headers', args: ['get', 'svc', '-A', '--no-headers'], print: () => formatTable(buildTable(services, { now: NOW }), { withNamespace: true, noHeaders: true }) },
  { name: 'deployments -A -o wide', args: ['get', 'deployments', '-A', '-o', 'wide'], print: () => formatTable(buildTable(deployments, { now: NOW, wide: true }), { withNamespace: true, wide: true }) },
  { name: 'services -o wide', args: ['get', 'svc', '-o', 'wide'], print: () => printObjects(inNs(services), { output: 'wide', now: NOW, singleItem: false }) },
  { name: 'yaml quoting, folding, literal blocks, key order', args: ['get', 'cm', 'tricky', '-o', 'yaml'], print: () => printObjects([trickyConfigMap], { output: 'yaml', now: NOW }) },
  { name: 'json escaping and key order', args: ['get', 'cm', 'tricky', '-o', 'json'], print: () => printObjects([trickyConfigMap], { output: 'json', now: NOW }) },
  { name: 'yaml numbers, bools, nulls, nested lists', args: ['get', 'po', 'numeric', '-o', 'yaml'], print: () => printObjects([numericPod], { output: 'yaml', now: NOW }) },
  { name: 'json numbers', args: ['get', 'po', 'numeric', '-o', 'json'], print: () => printObjects([numericPod], { output: 'json', now: NOW }) },
  { name: 'jsonpath lists, floats, recursive descent, slices', args: ['get', 'po', 'numeric', '-o', jp], print: () => printObjects([numericPod], { output: jp, now: NOW }) },
  { name: 'custom-columns of lists, maps and floats', args: ['get', 'po', 'numeric', '-o', cc], print: () => printObjects([numericPod], { output: cc, now: NOW }) },
]

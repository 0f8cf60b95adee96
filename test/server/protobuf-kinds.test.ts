/**
 * Kubernetes protobuf request bodies for the kinds kubectl 1.32 sends as protobuf beyond ConfigMap
 * and Secret (Deployment, Service, Ingress, HorizontalPodAutoscaler): bodies captured from the real
 * kubectl decode to the JSON kubectl would send, hand-built bodies (written as Go writes them) decode
 * as Kubernetes would, and a field capstan does not know is refused (415) rather than dropped.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiError } from '../../reconciler/api/errors.js'
import { decodeKubernetesProtobuf } from '../../reconciler/server/protobuf/decode.js'
import { HAVE_KUBECTL, startHarness, type Harness } from './harness.js'
import { entry, envelope, int, intOrString, msg, objectMeta, packed, quantityEntry, str, zeroTime } from './protobuf-encode.js'

/** What kubectl 1.32 sent (base64), and what `--dry-run=client -o json` prints (less nulls and status). */
const CAPTURED: Array<{ command: string; body: string; json: unknown }> = [
  {
    command: 'create deployment web --image=nginx:1.27 --replicas=2 --port=80',
    body:
      'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEosBCAISDAoKCgNhcHASA3dlYhpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElESMwoFbmdpbngSCm5naW54OjEuMjcqADIKCgAQABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAoADgAGgAiAA==',
    json: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
    },
  },
  {
    command: 'create service clusterip web --tcp=80:8080',
    body: 'azhzAAoNCgJ2MRIHU2VydmljZRJpCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEkIKGwoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAoABIKCgNhcHASA3dlYhoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==',
    json: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' },
    },
  },
  {
    command: 'create ingress web --rule=foo.com/=web:80',
    body: 'azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJFChMKA3dlYhIAGgAiACoAMgA4AEIAEioaKAoHZm9vLmNvbRIdChsKGQoBLxINIgsKA3dlYhIECgAQUBoFRXhhY3QaAgoAGgAiAA==',
    json: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { rules: [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    },
  },
]

/** A container as Go writes it: every non-pointer field, zero or not. */
const CONTAINER = msg(
  2,
  str(1, 'app'),
  str(2, 'registry.local/app:2'),
  str(3, '/bin/app'),
  str(4, '--port=8080'),
  str(4, '--verbose'),
  str(5, '/srv'),
  msg(6, str(1, 'http'), int(2, 0), int(3, 8080), str(4, 'TCP'), str(5, '')),
  msg(7, str(1, 'MODE'), str(2, 'fast')),
  msg(7, str(1, 'LEVEL'), str(2, ''), msg(3, msg(3, msg(1, str(1, 'settings')), str(2, 'level'), int(3, false)))),
  msg(7, str(1, 'TOKEN'), str(2, ''), msg(3, msg(4, msg(1, str(1, 'creds')), str(2, 'token')))),
  msg(7, str(1, 'POD'), str(2, ''), msg(3, msg(1, str(1, 'v1'), str(2, 'metadata.name')))),
  msg(7, str(1, 'MEM'), str(2, ''), msg(3, msg(2, str(1, ''), str(2, 'limits.memory'), msg(3, str(1, '1Mi'))))),
  msg(8, quantityEntry(1, 'cpu', '500m'), quantityEntry(1, 'memory', '256Mi'), quantityEntry(2, 'cpu', '100m')),
  msg(9, str(1, 'config'), int(2, true), str(3, '/etc/app'), str(4, ''), str(6, '')),
  msg(10, msg(1, msg(2, str(1, '/healthz'), intOrString(2, 'http'), str(3, ''), str(4, 'HTTP'))), int(2, 5), int(3, 1), int(4, 10), int(5, 1), int(6, 3)),
  msg(11, msg(1, msg(3, intOrString(1, 8080), str(2, ''))), int(2, 0), int(3, 0), int(4, 0), int(5, 0), int(6, 0)),
  str(13, '/dev/termination-log'),
  str(14, 'IfNotPresent'),
  msg(15, msg(1, str(2, 'ALL')), int(4, 1000), int(5, true)),
  int(16, false),
  int(17, false),
  int(18, false),
  msg(19, str(1, 'CFG_'), msg(2, msg(1, str(1, 'settings')))),
  str(20, 'File'),
  msg(22, msg(1, msg(1, str(1, 'cat'), str(1, '/tmp/ready'))), int(2, 0), int(3, 0), int(4, 0), int(5, 0), int(6, 0)),
)

const POD_SPEC = [
  msg(1, str(1, 'config'), msg(2, msg(19, msg(1, str(1, 'settings')), msg(2, str(1, 'app.yaml'), str(2, 'app.yaml')), int(3, 420)))),
  msg(1, str(1, 'creds'), msg(2, msg(6, str(1, 'creds'), int(4, true)))),
  msg(1, str(1, 'scratch'), msg(2, msg(2, str(1, 'Memory'), msg(2, str(1, '64Mi'))))),
  msg(1, str(1, 'cache'), msg(2, msg(2, str(1, '')))),
  CONTAINER,
  str(3, 'Always'),
  int(4, 30),
  str(6, 'ClusterFirst'),
  entry(7, 'disk', 'ssd'),
  str(8, 'app'),
  str(9, ''),
  str(10, ''),
  int(11, false),
  int(12, false),
  int(13, false),
  msg(14, int(2, 1000), packed(4, [2000, 3000]), int(4, 4000), int(5, 2000)),
  str(16, ''),
  str(17, ''),
  msg(18, msg(1, msg(1, msg(1, msg(1, str(1, 'zone'), str(2, 'In'), str(3, 'a'), str(3, 'b')))))),
  str(19, 'default-scheduler'),
  msg(22, str(1, 'dedicated'), str(2, 'Equal'), str(3, 'app'), str(4, 'NoSchedule')),
  str(24, ''),
]

const deployment = (...podSpec: Uint8Array[]): Buffer =>
  envelope(
    'apps/v1',
    'Deployment',
    objectMeta(1, 'web', { app: 'web' }),
    msg(
      2,
      int(1, 0),
      msg(2, entry(1, 'app', 'web')),
      msg(3, objectMeta(1, '', { app: 'web' }), msg(2, ...podSpec)),
      msg(4, str(1, 'RollingUpdate'), msg(2, intOrString(1, 0), intOrString(2, '25%'))),
      int(5, 0),
      int(6, 10),
      int(7, false),
      int(9, 600),
    ),
    msg(3, int(1, 5), int(2, 3), msg(6, str(1, 'Available'))),
  )

const refused = (body: Buffer, code: number, message: string): void => {
  try {
    decodeKubernetesProtobuf(body)
  } catch (err) {
    assert.instance(err, ApiError)
    assert.is((err as ApiError).code, code)
    assert.match((err as ApiError).message, message)
    return
  }
  assert.unreachable(`decoded; expected ${code}: ${message}`)
}

const unit = suite('protobuf bodies: Deployment, Service, Ingress, HorizontalPodAutoscaler')

unit('bodies captured from kubectl 1.32 decode to the JSON kubectl would send', () => {
  for (const c of CAPTURED) assert.equal(decodeKubernetesProtobuf(Buffer.from(c.body, 'base64')), c.json, c.command)
})

unit('a Deployment as Go writes it: pointers kept at zero, omitempty zeros left out, inline structs merged, status dropped', () => {
  const d = decodeKubernetesProtobuf(deployment(...POD_SPEC))
  assert.equal(d.metadata, { name: 'web', labels: { app: 'web' } })
  const spec = d.spec as Record<string, unknown>
  assert.equal({ ...spec, template: undefined }, {
    replicas: 0,
    selector: { matchLabels: { app: 'web' } },
    template: undefined,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  })
  assert.is(d.status, undefined)
  const template = spec.template as { metadata: unknown; spec: Record<string, unknown> }
  assert.equal(template.metadata, { labels: { app: 'web' } })
  assert.equal({ ...template.spec, containers: undefined }, {
    volumes: [
      { name: 'config', configMap: { name: 'settings', items: [{ key: 'app.yaml', path: 'app.yaml' }], defaultMode: 420 } },
      { name: 'creds', secret: { secretName: 'creds', optional: true } },
      { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'cache', emptyDir: {} },
    ],
    containers: undefined,
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: { disk: 'ssd' },
    serviceAccountName: 'app',
    securityContext: { runAsUser: 1000, supplementalGroups: [2000, 3000, 4000], fsGroup: 2000 },
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
    schedulerName: 'default-scheduler',
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'app', effect: 'NoSchedule' }],
  })
  assert.equal(template.spec.containers, [
    {
      name: 'app',
      image: 'registry.local/app:2',
      command: ['/bin/app'],
      args: ['--port=8080', '--verbose'],
      workingDir: '/srv',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'MODE', value: 'fast' },
        { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level', optional: false } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
        { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m' } },
      volumeMounts: [{ name: 'config', readOnly: true, mountPath: '/etc/app' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 8080 } },
      terminationMessagePath: '/dev/termination-log',
      imagePullPolicy: 'IfNotPresent',
      securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 1000, runAsNonRoot: true },
      envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
      terminationMessagePolicy: 'File',
      startupProbe: { exec: { command: ['cat', '/tmp/ready'] } },
    },
  ])
})

unit('negative int32 and int64 values (sign-extended to ten bytes) decode as negatives', () => {
  const d = decodeKubernetesProtobuf(
    envelope('v1', 'Pod', msg(1, str(1, 'p'), int(10, -1n)), msg(2, msg(2, str(1, 'c'), str(2, 'busybox')), int(5, -30), int(25, -5))),
  )
  assert.equal(d.metadata, { name: 'p', deletionGracePeriodSeconds: -1 })
  assert.equal(d.spec, { containers: [{ name: 'c', image: 'busybox' }], activeDeadlineSeconds: -30, priority: -5 })
})

unit('a Service: named targetPort, session affinity, IP families, pointer strings, status dropped', () => {
  const s = decodeKubernetesProtobuf(
    envelope(
      'v1',
      'Service',
      objectMeta(1, 'db'),
      msg(
        2,
        msg(1, str(1, 'pg'), str(2, 'TCP'), int(3, 5432), intOrString(4, 'postgres'), int(5, 0), str(6, 'postgresql')),
        entry(2, 'app', 'db'),
        str(3, 'None'),
        str(4, 'ClusterIP'),
        str(7, 'ClientIP'),
        str(8, ''),
        str(10, ''),
        str(11, ''),
        int(12, 0),
        int(13, true),
        msg(14, msg(1, int(1, 10800))),
        str(17, 'SingleStack'),
        str(18, 'None'),
        str(19, 'IPv4'),
        str(22, 'Cluster'),
      ),
      msg(3, msg(1)),
    ),
  )
  assert.equal(s, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db' },
    spec: {
      ports: [{ name: 'pg', protocol: 'TCP', port: 5432, targetPort: 'postgres', appProtocol: 'postgresql' }],
      selector: { app: 'db' },
      clusterIP: 'None',
      clusterIPs: ['None'],
      type: 'ClusterIP',
      sessionAffinity: 'ClientIP',
      publishNotReadyAddresses: true,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      internalTrafficPolicy: 'Cluster',
    },
  })
})

unit('an Ingress: class, default backend, TLS, a named service port, a resource backend', () => {
  const i = decodeKubernetesProtobuf(
    envelope(
      'networking.k8s.io/v1',
      'Ingress',
      objectMeta(1, 'tls'),
      msg(
        2,
        msg(1, msg(4, str(1, 'defsvc'), msg(2, str(1, ''), int(2, 8080)))),
        msg(2, str(1, 'foo.com'), str(2, 'my-cert')),
        msg(3, str(1, 'foo.com'), msg(2, msg(1, msg(1, str(1, '/path'), msg(2, msg(4, str(1, 'svc'), msg(2, str(1, 'http'), int(2, 0)))), str(3, 'Prefix'))))),
        msg(3, str(1, ''), msg(2, msg(1, msg(1, str(1, '/static'), msg(2, msg(3, str(1, 'k8s.example.com'), str(2, 'StorageBucket'), str(3, 'assets'))), str(3, 'ImplementationSpecific'))))),
        str(4, 'nginx'),
      ),
      msg(3, msg(1)),
    ),
  )
  assert.equal(i.spec, {
    defaultBackend: { service: { name: 'defsvc', port: { number: 8080 } } },
    tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
    rules: [
      { host: 'foo.com', http: { paths: [{ path: '/path', backend: { service: { name: 'svc', port: { name: 'http' } } }, pathType: 'Prefix' }] } },
      { http: { paths: [{ path: '/static', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } }, pathType: 'ImplementationSpecific' }] } },
    ],
    ingressClassName: 'nginx',
  })
})

unit('HorizontalPodAutoscaler: autoscaling/v2 metrics and behavior, autoscaling/v1 CPU target', () => {
  const v2 = decodeKubernetesProtobuf(
    envelope(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      objectMeta(1, 'web'),
      msg(
        2,
        msg(1, str(1, 'Deployment'), str(2, 'web'), str(3, 'apps/v1')),
        int(2, 2),
        int(3, 10),
        msg(4, str(1, 'Resource'), msg(4, str(1, 'cpu'), msg(2, str(1, 'Utilization'), int(4, 70)))),
        msg(4, str(1, 'Pods'), msg(3, msg(1, str(1, 'qps')), msg(2, str(1, 'AverageValue'), msg(3, str(1, '1k'))))),
        msg(5, msg(2, str(1, 'Max'), msg(2, str(1, 'Pods'), int(2, 1), int(3, 60)), int(3, 300))),
      ),
      msg(3, int(3, 2)),
    ),
  )
  assert.equal(v2.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
    ],
    behavior: { scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }], stabilizationWindowSeconds: 300 } },
  })
  const v1 = decodeKubernetesProtobuf(
    envelope('autoscaling/v1', 'HorizontalPodAutoscaler', objectMeta(1, 'web'), msg(2, msg(1, str(1, 'Deployment'), str(2, 'web'), str(3, 'apps/v1')), int(2, 2), int(3, 5), int(4, 80))),
  )
  assert.equal(v1.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 })
})

unit('a field capstan does not know is refused with 415, naming the message, the field and where it is', () => {
  refused(deployment(...POD_SPEC, msg(34, msg(1, str(1, 'debug')))), 415, 'protobuf field 34 of PodSpec (in spec.template.spec) is not supported; send application/json')
  refused(deployment(msg(1, str(1, 'repo'), msg(2, msg(5, str(1, 'https://example.com/repo.git'))))), 415, 'protobuf field 5 of VolumeSource (in spec.template.spec.volumes[0]) is not supported')
  refused(envelope('v1', 'ConfigMap', objectMeta(1, 'c'), str(9, 'x')), 415, 'protobuf field 9 of ConfigMap is not supported')
  refused(envelope('v1', 'Service', msg(1, str(1, 's'), str(16, 'x'))), 415, 'protobuf field 16 of ObjectMeta (in metadata) is not supported')
  refused(envelope('v1', 'Service', msg(2, msg(1, int(3, 80), msg(4, int(1, 0), int(9, 1))))), 415, 'protobuf field 9 of IntOrString (in spec.ports[0].targetPort) is not supported')
})

unit('kinds and versions capstan does not decode are refused (415); a malformed field is a 400', () => {
  refused(envelope('batch/v1', 'Job', objectMeta(1, 'j')), 415, 'protobuf decoding of kind "Job" (batch/v1) is not supported')
  refused(envelope('apps/v1beta2', 'Deployment', objectMeta(1, 'd')), 415, 'protobuf decoding of kind "Deployment" (apps/v1beta2) is not supported')
  refused(envelope('apps/v1', 'Deployment', msg(2, str(1, 'two'))), 400, 'unable to decode protobuf body: field 1 of DeploymentSpec has wire type 2, expected 0')
  refused(envelope('apps/v1', 'Deployment', msg(2, msg(3, msg(2, msg(2, str(1, 'c'), msg(8, quantityEntry(1, 'cpu', ''))))))), 400, 'quantity at spec.template.spec.containers[0].resources.limits.cpu is empty')
})

unit('ConfigMap, Secret and Namespace decode as before; zero times are left out', () => {
  const cm = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', objectMeta(1, 'c', { a: 'b' }), entry(2, 'k', 'v'), int(4, false)))
  assert.equal(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' }, immutable: false })
  const ns = decodeKubernetesProtobuf(envelope('v1', 'Namespace', objectMeta(1, 'n'), msg(2), msg(3, str(1, 'Active'))))
  assert.equal(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, spec: {} })
  const meta = decodeKubernetesProtobuf(envelope('v1', 'Secret', msg(1, str(1, 's'), zeroTime(9), msg(8, int(1, 1714564800)))))
  assert.equal(meta.metadata, { name: 's', creationTimestamp: '2024-05-01T12:00:00Z' })
})

unit.run()

const e2e = suite('kubectl 1.32 create deployment / service / ingress (protobuf bodies) against capstan')
let h: Harness
e2e.before(async () => {
  h = await startHarness()
})
e2e.after(async () => {
  await h?.close()
})

if (!HAVE_KUBECTL) {
  e2e('kubectl is not installed: skipped', () => console.log('  (kubectl not found on PATH; the kubectl protobuf suite is skipped)'))
} else {
  const getJson = async (what: string): Promise<Record<string, any>> => {
    const r = await h.kubectl(['get', what, '-o', 'json'])
    assert.is(r.code, 0, r.stderr)
    return JSON.parse(r.stdout)
  }

  e2e('create deployment, service clusterip and ingress succeed and read back', async () => {
    let r = await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80'])
    assert.is(r.stdout, 'deployment.apps/web created\n', r.stderr)
    r = await h.kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80:8080'])
    assert.is(r.stdout, 'service/web created\n', r.stderr)
    r = await h.kubectl(['create', 'ingress', 'web', '--rule=foo.com/=web:80'])
    assert.is(r.stdout, 'ingress.networking.k8s.io/web created\n', r.stderr)

    const d = await getJson('deployment/web')
    assert.is(d.spec.replicas, 2)
    assert.equal(d.spec.selector, { matchLabels: { app: 'web' } })
    assert.equal(d.spec.template.metadata.labels, { app: 'web' })
    const c = d.spec.template.spec.containers[0]
    assert.is(c.name, 'nginx')
    assert.is(c.image, 'nginx:1.27')
    assert.is(c.ports[0].containerPort, 80)
    assert.is(c.ports[0].hostPort, undefined)

    const s = await getJson('service/web')
    assert.is(s.spec.type, 'ClusterIP')
    assert.equal(s.spec.selector, { app: 'web' })
    assert.equal(
      s.spec.ports.map((p: Record<string, unknown>) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
    )

    const i = await getJson('ingress/web')
    assert.equal(i.spec.rules, [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } }] } }])
  })

  e2e('a protobuf body with an unknown field is refused over HTTP with 415, the field named', async () => {
    const res = await fetch(`${h.url}/apis/apps/v1/namespaces/default/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/json' },
      body: new Uint8Array(deployment(...POD_SPEC, msg(34, msg(1, str(1, 'debug'))))),
    })
    assert.is(res.status, 415)
    const status = (await res.json()) as { reason: string; message: string }
    assert.is(status.reason, 'UnsupportedMediaType')
    assert.match(status.message, 'protobuf field 34 of PodSpec (in spec.template.spec) is not supported; send application/json')
    assert.is((await h.kubectl(['get', 'deployments', '-o', 'name'])).stdout.includes('deployment.apps/web\n'), true)
  })
}

e2e.run()

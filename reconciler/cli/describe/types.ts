/** Shared types of the describers: the input objects, the related-object lookup and the options. */

/** Any Kubernetes object as plain JSON. */
export type KubeObject = {
  apiVersion?: string
  kind?: string
  metadata?: Meta
  [key: string]: unknown
}

/** The part of metadata describers read. */
export type Meta = {
  name?: string
  namespace?: string
  uid?: string
  creationTimestamp?: string | null
  deletionTimestamp?: string | null
  deletionGracePeriodSeconds?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: Array<{ apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }>
  [key: string]: unknown
}

/** A core/v1 Event, the fields `kubectl describe` reads. */
export type EventObject = KubeObject & {
  involvedObject?: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string }
  reason?: string
  message?: string
  type?: string
  count?: number
  firstTimestamp?: string | null
  lastTimestamp?: string | null
  eventTime?: string | null
  series?: { count?: number; lastObservedTime?: string | null } | null
  source?: { component?: string; host?: string }
  reportingComponent?: string
  reportingController?: string
}

/** A coordination.k8s.io Lease spec, as the Node describer prints it. */
export type LeaseSpec = { holderIdentity?: string; acquireTime?: string; renewTime?: string }

/**
 * What kubectl fetches from the server besides the object itself. Every function is optional and
 * synchronous over data the caller already holds; a missing function means "the server has none"
 * (no list, object not found), except where a describer says otherwise. The describers filter the
 * returned candidates themselves (selector, controller reference, node name), as kubectl does.
 */
export interface RelatedLookup {
  /** ReplicaSets in the Deployment's namespace (candidates; filtered by selector and controller). */
  replicaSetsOf?(deployment: KubeObject): KubeObject[]
  /** Pods in the owner's namespace (candidates; filtered by selector and controller) for "Pods Status". */
  podsOf?(owner: KubeObject): KubeObject[]
  /** The Endpoints object named after a Service, if it exists. */
  endpointsFor?(namespace: string, serviceName: string): KubeObject | undefined
  /** A Service by name (Ingress backends look up the port name). */
  serviceByName?(namespace: string, name: string): KubeObject | undefined
  /**
   * Pods bound to a node (candidates; Succeeded and Failed pods are dropped). When absent, the Node
   * description has no "Non-terminated Pods" and "Allocated resources" sections.
   */
  podsOnNode?(nodeName: string): KubeObject[]
  /** Nodes that belong to a NodePool. */
  nodesOfPool?(pool: KubeObject): KubeObject[]
  /**
   * The node's Lease in kube-node-lease. When the function is absent the Lease section is left out;
   * when it returns undefined kubectl's "Failed to get lease: … not found" line is printed.
   */
  leaseFor?(nodeName: string): LeaseSpec | undefined
}

/** Options of `describeObject`. */
export type DescribeOptions = {
  /**
   * Events to search for ones about the object (kubectl's field selector on involvedObject).
   * Undefined leaves the Events section out, as `--show-events=false` does.
   */
  events?: EventObject[]
  /** The clock for ages ("5m", "(x3 over 10m)"). */
  now: Date
  /** Related objects kubectl would fetch. */
  related?: RelatedLookup
  /**
   * Zone for absolute times (RFC 1123 with numeric zone). kubectl prints the machine's local zone;
   * the default here is UTC so output does not depend on where it runs.
   */
  timeZone?: 'UTC' | 'local'
}

/** What each describer receives. */
export type DescribeContext = {
  now: Date
  events?: EventObject[]
  related: RelatedLookup
  timeZone: 'UTC' | 'local'
}

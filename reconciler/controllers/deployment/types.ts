/** The object shapes and the well-known names the Deployment controller reads and writes. */
import type { KObject } from '../../api/object.js'
import type {
  DeploymentCondition,
  DeploymentSpec,
  DeploymentStatus,
  PodTemplateSpec,
  ReplicaSetSpec,
  ReplicaSetStatus,
} from '../../api/generated/types.js'

export type { DeploymentCondition, DeploymentSpec, DeploymentStatus, PodTemplateSpec, ReplicaSetSpec, ReplicaSetStatus }

/** An apps/v1 Deployment as stored (defaults applied). */
export type DeploymentObject = KObject & { spec: DeploymentSpec; status?: DeploymentStatus }

/** An apps/v1 ReplicaSet as stored. */
export type ReplicaSetObject = KObject & { spec: ReplicaSetSpec; status?: ReplicaSetStatus }

/** The label that makes each ReplicaSet of a Deployment select only its own pods. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash'
/** The revision of a ReplicaSet (and, copied, of its Deployment): its place in the rollout sequence. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
/** The earlier revisions a ReplicaSet served before a rollback made it new again (comma-separated). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history'
/** The Deployment's spec.replicas when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas'
/** spec.replicas + maxSurge when the ReplicaSet was last scaled (the base of proportional scaling). */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas'
/** Why a revision was made; copied from the Deployment to its new ReplicaSet. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause'
/** kubectl's client-side apply record: never copied between a Deployment and its ReplicaSets. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration'
/** extensions/v1beta1 rollbackTo, kept as an annotation by apps/v1: never copied. */
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to'
/** The pod template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt'

/** The condition reasons the controller writes (pkg/controller/deployment/util). */
export const Reasons = {
  /** Progressing: a ReplicaSet was scaled as part of the rollout. */
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  /** Progressing=False: the new ReplicaSet could not be created. */
  FailedRSCreate: 'ReplicaSetCreateError',
  /** Progressing: the new ReplicaSet was created. */
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  /** Progressing: an existing ReplicaSet matches the template (first progress estimate). */
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  /** Progressing: the rollout is complete. */
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  /** Progressing=False: no progress within progressDeadlineSeconds. */
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** Progressing=Unknown: paused; no deadline is counted. */
  DeploymentPaused: 'DeploymentPaused',
  /** Progressing=Unknown: resumed; the deadline counts from here. */
  DeploymentResumed: 'DeploymentResumed',
  /** Available=True: at least replicas - maxUnavailable pods are available. */
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  /** Available=False. */
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const

/** The field manager of every controller write (as kube-controller-manager records it). */
export const FIELD_MANAGER = 'kube-controller-manager'

/** progressDeadlineSeconds and revisionHistoryLimit use MaxInt32 to mean "none". */
export const MAX_INT32 = 2147483647

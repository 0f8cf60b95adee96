/** Every controller capstan runs, in the order a manager adds them, with the component each reports as. */
import { createDeploymentController } from './deployment/controller.js'
import { createEndpointsController } from './endpoints/controller.js'
import { createHpaController } from './hpa/controller.js'
import { createIngressController } from './ingress/controller.js'
import { createServiceController } from './service/controller.js'
import { createGarbageCollector } from './gc/controller.js'
import { createKubeletController } from './kubelet/controller.js'
import { createNodeLifecycleController, createTaintEvictionController } from './nodelifecycle/index.js'
import { createNodePoolController } from './nodepool/controller.js'
import { createPodGcController } from './podgc/controller.js'
import { createSchedulerController } from './scheduler/controller.js'
import { createReplicaSetController } from './replicaset/controller.js'
import type { ControllerManager } from './runtime/manager.js'
import type { Controller, ControllerContext } from './runtime/types.js'

interface ControllerSpec {
  /** The component its events and logs name (kube-controller-manager's controller names, the scheduler, the kubelet). */
  component: string
  make(ctx: ControllerContext): Controller
}

/** The controllers, upstream of the objects they make first: deployments make replicasets make pods. */
export const CONTROLLERS: readonly ControllerSpec[] = [
  { component: 'horizontal-pod-autoscaler', make: createHpaController },
  { component: 'deployment-controller', make: createDeploymentController },
  { component: 'replicaset-controller', make: createReplicaSetController },
  { component: 'nodepool-controller', make: createNodePoolController },
  { component: 'node-controller', make: createNodeLifecycleController },
  { component: 'taint-eviction-controller', make: createTaintEvictionController },
  { component: 'pod-garbage-collector', make: createPodGcController },
  { component: 'default-scheduler', make: createSchedulerController },
  { component: 'kubelet', make: createKubeletController },
  { component: 'service-controller', make: createServiceController },
  { component: 'endpoint-controller', make: createEndpointsController },
  { component: 'capstan-ingress-controller', make: createIngressController },
  { component: 'garbage-collector-controller', make: createGarbageCollector },
]

/** Adds every controller to `manager`. */
export function addControllers(manager: ControllerManager): void {
  for (const spec of CONTROLLERS) manager.add(spec.make(manager.contextFor(spec.component)))
}

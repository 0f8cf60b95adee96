/** Services: address allocation (cluster IP, node ports), load-balancer status, the `kubernetes` Service. */
export { createServiceController, ALLOCATOR_FIELD_MANAGER, SERVICE_CONTROLLER_FIELD_MANAGER } from './controller.js'
export { allocateService, collectAllocations, nextClusterIP, nextNodePort, ownerKey, type AllocationResult, type ServiceAllocations } from './allocate.js'
export { allocateOnWrite } from './admit.js'
export { loadBalancerAddress, type LoadBalancerIngress } from './load-balancer.js'
export { kubernetesService } from './kubernetes-service.js'
export * from './ip-range.js'

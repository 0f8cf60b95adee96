/** Services: load-balancer status, the `kubernetes` Service, and the allocation repair report (allocation itself is the API's). */
export { createServiceController, ALLOCATOR_FIELD_MANAGER, SERVICE_CONTROLLER_FIELD_MANAGER } from './controller.js'
export { allocateService, collectAllocations, nextClusterIP, nextNodePort, ownerKey, type AllocationResult, type ServiceAllocations } from '../../api/service-allocate.js'
export { allocateOnWrite } from '../../api/service-admit.js'
export { loadBalancerAddress, type LoadBalancerIngress } from './load-balancer.js'
export { kubernetesService } from './kubernetes-service.js'
export * from '../../api/service-ip-range.js'

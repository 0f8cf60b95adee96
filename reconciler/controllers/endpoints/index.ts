/** The endpoints controller and the pure computation of a Service's Endpoints. */
export { createEndpointsController, ENDPOINTS_FIELD_MANAGER, HEADLESS_LABEL } from './controller.js'
export { endpointSubsets, findPort, isPodReady, selectorMatches, shouldBeInEndpoints, type EndpointAddress, type EndpointPort, type EndpointSubset } from './subsets.js'

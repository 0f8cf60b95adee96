/** Request routing through Ingresses, pure: host and path matching, rule selection, backends, TLS. */
export { matchHost, matchPath, pathElements, pathPrecedence, HOST_RANK, type HostMatch } from './match.js'
export { parseRequestUrl, type RouteRequest } from './request-url.js'
export { INGRESS_CLASS, LEGACY_CLASS_ANNOTATION, ingressClassOf, isServedByCapstan } from './ingress-class.js'
export { selectRule, compareIngressAge, type IngressBackend, type SelectedRule } from './select-rule.js'
export { resolveServiceBackend, type BackendPod, type ResolvedService } from './resolve-backend.js'
export { checkTlsSecret, certificateCovers, type TlsCheck, type TlsProblem, type TlsProblemCode, type CertificateSummary } from './certificate.js'
export { routeRequest, type Route, type RouteInput, type RouteOutcome, type TlsOutcome } from './route.js'

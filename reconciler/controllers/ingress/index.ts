/** capstan's ingress controller: address in status, TLS Secret checks as events and an annotation. */
export { createIngressController, INGRESS_CONTROLLER_ADDRESS, INGRESS_FIELD_MANAGER } from './controller.js'
export { checkIngressTls, formatTlsProblems, hostsToCover, tlsProblemsFor, TLS_PROBLEMS_ANNOTATION } from './tls-status.js'

/** capstan's HTTP API: the Kubernetes REST API for kubectl and client libraries. */
export { createApiHttpServer, type ApiHttpServerOptions } from './http-server.js'
export { bearerAuth } from './auth.js'

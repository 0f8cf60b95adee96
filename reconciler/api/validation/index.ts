/** Name, metadata, ConfigMap and Secret validation, worded as Kubernetes words it. */
export * from './names.js'
export * from './field-error.js'
export * from './object-meta.js'
export * from './config-data.js'

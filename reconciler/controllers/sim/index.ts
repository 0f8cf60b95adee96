/** The simulation settings: image references, the simulated registry, and their storage in the API. */
export * from './image-ref.js'
export * from './sim-config.js'
export * from './registry.js'
export * from './sim-store.js'

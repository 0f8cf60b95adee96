/** Label and field selectors. */
export * from './label-selector.js'
export * from './validate-label-selector.js'
export * from './field-selector.js'

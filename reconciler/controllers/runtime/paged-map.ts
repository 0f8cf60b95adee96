/** The controllers' view of PagedMap (storage/paged-map.ts): memories saved and restored by pages. */
export * from '../../storage/paged-map.js'

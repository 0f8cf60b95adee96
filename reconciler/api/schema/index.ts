/** capstan's schemas at run time: validation, the TypeNode view for server-side apply, the loader. */
export { validateObject, withoutNullFields } from './validate-object.js'
export { typeNodeFor } from './type-node-for.js'
export { loadDefinitions, loadKindSchema, schemaKinds, type SchemaNode } from './load-schemas.js'
export { fieldPath } from './field-path.js'
export * from './type-node.js'

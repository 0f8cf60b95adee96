/** The `yaml` package options that read YAML the way kubectl does. */
import type { DocumentOptions, ParseOptions, SchemaOptions, Tags } from 'yaml'

/**
 * kubectl decodes YAML with go-yaml v2 (YAML 1.1 scalars): `0644` is octal 420, `yes`/`on`/`y` are
 * true, `1_000` is 1000. It does not turn `22:22` into a base-60 number, keeps timestamps as the
 * strings written, and has no sets or ordered maps: those tags of the `yaml` package's 1.1 schema
 * are left out so that every value stays plain JSON data.
 */
function kubectlTags(tags: Tags): Tags {
  const dropped = new Set([
    'tag:yaml.org,2002:timestamp',
    'tag:yaml.org,2002:binary',
    'tag:yaml.org,2002:omap',
    'tag:yaml.org,2002:pairs',
    'tag:yaml.org,2002:set',
  ])
  return tags.filter((t) => {
    if (typeof t !== 'object' || t === null) return true
    const tag = t as { tag?: string; format?: string }
    return !(tag.tag !== undefined && dropped.has(tag.tag)) && tag.format !== 'TIME'
  })
}

/** Options for `parseAllDocuments` on manifest YAML. Duplicate keys are errors. */
export const manifestYamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: kubectlTags,
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  keepSourceTokens: false,
}

// Typed GraphQL documents (src/api/*.graphql) checked against the API contract.
// src/gql/; scripts/test-frontend.sh fails when the committed files are stale.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/api/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string', Date: 'string', Time: 'string', Cursor: 'string', Upload: 'File', PersonTag: 'string', AgriculturalField: 'string' },
        // Only an explicitly selected __typename reaches the page (graphcache
        // masks the ones urql adds), so types list it only where selected.
        skipTypename: true,
      },
    },
  },
}

export default config

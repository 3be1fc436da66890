// Typed GraphQL documents (src/api/*.graphql) checked against the API contract.
// src/gql/; scripts/test-frontend.sh fails when the committed files are stale.
import { createHash } from 'node:crypto'
import type { CodegenConfig } from '@graphql-codegen/cli'
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset'

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/api/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // persisted-documents.json ({ sha256 hex of the text: the text }) is
        // what the server accepts under YANZHEN_TRUSTED_DOCUMENTS=only; each
        // document carries its key in __meta__.hash, which src/urql.ts and
        // src/lib/outbox.ts send instead of the text. A function rather than
        // 'sha256', which would prefix the key with "sha256:".
        persistedDocuments: { hashAlgorithm: (text: string) => createHash('sha256').update(text).digest('hex') },
      },
      // graphcache asks for __typename in every selection set; the manifest's
      // text must already hold them, or the server would know a different
      // document than the one the cache needs.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string', Date: 'string', Time: 'string', Cursor: 'string', Upload: 'File', PersonTag: 'string', AgriculturalField: 'string' },
        // Types list __typename only where a document selects it: since the
        // transform selects it everywhere, it reaches the page (graphcache
        // masks only the ones urql adds) and every type lists it.
        skipTypename: true,
      },
    },
  },
}

export default config

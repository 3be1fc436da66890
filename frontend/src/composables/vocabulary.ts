import type { Client } from '@urql/vue'
import { VocabularyDocument, type VocabularyKind } from '@/gql/graphql'
import { learnTerms } from '@/lib/vocabulary'

/** Loads both vocabularies' terms into the labels (lib/vocabulary.ts). */
export async function loadVocabularies(client: Client) {
  for (const kind of ['PERSON_TAG', 'AGRICULTURAL_FIELD'] as VocabularyKind[]) {
    const r = await client.query(VocabularyDocument, { kind }, { requestPolicy: 'network-only' }).toPromise()
    if (r.data) learnTerms(kind, r.data.vocabulary)
  }
}

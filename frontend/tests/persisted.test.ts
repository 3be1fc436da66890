// Trusted documents: the server (YANZHEN_TRUSTED_DOCUMENTS=only) runs only
// what src/gql/persisted-documents.json lists, by the hash the app sends. The
// manifest must list every operation of src/api/, under the sha256 of its
// text, with the __typename graphcache asks for; the clients must send the
// hash, not the text, and the text only when the server does not know it.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { buildSchema, Kind, parse, validate, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql'
import { stringifyDocument } from '@urql/core'
import * as generated from '@/gql/graphql'
import { ImportRosterDocument, LogoutDocument, MeDocument, RegionNameDocument } from '@/gql/graphql'
import { createClient, createListClient, documentHash } from '@/urql'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const manifest = JSON.parse(readFileSync(join(__dirname, '../src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>
const schema = buildSchema(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'))
const apiDir = join(__dirname, '../src/api')
const sources = readdirSync(apiDir).filter((f) => f.endsWith('.graphql')).map((f) => parse(readFileSync(join(apiDir, f), 'utf8')))

const operations = (doc: DocumentNode) => doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
const operationName = (doc: DocumentNode) => {
  const ops = operations(doc)
  expect(ops).toHaveLength(1)
  return ops[0].name!.value
}
/** The generated documents of operations (fragments have no hash). */
const documents = Object.entries(generated).filter(
  (e): e is [string, DocumentNode] => e[0].endsWith('Document') && operations(e[1] as DocumentNode).length > 0,
)

/** The selection sets of a document without a __typename of their own. */
function withoutTypename(doc: DocumentNode): number {
  let n = 0
  visit(doc, {
    SelectionSet(node) {
      if (!node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias)) n++
    },
  })
  return n
}

describe('the persisted-documents manifest', () => {
  it('lists every operation of src/api/*.graphql, once', () => {
    const inSources = sources.flatMap((d) => operations(d).map((o) => o.name!.value)).sort()
    const inManifest = Object.values(manifest).map((text) => operationName(parse(text))).sort()
    expect(inSources.length).toBeGreaterThan(100)
    expect(inManifest).toEqual(inSources)
  })

  it('keys each text by its sha256, in lowercase hex', () => {
    for (const [key, text] of Object.entries(manifest)) {
      expect(key).toMatch(/^[0-9a-f]{64}$/)
      expect(key).toBe(sha256(text))
    }
  })

  it('holds the hash each generated document carries, with that operation', () => {
    expect(documents).toHaveLength(Object.keys(manifest).length)
    for (const [name, doc] of documents) {
      const hash = documentHash(doc)
      expect(hash, name).toBeDefined()
      expect(operationName(parse(manifest[hash!])), name).toBe(operationName(doc))
    }
  })

  it('has __typename in every selection set (the transform ran) and is valid against schema.graphql', () => {
    // The sources leave it out almost everywhere: what the manifest has, the transform added.
    expect(sources.reduce((n, d) => n + withoutTypename(d), 0)).toBeGreaterThan(100)
    for (const text of Object.values(manifest)) {
      const doc = parse(text)
      expect(withoutTypename(doc), text).toBe(0)
      expect(validate(schema, doc), text).toEqual([])
    }
  })

  it('is not what urql prints, so a hash never travels with urql\'s text', () => {
    // The manifest's text is sorted and on one line (@graphql-tools/documents);
    // urql prints the document as written. The outbox and the clients' retry
    // therefore send the hash alone or the text alone: a server that checks
    // them against each other would refuse the pair.
    for (const [name, doc] of documents) expect(sha256(stringifyDocument(doc)), name).not.toBe(documentHash(doc))
  })
})

type Sent = { method: string; body: unknown }
let sent: Sent[] = []
let replies: unknown[] = []

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
  sent = []
  replies = []
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const body = init.body instanceof FormData ? init.body : JSON.parse(String(init.body))
    sent.push({ method: String(init.method), body })
    return new Response(JSON.stringify(replies.shift() ?? { errors: [{ message: 'no reply scripted' }] }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  })
})
afterEach(() => vi.unstubAllGlobals())

const byHash = (doc: DocumentNode) => ({ version: 1, sha256Hash: documentHash(doc) })
const notFound = { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }

describe('the clients', () => {
  it('the list client sends a query by its hash, by POST, without the text', async () => {
    replies = [{ data: { region: { __typename: 'Region', id: 'R1', name: '某村' } } }]
    const r = await createListClient().query(RegionNameDocument, { code: '110101001001' }).toPromise()
    expect(r.error).toBeUndefined()
    expect(r.data?.region?.name).toBe('某村')
    expect(sent).toHaveLength(1)
    expect(sent[0].method).toBe('POST')
    const body = sent[0].body as Record<string, unknown>
    expect(body.extensions).toEqual({ persistedQuery: byHash(RegionNameDocument) })
    expect(body.query).toBeUndefined()
    expect(body.variables).toEqual({ code: '110101001001' })
  })

  it('sends the text alone, once, when the server does not know the hash', async () => {
    replies = [notFound, { data: { region: { __typename: 'Region', id: 'R1', name: '某村' } } }]
    const r = await createListClient().query(RegionNameDocument, { code: '110101001001' }).toPromise()
    expect(r.error).toBeUndefined()
    expect(r.data?.region?.name).toBe('某村')
    expect(sent).toHaveLength(2)
    const retry = sent[1].body as { query?: string; extensions?: Record<string, unknown> }
    expect(sent[1].method).toBe('POST')
    expect(retry.query).toBe(stringifyDocument(RegionNameDocument))
    expect(retry.extensions?.persistedQuery).toBeUndefined()
  })

  it('gives the error back when the server refuses the text too', async () => {
    const refused = { errors: [{ message: 'only trusted documents', extensions: { code: 'PERSISTED_QUERY_REQUIRED' } }] }
    replies = [notFound, refused]
    const r = await createListClient().query(RegionNameDocument, { code: '110101001001' }).toPromise()
    expect(r.error?.graphQLErrors[0].message).toBe('only trusted documents')
    expect(sent).toHaveLength(2)
  })

  it('the main client (graphcache) sends queries and mutations by their hash', async () => {
    const client = createClient(() => {})
    replies = [{ data: { __typename: 'Query', me: null } }]
    const q = await client.query(MeDocument, {}).toPromise()
    expect(q.error).toBeUndefined()
    replies = [{ data: { __typename: 'Mutation', logout: true } }]
    const m = await client.mutation(LogoutDocument, {}).toPromise()
    expect(m.data?.logout).toBe(true)
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST'])
    expect(sent.map((s) => (s.body as { extensions?: unknown }).extensions)).toEqual([{ persistedQuery: byHash(MeDocument) }, { persistedQuery: byHash(LogoutDocument) }])
    expect(sent.map((s) => (s.body as { query?: unknown }).query)).toEqual([undefined, undefined])
  })

  it('an upload goes as multipart, its operation by hash', async () => {
    const file = new File(['PK'], 'roster.xlsx')
    replies = [{ data: { __typename: 'Mutation', importRoster: null } }]
    await createClient(() => {}).mutation(ImportRosterDocument, { file, dryRun: true }).toPromise()
    expect(sent).toHaveLength(1)
    const form = sent[0].body as FormData
    expect(form).toBeInstanceOf(FormData)
    const ops = JSON.parse(String(form.get('operations')))
    expect(ops.extensions).toEqual({ persistedQuery: byHash(ImportRosterDocument) })
    expect(ops.query).toBeUndefined()
    expect(JSON.parse(String(form.get('map')))).toEqual({ 0: ['variables.file'] })
    expect((form.get('0') as File).name).toBe('roster.xlsx')
  })
})

// 待发送: the field entries a phone on a village road may have to keep —
// contact logs, service records, duty-item updates. Each write gets its
// idempotency key when the user saves it and keeps it until the server has
// answered: sent at once when the network answers, otherwise kept (in this
// browser's storage) and sent again when the browser is back online, every
// half minute while any wait, or when the user asks. A retry after a lost
// answer carries the same key, so the server writes it once
// (Idempotency-Key, docs/api.md). A write goes as its document's hash
// (trusted documents, src/urql.ts), its text only to a server that does not
// know the hash and for items kept before hashes were.
import { reactive } from 'vue'
import { CombinedError, stringifyDocument } from '@urql/core'
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { GraphQLError } from 'graphql'
import { graphqlURL } from '@/config'
import { documentHash, writes } from '@/urql'

export type OutboxKind = 'contactLog' | 'serviceRecord' | 'dutyItem'

export interface OutboxItem {
  /** The idempotency key, made when the user saved. */
  key: string
  kind: OutboxKind
  /** What the user wrote, in their words (a village, a date). */
  label: string
  query: string
  /** The document's key in src/gql/persisted-documents.json; absent in items kept by older versions. */
  hash?: string
  variables: Record<string, unknown>
  savedAt: string
  attempts: number
  /** The server refused it (a rule, a field): it waits for the user, not for the network. */
  error?: string
}

/** What became of a write: sent (with the answer), kept for later, or refused. */
export type Outcome<T> = { state: 'sent'; data: T } | { state: 'queued' } | { state: 'refused'; error: CombinedError }

const storageKey = 'yanzhen.outbox'
/** Errors that say "not now" rather than "not this": the write is kept. */
const transient = new Set(['INTERNAL', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED'])
/** A server that does not know the hash (Automatic Persisted Queries' answers): it may still take the text. */
const unknownHash = new Set(['PersistedQueryNotFound', 'PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'])
const hashUnknown = (errors: GraphQLError[]) => errors.some((e) => unknownHash.has(e.message) || unknownHash.has(String(e.extensions?.code ?? '')))

export const outbox = reactive({ items: load() as OutboxItem[], sending: false })
let headers: () => Record<string, string> = () => ({})
const sentListeners = new Set<(kind: OutboxKind) => void>()

function load(): OutboxItem[] {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? '[]') as OutboxItem[]
  } catch {
    return []
  }
}
function save() {
  try {
    localStorage.setItem(storageKey, JSON.stringify(outbox.items))
  } catch {
    /* storage full or off: the items stay in memory for this tab */
  }
}

function newKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Starts the outbox: the auth headers to send, and the moments it tries again. */
export function startOutbox(authHeaders: () => Record<string, string>) {
  headers = authHeaders
  // Back online: the first requests may still fail while the connection
  // comes up, so try at once and again shortly after, until all is sent.
  window.addEventListener('online', () => {
    for (const wait of [0, 1500, 4000, 8000, 15000]) {
      setTimeout(() => {
        if (outbox.items.some((i) => !i.error)) void flush()
      }, wait)
    }
  })
  setInterval(() => {
    if (outbox.items.some((i) => !i.error)) void flush()
  }, 30_000)
  void flush()
}

/** Calls fn after each write the outbox delivers (pages refetch what it changed). */
export function onSent(fn: (kind: OutboxKind) => void): () => void {
  sentListeners.add(fn)
  return () => sentListeners.delete(fn)
}

type Answer<T> = { kind: 'sent'; data: T } | { kind: 'later'; reason: string } | { kind: 'refused'; errors: GraphQLError[] }

async function deliver<T>(item: OutboxItem): Promise<Answer<T>> {
  item.attempts++
  const a = await post<T>(item, item.hash)
  // Not written, so the same key is safe.
  return a.kind === 'refused' && item.hash && hashUnknown(a.errors) ? post<T>(item, undefined) : a
}

async function post<T>(item: OutboxItem, hash: string | undefined): Promise<Answer<T>> {
  // The hash without the text: urql prints a document otherwise than the
  // manifest does (sorted, on one line), so the text would not hash to the
  // key and the server refuses a text and a hash that disagree
  // (tests/persisted.test.ts).
  const payload = hash
    ? { variables: item.variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
    : { query: item.query, variables: item.variables }
  let resp: Response
  try {
    resp = await fetch(graphqlURL(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': item.key, ...headers() },
      body: JSON.stringify(payload),
    })
  } catch (e) {
    return { kind: 'later', reason: e instanceof Error ? e.message : 'offline' }
  }
  if (resp.status >= 500 || resp.status === 429 || resp.status === 401) return { kind: 'later', reason: String(resp.status) }
  let body: { data?: T; errors?: GraphQLError[] }
  try {
    body = await resp.json()
  } catch {
    return { kind: 'later', reason: 'unreadable answer' }
  }
  const errors = body.errors ?? []
  if (errors.length === 0 && body.data) return { kind: 'sent', data: body.data }
  if (errors.some((e) => transient.has(String(e.extensions?.code ?? '')))) return { kind: 'later', reason: String(errors[0].extensions?.code) }
  return { kind: 'refused', errors }
}

function remove(item: OutboxItem) {
  const i = outbox.items.indexOf(item)
  if (i >= 0) outbox.items.splice(i, 1)
  save()
}

/**
 * Writes through the outbox: sent now when the server answers; kept when
 * the network or the server cannot take it now; refused (and not kept)
 * when the server says the entry itself is wrong, for the form to show.
 */
export async function submit<T, V extends Record<string, unknown>>(kind: OutboxKind, label: string, document: TypedDocumentNode<T, V>, variables: V): Promise<Outcome<T>> {
  const item: OutboxItem = reactive({ key: newKey(), kind, label, query: stringifyDocument(document), hash: documentHash(document), variables, savedAt: new Date().toISOString(), attempts: 0 })
  outbox.items.push(item)
  save()
  const a = await deliver<T>(item)
  if (a.kind === 'sent') {
    remove(item)
    writes.value++ // the lists of the tab reload (DataList)
    return { state: 'sent', data: a.data }
  }
  if (a.kind === 'refused') {
    remove(item)
    return { state: 'refused', error: new CombinedError({ graphQLErrors: a.errors }) }
  }
  save()
  return { state: 'queued' }
}

/** Sends what waits, oldest first; a refusal stays, with its reason, for the user. */
export async function flush(): Promise<void> {
  if (outbox.sending) return
  outbox.sending = true
  try {
    for (const item of [...outbox.items]) {
      if (item.error) continue
      const a = await deliver(item)
      if (a.kind === 'later') {
        save()
        break // the network or the server is not back yet: keep the order
      }
      if (a.kind === 'refused') {
        item.error = a.errors.map((e) => e.message).join('; ')
        save()
        continue
      }
      remove(item)
      writes.value++
      for (const fn of sentListeners) fn(item.kind)
    }
  } finally {
    outbox.sending = false
  }
}

/** Drops a kept write the user gives up on. */
export function discard(key: string) {
  const item = outbox.items.find((i) => i.key === key)
  if (item) remove(item)
}

// The outbox's promise: a field entry is written once, whatever the
// network does — kept while it cannot be sent, sent again with the same
// idempotency key, refused entries shown rather than retried forever. The
// browser's fetch is replaced by a scripted server here; the e2e suite
// drives the real one offline in Chromium.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stringifyDocument } from '@urql/core'
import { CreateContactLogDocument } from '@/gql/graphql'
import { flush, onSent, outbox, submit } from '@/lib/outbox'
import { documentHash } from '@/urql'

type Reply = Error | { status?: number; body: unknown }
let replies: Reply[] = []
let sent: { key: string; body: string }[] = []

beforeEach(() => {
  outbox.items.splice(0)
  localStorage.clear()
  replies = []
  sent = []
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    sent.push({ key: (init.headers as Record<string, string>)['Idempotency-Key'], body: String(init.body) })
    const r = replies.shift()
    if (!r || r instanceof Error) throw r ?? new TypeError('Failed to fetch')
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200 })
  })
})
afterEach(() => vi.unstubAllGlobals())

const input = { input: { appointmentID: 'A1', date: '2026-12-01', mode: 'VISIT' as const, notes: null } }
const ok = { body: { data: { createContactLog: { id: 'L1' } } } }

describe('the outbox', () => {
  it('sends at once when the server answers, and keeps nothing', async () => {
    replies = [ok]
    const r = await submit('contactLog', '某村', CreateContactLogDocument, input)
    expect(r.state).toBe('sent')
    expect(outbox.items).toEqual([])
    expect(sent[0].key).toMatch(/^[0-9a-f-]{32,36}$/)
    expect(JSON.parse(sent[0].body).variables).toEqual(input)
  })

  it('keeps an entry the network cannot take, in storage, and sends it later with the same key', async () => {
    replies = [new TypeError('Failed to fetch')]
    expect((await submit('contactLog', '某村', CreateContactLogDocument, input)).state).toBe('queued')
    expect(JSON.parse(localStorage.getItem('yanzhen.outbox')!)).toHaveLength(1)
    const delivered: string[] = []
    const stop = onSent((k) => delivered.push(k))
    replies = [{ status: 503, body: {} }] // the server is not back yet
    await flush()
    expect(outbox.items).toHaveLength(1)
    replies = [ok]
    await flush()
    stop()
    expect(outbox.items).toHaveLength(0)
    expect(delivered).toEqual(['contactLog'])
    expect(new Set(sent.map((s) => s.key)).size).toBe(1) // one key for the three attempts
  })

  it('gives a refused entry back to the form at once, and keeps nothing', async () => {
    replies = [{ body: { errors: [{ message: 'date in the future', extensions: { code: 'BAD_USER_INPUT', field: 'input.date' } }] } }]
    const r = await submit('contactLog', '某村', CreateContactLogDocument, input)
    expect(r.state).toBe('refused')
    if (r.state === 'refused') expect(r.error.graphQLErrors[0].extensions.field).toBe('input.date')
    expect(outbox.items).toEqual([])
  })

  it('keeps a kept entry the server later refuses, with why, and sends the ones after it', async () => {
    replies = [new TypeError('offline'), new TypeError('offline')]
    await submit('contactLog', '一', CreateContactLogDocument, input)
    await submit('serviceRecord', '二', CreateContactLogDocument, input)
    replies = [{ body: { errors: [{ message: 'the appointment ended', extensions: { code: 'BAD_USER_INPUT' } }] } }, ok]
    await flush()
    expect(outbox.items.map((i) => [i.label, i.error])).toEqual([['一', 'the appointment ended']])
    replies = []
    await flush() // a refused entry waits for the user, not for the network
    expect(sent).toHaveLength(4)
  })

  it('stops at a server that says "not now", keeping the order', async () => {
    replies = [new TypeError('offline'), new TypeError('offline')]
    await submit('contactLog', '一', CreateContactLogDocument, input)
    await submit('contactLog', '二', CreateContactLogDocument, input)
    replies = [{ body: { errors: [{ message: 'database unavailable', extensions: { code: 'INTERNAL' } }] } }]
    await flush()
    expect(outbox.items.map((i) => i.label)).toEqual(['一', '二'])
    expect(sent).toHaveLength(3)
  })

  it('sends the document by its hash (trusted documents), without the text', async () => {
    replies = [ok]
    await submit('contactLog', '某村', CreateContactLogDocument, input)
    const body = JSON.parse(sent[0].body)
    expect(body.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: documentHash(CreateContactLogDocument) } })
    expect(body.extensions.persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/)
    expect(body.query).toBeUndefined()
    expect(body.variables).toEqual(input)
  })

  it('keeps the hash with a kept entry, and sends the text alone, same key, to a server that does not know it', async () => {
    replies = [new TypeError('offline')]
    await submit('contactLog', '某村', CreateContactLogDocument, input)
    expect(JSON.parse(localStorage.getItem('yanzhen.outbox')!)[0].hash).toBe(documentHash(CreateContactLogDocument))
    replies = [{ body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } }, ok]
    await flush()
    expect(outbox.items).toHaveLength(0)
    expect(sent).toHaveLength(3)
    const retry = JSON.parse(sent[2].body)
    expect(retry.query).toBe(stringifyDocument(CreateContactLogDocument))
    expect(retry.extensions).toBeUndefined()
    expect(sent[2].key).toBe(sent[1].key)
  })

  it('sends an entry kept by an older version (no hash) as its text', async () => {
    replies = [new TypeError('offline')]
    await submit('contactLog', '某村', CreateContactLogDocument, input)
    delete outbox.items[0].hash
    replies = [ok]
    await flush()
    expect(outbox.items).toHaveLength(0)
    const body = JSON.parse(sent[1].body)
    expect(body.query).toBe(stringifyDocument(CreateContactLogDocument))
    expect(body.extensions).toBeUndefined()
  })
})

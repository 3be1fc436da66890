// What a list (components/DataList.vue) needs from its page: the columns,
// and a function that reads one page of a Relay connection.
import type { Client, TypedDocumentNode, AnyVariables } from '@urql/core'
import type { RouteLocationRaw } from 'vue-router'
import { createListClient } from '@/urql'
import { nodes, type ConnectionLike } from './connection'
import type { Cell } from './xlsx'

export interface ListColumn<Row> {
  key: string
  /** The i18n key of the header. */
  label: string
  /** The API's order field (PersonOrderField …) when the column sorts. */
  sort?: string
  /** Shown unless the user hides it (the column chooser). */
  hidden?: boolean
  width?: number
  minWidth?: number
  /** The text of the cell, also written to the export. */
  value: (row: Row) => Cell
  /** Where the cell links to. */
  link?: (row: Row) => RouteLocationRaw | null
}

export interface ListOrder {
  field: string
  direction: 'ASC' | 'DESC'
}

export interface PageRequest {
  first: number
  after: string | null
  orderBy: ListOrder | null
}

export interface Page<Row> {
  rows: Row[]
  totalCount: number
  hasNextPage: boolean
  endCursor: string | null
}

type Connection<Row> = ConnectionLike<Row> & { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }

let client: Client | null = null
function listClient(): Client {
  client ??= createListClient()
  return client
}

/**
 * Reads one page of a connection with the list client: `pick` finds the
 * connection in the answer. Throws the CombinedError of a failed request.
 */
export async function readPage<Q, V extends AnyVariables, Row>(
  doc: TypedDocumentNode<Q, V>,
  variables: V,
  pick: (data: Q) => Connection<Row> | null | undefined,
): Promise<Page<Row>> {
  const r = await listClient().query(doc, variables).toPromise()
  if (r.error) throw r.error
  const c = r.data ? pick(r.data) : null
  return {
    rows: nodes(c),
    totalCount: c?.totalCount ?? 0,
    hasNextPage: !!c?.pageInfo.hasNextPage,
    endCursor: c?.pageInfo.endCursor ?? null,
  }
}

/** The most rows an export reads (100 pages of 100): beyond that, the roster export of the server. */
export const EXPORT_LIMIT = 10_000

/** Every row of the list, page after page, up to EXPORT_LIMIT. */
export async function readAll<Row>(fetchPage: (r: PageRequest) => Promise<Page<Row>>, orderBy: ListOrder | null): Promise<{ rows: Row[]; total: number }> {
  const rows: Row[] = []
  let after: string | null = null
  let total = 0
  for (;;) {
    const p: Page<Row> = await fetchPage({ first: 100, after, orderBy })
    total = p.totalCount
    rows.push(...p.rows)
    if (!p.hasNextPage || rows.length >= EXPORT_LIMIT) break
    after = p.endCursor
  }
  return { rows: rows.slice(0, EXPORT_LIMIT), total }
}

/** The columns a user chose to see, kept per list in the browser. */
export function savedColumns(id: string): string[] | null {
  try {
    const v = localStorage.getItem(`yanzhen.columns.${id}`)
    const a = v ? JSON.parse(v) : null
    return Array.isArray(a) && a.every((x) => typeof x === 'string') ? a : null
  } catch {
    return null
  }
}

export function saveColumns(id: string, keys: string[]) {
  try {
    localStorage.setItem(`yanzhen.columns.${id}`, JSON.stringify(keys))
  } catch {
    /* not kept */
  }
}

// Where the API is, decided at run time (public/config.js sets
// window.__YANZHEN_API__) so one build deploys anywhere.

declare global {
  interface Window {
    __YANZHEN_API__?: string
  }
}

/** The GraphQL endpoint: the configured URL, or /graphql on this origin. */
export function graphqlURL(w: Pick<Window, '__YANZHEN_API__' | 'location'> = window): string {
  const configured = (w.__YANZHEN_API__ ?? '').trim()
  if (!configured) return new URL('/graphql', w.location.origin).toString()
  return new URL(configured, w.location.origin).toString()
}

/** The server's base URL (the GraphQL URL without its last path segment), for downloads. */
export function apiBase(w: Pick<Window, '__YANZHEN_API__' | 'location'> = window): string {
  const u = new URL(graphqlURL(w))
  u.pathname = u.pathname.replace(/\/[^/]*$/, '')
  u.search = ''
  u.hash = ''
  return u.toString().replace(/\/$/, '')
}

/** The roster workbook of a region subtree (masked personal data). */
export function rosterExportURL(code: string, w?: Pick<Window, '__YANZHEN_API__' | 'location'>): string {
  return `${apiBase(w)}/export/roster.xlsx?region=${encodeURIComponent(code)}`
}

/** The empty roster template. */
export function rosterTemplateURL(w?: Pick<Window, '__YANZHEN_API__' | 'location'>): string {
  return `${apiBase(w)}/roster-template.xlsx`
}

// Whom an alert is about: the person or pair it names and where it links.
import type { RouteLocationRaw } from 'vue-router'
import { regionRoute } from './regions'

interface Ref {
  id: string
  name: string
}
export interface AlertNode {
  id: string
  __typename?: string
  name?: string
  mentor?: Ref
  mentee?: Ref
  person?: Ref
  expert?: Ref
  description?: string
}

export interface AlertSubject {
  /** "王伟", "李强 → 张敏" (mentor → mentee), or the region's name. */
  text: string
  to: RouteLocationRaw
  /** The people named, for a link each. */
  people: Ref[]
}

export function alertSubject(node: AlertNode, region: { code: string; name: string; level: string }): AlertSubject {
  if (node.mentor && node.mentee) return { text: `${node.mentor.name} → ${node.mentee.name}`, to: { name: 'person', params: { id: node.mentee.id } }, people: [node.mentor, node.mentee] }
  const who = node.person ?? node.expert ?? (node.__typename === 'Person' && node.name ? { id: node.id, name: node.name } : null)
  if (who) return { text: who.name, to: { name: 'person', params: { id: who.id } }, people: [who] }
  return { text: region.name, to: regionRoute(region), people: [] }
}

// Division codes: 省2 / 市4 / 县6 / 乡9 / 村12 digits.

export const codeLengths = [2, 4, 6, 9, 12] as const

/** The codes from the province down to this one: '150221' → ['15', '1502', '150221']. */
export function codePath(code: string): string[] {
  return codeLengths.filter((n) => n <= code.length).map((n) => code.slice(0, n))
}

/** The level index (0 province … 4 village) of a code, -1 when the length is not a level's. */
export function levelOf(code: string): number {
  return (codeLengths as readonly number[]).indexOf(code.length)
}

/** The route of a region: the village page for villages, the browser otherwise. */
export function regionRoute(r: { code: string; level: string }) {
  return r.level === 'VILLAGE' || r.code.length === 12
    ? { name: 'village', params: { code: r.code } }
    : { name: 'regions', params: { code: r.code } }
}

/** A village with its township, "萨拉齐镇 大东村"; a region above a village by its own name. */
export function placeName(r: { name: string; level: string; parent?: { name: string } | null } | null | undefined): string {
  if (!r) return '—'
  return r.level === 'VILLAGE' && r.parent ? `${r.parent.name} ${r.name}` : r.name
}

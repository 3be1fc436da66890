import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writers } from '@/lib/writers'
import { recordKinds } from '@/lib/records'

// The server's rule, read from its source: each type's Policy() and the
// role group its scopedWrite names.
const source = readFileSync(join(__dirname, '../../ent/schema/privacy.go'), 'utf8')
const groups: Record<string, string[]> = {}
for (const m of source.matchAll(/^\s+(\w+)\s+= \[\]auth\.Role\{([^}]*)\}/gm)) {
  groups[m[1]] = m[2].split(',').map((r) => r.trim().replace('auth.Role', '').toUpperCase()).filter(Boolean)
}
const server: Record<string, string[]> = {}
let current = ''
for (const line of source.split('\n')) {
  const p = line.match(/^func \((\w+)\) Policy\(\) ent\.Policy/)
  if (p) current = p[1]
  const w = line.match(/scopedWrite\(ctx, m, (\w+)/)
  if (w && current && groups[w[1]]) server[current] = groups[w[1]]
}

describe('the roles offered a write are those the server allows', () => {
  it('reads the server rule', () => {
    expect(Object.keys(server).length).toBeGreaterThan(20)
    expect(server.Person).toEqual(['ADMIN'])
  })
  for (const type of Object.keys(writers)) {
    it(type, () => {
      const want = [...(server[type] ?? [])]
      if (type === 'ServiceRecord') want.push('PARTNER')
      expect([...writers[type]].sort()).toEqual(want.sort())
    })
  }
  it('every record kind of the forms is listed', () => {
    for (const k of Object.values(recordKinds)) expect(writers[k.type], k.type).toBeDefined()
  })
})

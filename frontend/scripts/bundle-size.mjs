// Reports the JavaScript the first page (the region browser at /) loads,
// gzipped, from the Vite manifest: the entry chunk, its static imports and
// the route chunk of / with its static imports. Fails above the budget.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const BUDGET = 250 * 1024
const dist = new URL('../dist/', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)
const firstRoute = Object.keys(manifest).find((k) => k.endsWith('src/views/RegionBrowser.vue'))
if (!entryKey || !firstRoute) {
  console.error('bundle-size: entry or first route not found in the manifest')
  process.exit(1)
}

const seen = new Set()
function walk(key) {
  if (seen.has(key)) return
  seen.add(key)
  for (const i of manifest[key].imports ?? []) walk(i)
}
walk(entryKey)
walk(firstRoute)

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
let js = 0
let css = 0
const rows = []
for (const key of seen) {
  const m = manifest[key]
  const size = gz(m.file)
  js += size
  rows.push([m.file, size])
  for (const c of m.css ?? []) css += gz(c)
}
let all = 0
for (const m of Object.values(manifest)) if (m.file.endsWith('.js')) all += gz(m.file)

rows.sort((a, b) => b[1] - a[1])
for (const [f, s] of rows) console.log(`  ${(s / 1024).toFixed(1).padStart(7)} KB gzip  ${f}`)
const kb = (n) => (n / 1024).toFixed(1)
console.log(`first page: ${kb(js)} KB gzip JavaScript in ${rows.length} files (+ ${kb(css)} KB gzip CSS); budget ${kb(BUDGET)} KB; all chunks ${kb(all)} KB gzip`)
if (js > BUDGET) {
  console.error(`bundle-size: the first page's JavaScript (${kb(js)} KB gzip) is over the ${kb(BUDGET)} KB budget`)
  process.exit(1)
}

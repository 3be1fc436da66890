// The npm registry reachable here mirrors only the Linux builds of packages
// with per-platform binaries (rollup's), so `npm install` leaves the other
// platforms' optional packages out of package-lock.json and `npm ci` then
// refuses the lock. This adds those entries (version, os, cpu; optional), so
// the lock is complete: npm ci skips them on platforms they are not for.
// Run after `npm install` changes the lock: node scripts/complete-lock.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
const pkgs = lock.packages
const oses = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'aix', 'netbsd', 'sunos']
const cpus = { 'arm-eabi': 'arm', arm: 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' }

let added = 0
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${dep}`
    if (pkgs[at] || pkgs[`${key}/node_modules/${dep}`]) continue
    // @rollup/rollup-<os>-<cpu>[-<abi>]
    const m = dep.match(/-(android|darwin|freebsd|linux|openbsd|openharmony|win32)-([a-z0-9]+(?:-eabi)?)(?:-(gnu|musl|msvc|gnueabihf|musleabihf))?$/)
    if (!m || !oses.includes(m[1])) {
      console.error(`complete-lock: cannot tell the platform of ${dep}; add it by hand`)
      process.exitCode = 1
      continue
    }
    const stub = { version, cpu: [cpus[m[2]] ?? m[2]], dev: entry.dev || undefined, license: 'MIT', optional: true, os: [m[1]] }
    if (m[3] === 'gnu' || m[3] === 'gnueabihf') stub.libc = ['glibc']
    if (m[3] === 'musl' || m[3] === 'musleabihf') stub.libc = ['musl']
    pkgs[at] = stub
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))))
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n')
console.log(`complete-lock: ${added} optional platform packages added`)

// End-to-end tests: the real Go server with the demo data, the built SPA,
// Debian's Chromium driven by playwright-core. Prints "N passed, N failed".
//
//   node e2e/run.mjs            (after `npm run build`; builds the server itself)
//   YANZHEN_BIN=/path/yanzhen node e2e/run.mjs
//   E2E_ONLY='import job' node e2e/run.mjs   (only the tests whose name has these words)
//
// The SPA is taken from the Go server when it serves it at /; otherwise
// (before the server mounts the SPA) from `vite preview`, proxying the API to
// the Go server under the same Content-Security-Policy.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { badRoster, countyRoster, styledBadRoster, unzip, wordsRoster } from './xlsx.mjs'

const frontend = resolve(new URL('..', import.meta.url).pathname)
const repo = resolve(frontend, '..')
const results = join(frontend, 'test-results')
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'
const tmp = mkdtempSync(join(tmpdir(), 'yanzhen-e2e-'))
const children = []
const log = (...a) => console.log('[e2e]', ...a)

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer()
    s.on('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

async function waitFor(url, ok = (r) => r.ok, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < until) {
    try {
      const r = await fetch(url)
      if (ok(r)) return r
      last = `status ${r.status}`
    } catch (e) {
      last = e.message
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer in time (${last})`)
}

function start(cmd, args, opts) {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
  let out = ''
  p.stdout.on('data', (d) => (out += d))
  p.stderr.on('data', (d) => (out += d))
  p.output = () => out
  children.push(p)
  return p
}

function cleanup() {
  for (const p of children) if (p.exitCode === null) p.kill('SIGTERM')
  rmSync(tmp, { recursive: true, force: true })
}
process.on('exit', cleanup)
process.on('SIGINT', () => process.exit(130))

// ── Server and data ──────────────────────────────────────────────────────
let bin = process.env.YANZHEN_BIN
if (!bin) {
  bin = join(tmp, 'yanzhen')
  log('building the Go server')
  const b = spawnSync('go', ['build', '-o', bin, './server'], { cwd: repo, stdio: 'inherit' })
  if (b.status !== 0) throw new Error('go build ./server failed')
}
const env = { ...process.env, DATABASE_URL: `sqlite:${join(tmp, 'e2e.db')}`, YANZHEN_LOG_FORMAT: 'text' }
const help = spawnSync(bin, ['demo', '--help'], { env, encoding: 'utf8' })
if (!/-people|Usage of demo/.test(help.stdout + help.stderr)) {
  throw new Error('this server has no `yanzhen demo` command: the e2e tests need the demo data')
}
log('loading the demo data')
const seed = spawnSync(bin, ['demo'], { env, encoding: 'utf8' })
if (seed.status !== 0) throw new Error(`yanzhen demo failed:\n${seed.stdout}${seed.stderr}`)
// A copy of the demo database for the server that runs trusted documents only.
const trustedDB = join(tmp, 'trusted.db')
for (const ext of ['', '-wal', '-shm']) if (existsSync(join(tmp, `e2e.db${ext}`))) copyFileSync(join(tmp, `e2e.db${ext}`), `${trustedDB}${ext}`)

const apiPort = await freePort()
const api = `http://127.0.0.1:${apiPort}`
const previewPort = await freePort()
env.YANZHEN_CORS_ORIGINS = `http://127.0.0.1:${previewPort}`
const server = start(bin, ['serve', '-addr', `127.0.0.1:${apiPort}`], { env })
await waitFor(`${api}/readyz`).catch((e) => {
  throw new Error(`${e.message}\n${server.output()}`)
})

let base = api
const root = await fetch(`${api}/`).then((r) => r.text())
if (!root.includes('<div id="app">')) {
  log('the Go server does not serve the SPA yet: using vite preview in front of it')
  base = `http://127.0.0.1:${previewPort}`
  start(join(frontend, 'node_modules/.bin/vite'), ['preview', '--host', '127.0.0.1', '--port', String(previewPort), '--strictPort'], {
    cwd: frontend,
    env: { ...process.env, YANZHEN_DEV_API: api },
  })
  await waitFor(`${base}/`)
}
const policy = (await fetch(`${base}/`)).headers.get('content-security-policy')
if (!policy) throw new Error(`${base}/ sends no Content-Security-Policy: the test would not see what it blocks`)
log(`SPA at ${base}, API at ${api}; Content-Security-Policy: ${policy}`)

async function gql(query, variables = {}, token = adminToken) {
  const r = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  })
  const body = await r.json()
  if (body.errors) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`)
  return body.data
}

// The demo accounts (README "Who may see what"). Logins are rate-limited per
// address: the tests sign in through the page twice and take two tokens here.
const accounts = { admin: 'yanzhen-admin-demo', tumed: 'yanzhen-tumed-demo', township: 'yanzhen-township-demo', village: 'yanzhen-village-demo', partner: 'yanzhen-partner-demo' }
let adminToken = ''
async function login(username) {
  const d = await gql(`mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`, { u: username, p: accounts[username] }, '')
  return d.login.token
}
adminToken = await login('admin')
const tumedToken = await login('tumed')
const townshipToken = await login('township')
const villageToken = await login('village')
const partnerToken = await login('partner')

// ── Browser ──────────────────────────────────────────────────────────────
mkdirSync(results, { recursive: true })
for (const f of readdirSync(results)) if (f.endsWith('.png')) rmSync(join(results, f))
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
const sizes = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

let current = null
/** A page in a fresh context, signed in with the token (none: signed out). */
async function newPage(size, token = adminToken, { serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ viewport: sizes[size], locale: 'zh-CN', acceptDownloads: true, serviceWorkers })
  if (token) await context.addInitScript((t) => localStorage.setItem('yanzhen.token', t), token)
  // Anything the Content-Security-Policy blocks fails the test.
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
  )
  const page = await context.newPage()
  current = page
  page.setDefaultTimeout(15_000)
  page.problems = []
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console (${page.url()}): ${m.text().split('\n')[0]}`)
  })
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => {
    if (!r.failure()?.errorText.includes('ERR_ABORTED')) page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`)
  })
  return page
}

async function shot(page, name) {
  await page.waitForTimeout(1200) // let charts finish their animation
  await page.screenshot({ path: join(results, `${name}.png`), fullPage: true })
}

const tests = []
/** once: the test does not depend on the screen, and runs at the desktop size only. */
const test = (name, fn, { once = false } = {}) => tests.push({ name, fn, once })

// ── The tests ────────────────────────────────────────────────────────────

// GraphQL over HTTP: graphql-http's audit of the spec's MUSTs and SHOULDs
// against the real server, for both media types. Any warning or error fails.
test('GraphQL over HTTP: the graphql-http audit finds no warning and no error', async () => {
  const { auditServer } = await import('graphql-http')
  const results = await auditServer({ url: `${api}/graphql` })
  const count = (status) => results.filter((r) => r.status === status).length
  log(`graphql-http audit: ${count('ok')} ok, ${count('notice')} notices, ${count('warn')} warnings, ${count('error')} errors`)
  for (const r of results.filter((r) => r.status === 'notice')) log(`  notice ${r.id} ${r.name}: ${r.reason}`)
  const bad = results.filter((r) => r.status === 'warn' || r.status === 'error')
  if (bad.length) throw new Error(bad.map((r) => `${r.status} ${r.id} ${r.name}: ${r.reason}`).join('\n    '))
  return null
}, { once: true })

// Trusted documents: a second server, on a copy of the demo data, runs only
// the documents it knows by hash. The web app sends hashes only (no query
// text) and works; a query of a stranger is refused with a code.
test('trusted documents only: the web app works by hash, a stranger query is refused', async (size) => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const srv = start(bin, ['serve', '-addr', `127.0.0.1:${port}`], { env: { ...env, DATABASE_URL: `sqlite:${trustedDB}`, YANZHEN_TRUSTED_DOCUMENTS: 'only' } })
  await waitFor(`${url}/readyz`).catch((e) => {
    throw new Error(`${e.message}\n${srv.output()}`)
  })
  if (!(await fetch(`${url}/`).then((r) => r.text())).includes('<div id="app">')) throw new Error('the server does not serve the SPA: build the web app before the binary')
  const stranger = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: '{ regions(first: 1) { totalCount } }' }),
  }).then((r) => r.json())
  if (stranger.data || stranger.errors?.[0]?.extensions?.code !== 'DOCUMENT_NOT_TRUSTED') throw new Error(`a stranger's query: ${JSON.stringify(stranger)}`)

  const page = await newPage(size, '')
  const texts = []
  page.on('request', (r) => {
    if (!r.url().endsWith('/graphql') || r.method() !== 'POST' || !(r.headers()['content-type'] ?? '').includes('json')) return
    const body = JSON.parse(r.postData() ?? '{}')
    if (body.query || !body.extensions?.persistedQuery?.sha256Hash) texts.push(body.operationName ?? body.query?.slice(0, 60))
  })
  page.on('response', async (r) => {
    if (!r.url().endsWith('/graphql')) return
    const body = await r.json().catch(() => null)
    for (const e of body?.errors ?? []) page.problems.push(`GraphQL ${e.extensions?.code}: ${e.message}`)
  })
  await page.goto(`${url}/login`)
  await page.locator('[data-test=login-username]').fill('admin')
  await page.locator('[data-test=login-password]').fill(accounts.admin)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.goto(`${url}/villages/150221104200`)
  await page.locator('[data-test=village-title]').waitFor({ timeout: 30_000 })
  await page.goto(`${url}/alerts?code=150221`)
  await page.locator('[data-test=list-alerts] [data-test=list-total]').first().waitFor({ timeout: 30_000 })
  await page.waitForLoadState('networkidle')
  if (texts.length) throw new Error(`the web app sent query text: ${texts.join(', ')}`)
  return page
}, { once: true })

test('log in, then drill down from the country to a village', async (size) => {
  const page = await newPage(size, '')
  await page.goto(`${base}/`)
  await page.waitForURL('**/login**')
  await page.locator('[data-test=login-username]').fill('admin')
  await page.locator('[data-test=login-password]').fill(accounts.admin)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  for (const code of ['15', '1502', '150221']) {
    await page.locator(`[data-test=region-children] a[data-code="${code}"]`).click()
    await page.waitForURL(`**/regions/${code}`)
  }
  await page.locator('[data-test=region-figures]').waitFor()
  await shot(page, `${size}-county`)
  // The roster export is fetched with the bearer token and saved.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-roster]').click()])
  if (download.suggestedFilename() !== 'roster-150221.xlsx') throw new Error(`downloaded ${download.suggestedFilename()}`)
  const file = await download.path()
  if (!file || (await import('node:fs')).statSync(file).size < 1000) throw new Error('the roster download is empty')
  await page.locator('[data-test=region-children] a[data-code^="150221"]').first().click()
  await page.waitForURL(/\/regions\/150221\d{3}$/)
  // A village whose card shows a committee.
  const village = page.locator('[data-test=region-children] a', { hasText: /两委 [1-9]/ }).first()
  await village.waitFor()
  await village.click()
  await page.waitForURL(/\/villages\/\d{12}$/)
  await page.locator('[data-test=committee] .el-table__row').first().waitFor()
  const title = await page.locator('[data-test=village-title]').innerText()
  if (!title.trim()) throw new Error('the village has no title')
  await page.locator('[data-test=reserves]').waitFor()
  await shot(page, `${size}-village`)
  return page
})

test('open a person and their mentoring lineage', async (size) => {
  // The county's busiest mentor: a lineage with branches.
  const data = await gql(`{ reservePipeline(code: "150221", first: 1) { mentors { mentor { id name } } } }`)
  const mentor = data.reservePipeline.mentors[0].mentor
  // tumed: the county's admin, allowed to reveal personal data with a reason.
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/people/${encodeURIComponent(mentor.id)}`)
  await page.locator('[data-test=person-name]', { hasText: mentor.name }).waitFor()
  const phone = await page.locator('[data-test=phone]').innerText()
  if (/\d{11}/.test(phone)) throw new Error(`the phone number is not masked: ${phone}`)
  await page.locator('[data-test=reveal]').click()
  await page.locator('[data-test=reveal-reason]').fill('端到端测试：核对联系方式')
  await page.locator('[data-test=reveal-submit]').click()
  await page.waitForFunction(() => /^1\d{10}$/.test(document.querySelector('[data-test=phone]')?.textContent?.trim() ?? ''))
  await page.locator('[data-test=hide]').click()
  await page.locator('[data-test=timeline]').waitFor()
  await shot(page, `${size}-person`)
  await page.getByRole('tab', { name: '帮带谱系' }).click()
  const tree = page.locator('[data-test=lineage-tree]')
  await tree.locator('canvas').first().waitFor()
  const count = Number(await tree.getAttribute('data-count'))
  if (!(count > 1)) throw new Error(`the lineage tree has ${count} people`)
  await shot(page, `${size}-lineage`)
  return page
})

test("a secretary's annual assessments and duty list", async (size) => {
  // A secretary of 土默特右旗 assessed in the last year of the demo.
  const data = await gql(`{ assessments(where: { year: 2024, hasRegionWith: [{ codeHasPrefix: "150221" }] }, first: 1) { edges { node { person { id name assessments { totalCount } dutyItems { totalCount } } } } } }`)
  const who = data.assessments.edges[0].node.person
  if (who.assessments.totalCount < 2 || who.dutyItems.totalCount < 1) throw new Error(`the demo secretary has no history: ${JSON.stringify(who)}`)
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/people/${encodeURIComponent(who.id)}`)
  await page.locator('[data-test=person-name]', { hasText: who.name }).waitFor()
  await page.getByRole('tab', { name: '考核与履职' }).click()
  const rows = page.locator('[data-test=assessments] .el-table__body-wrapper .el-table__row')
  await rows.nth(who.assessments.totalCount - 1).waitFor()
  if ((await rows.count()) !== who.assessments.totalCount) throw new Error(`${await rows.count()} assessment rows, the API has ${who.assessments.totalCount}`)
  // Newest first: the 2024 assessment, with its grade and its rank in the township.
  const first = await rows.first().innerText()
  if (!/2024/.test(first) || !/(优秀|称职|基本称职|不称职)/.test(first) || !/第 \d+ \/ \d+ 名/.test(first)) throw new Error(`the first assessment row reads ${first}`)
  const duties = page.locator('[data-test=duties] .el-table__body-wrapper .el-table__row')
  await duties.first().waitFor()
  if ((await duties.count()) !== Math.min(who.dutyItems.totalCount, 100)) throw new Error(`${await duties.count()} duty rows, the API has ${who.dutyItems.totalCount}`)
  await page.locator('[data-test=rewards]').waitFor()
  await page.locator('[data-test=audits]').waitFor()
  await shot(page, `${size}-person-work`)
  return page
})

test('the term comparison of a region', async (size) => {
  // 土默特右旗's latest term against the one before, as the API figures them.
  const data = await gql(`{ termComparison(code: "150221") { current { terms { name } } previous { terms { name } } differences { group figure difference } } }`)
  const c = data.termComparison
  if (!c.current.terms.length || !c.previous?.terms.length) throw new Error(`the demo has no two terms for 150221: ${JSON.stringify(c)}`)
  const page = await newPage(size)
  await page.goto(`${base}/terms/compare?code=150221`)
  await page.locator('[data-test=term-current] [data-test=term-name]', { hasText: c.current.terms[0].name }).first().waitFor()
  await page.locator('[data-test=term-previous] [data-test=term-name]', { hasText: c.previous.terms[0].name }).first().waitFor()
  await page.locator('[data-test=term-figures]').waitFor()
  // The secretaries' differences: one row per figure, each with an arrow (or — without a value).
  const want = c.differences.filter((d) => d.group === 'SECRETARIES')
  const diffs = page.locator('[data-test=differences] [data-test=difference]')
  await diffs.nth(want.length - 1).waitFor()
  const texts = await diffs.allInnerTexts()
  if (texts.length !== want.length || !texts.some((x) => /[↑↓→]/.test(x))) throw new Error(`differences shown: ${texts.join(' | ')}`)
  const share = want.find((d) => d.figure.endsWith('Share') && d.difference)
  if (share && !texts.some((x) => x.includes('个百分点'))) throw new Error(`no difference in percentage points: ${texts.join(' | ')}`)
  await page.locator('[data-test=term-charts] canvas').first().waitFor()
  await shot(page, `${size}-term-comparison`)
  return page
})

test('training classes and a cohort', async (size) => {
  const data = await gql(`{ trainingClasses(first: 1, orderBy: { field: STARTS_ON, direction: DESC }) { totalCount edges { node { id name } } } }`)
  if (!data.trainingClasses.totalCount) throw new Error('the demo has no training class')
  const first = data.trainingClasses.edges[0].node
  const cohort = await gql(`query ($id: ID!) { trainingCohort(classID: $id) { trainees } }`, { id: first.id })
  const page = await newPage(size)
  await page.goto(`${base}/training`)
  await page.locator('[data-test=training-classes] [data-test=training-open]', { hasText: first.name }).first().click()
  const figures = page.locator('[data-test=cohort-figures]')
  await figures.waitFor()
  const trainees = (await figures.locator('.value').first().innerText()).trim()
  if (trainees !== String(cohort.trainingCohort.trainees)) throw new Error(`the drawer shows ${trainees} trainees, the API ${cohort.trainingCohort.trainees}`)
  await shot(page, `${size}-training-cohort`)
  // 学时统计: the hours of the county's 两委 cadres last year, fewest first,
  // with as many cadres as the API counts.
  await page.keyboard.press('Escape')
  await figures.waitFor({ state: 'hidden' })
  await page.locator('[data-test=training-tabs] .el-tabs__item', { hasText: '学时统计' }).click()
  const year = new Date().getFullYear() - 1
  const hours = await gql(`query ($c: String!, $y: Int!) { trainingHours(code: $c, year: $y, first: 1) { totalCount minimumHours } }`, { c: '150221', y: year })
  const hint = page.locator('[data-test=training-minimum]')
  await hint.waitFor()
  const text = await hint.innerText()
  if (!text.includes(String(hours.trainingHours.totalCount)) || !text.includes(String(hours.trainingHours.minimumHours))) {
    throw new Error(`the hours tab says "${text}", the API ${JSON.stringify(hours.trainingHours)}`)
  }
  if (hours.trainingHours.totalCount > 0) await page.locator('[data-test=training-hours-table] .el-table__row').first().waitFor()
  await shot(page, `${size}-training-hours`)
  return page
})

test("a person's assessment history", async (size) => {
  // A secretary of 土默特右旗 with several years of assessments, reached from their village's 本届班子与履职 tab.
  const data = await gql(`{ assessments(where: { year: 2024, hasRegionWith: [{ codeHasPrefix: "150221" }] }, first: 1, orderBy: { field: YEAR, direction: DESC }) {
    edges { node { region { code } person { id name assessments(orderBy: { field: YEAR, direction: DESC }) { edges { node { year grade } } } } } } } }`)
  const a = data.assessments.edges[0].node
  const history = a.person.assessments.edges.map((e) => e.node)
  if (history.length < 2) throw new Error(`the demo secretary has ${history.length} assessments`)
  const grades = { EXCELLENT: '优秀', COMPETENT: '称职', BASICALLY_COMPETENT: '基本称职', INCOMPETENT: '不称职' }
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/villages/${a.region.code}`)
  await page.getByRole('tab', { name: '本届班子与履职' }).click()
  await page.locator('[data-test=village-team] .el-table__row').first().waitFor()
  await page.locator('[data-test=duty-board] [data-test=duty-OPEN]').waitFor()
  // The village's audits of office, as many as the API holds for it.
  const audits = await gql(`query ($c: String!) { region(code: $c) { officeAudits { totalCount } } }`, { c: a.region.code }, tumedToken)
  const n = audits.region.officeAudits.totalCount
  const auditRows = page.locator('[data-test=village-audits] .el-table__body-wrapper .el-table__row')
  if (n > 0) await auditRows.nth(Math.min(n, 20) - 1).waitFor()
  else await page.locator('[data-test=village-audits]', { hasText: '暂无审计记录' }).waitFor()
  if ((await auditRows.count()) !== Math.min(n, 20)) throw new Error(`the village shows ${await auditRows.count()} audits, the API ${n}`)
  await shot(page, `${size}-village-term`)
  await page.locator('[data-test=village-team] a', { hasText: a.person.name }).first().click()
  await page.locator('[data-test=person-name]', { hasText: a.person.name }).waitFor()
  await page.getByRole('tab', { name: '考核与履职' }).click()
  const rows = page.locator('[data-test=assessments] .el-table__body-wrapper .el-table__row')
  await rows.nth(history.length - 1).waitFor()
  // Every year, newest first, with its grade in words.
  for (const [i, h] of history.entries()) {
    const year = (await rows.nth(i).locator('td').nth(0).innerText()).trim()
    const grade = (await rows.nth(i).locator('td').nth(1).innerText()).trim()
    if (year !== String(h.year) || grade !== grades[h.grade]) throw new Error(`row ${i + 1} reads ${year} ${grade}, want ${h.year} ${grades[h.grade]}`)
  }
  // The training and the education / party-status history tabs open.
  await page.getByRole('tab', { name: '培训' }).click()
  await page.locator('[data-test=enrolments]').waitFor()
  await page.getByRole('tab', { name: '学历与政治面貌' }).click()
  await page.locator('[data-test=attribute-history], .el-tab-pane:visible .el-empty').first().waitFor()
  await shot(page, `${size}-person-history`)
  return page
})

test('log an adviser contact', async (size) => {
  const data = await gql(`{ adviserAppointments(where: { endDateIsNil: true, hasVillageWith: [{ codeHasPrefix: "421002" }] }, first: 1) { edges { node { id village { code } person { name } contactLogs { totalCount } } } } }`)
  const a = data.adviserAppointments.edges[0].node
  const page = await newPage(size)
  await page.goto(`${base}/villages/${a.village.code}`)
  await page.getByRole('tab', { name: '顾问与专家' }).click()
  await page.locator('[data-test=advisers] .el-table__row').first().waitFor()
  await page.locator('[data-test=contact-adviser]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: a.person.name }).first().click()
  await page.locator('[data-test=contact-mode]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '电话' }).click()
  await page.locator('[data-test=contact-notes]').fill('端到端测试：电话了解项目进展')
  await page.locator('[data-test=contact-submit]').click()
  await page.locator('.el-message--success').waitFor()
  const after = await gql(`query ($id: ID!) { node(id: $id) { ... on AdviserAppointment { contactLogs { totalCount } } } }`, { id: a.id })
  if (after.node.contactLogs.totalCount !== a.contactLogs.totalCount + 1) {
    throw new Error(`contact logs ${a.contactLogs.totalCount} → ${after.node.contactLogs.totalCount}, want one more`)
  }
  await shot(page, `${size}-contact`)
  return page
})

test('a candidacy from the village to the county filing, each step by its own account', async (size) => {
  // 村级初审 (village) → 镇级复审 (township) → 联审 opinions and conclusion
  // (county) → appointment (township) → 备案 (county), in the web app.
  const role = size === 'desktop' ? ['COMMITTEE_MEMBER', '两委委员'] : ['DEPUTY_SECRETARY', '副书记']
  const me = (await gql(`{ me { regionCode } }`, {}, villageToken)).me
  const folk = await gql(
    `query ($c: String!) { people(first: 1, where: { hasHomeVillageWith: [{ code: $c }] }, orderBy: { field: NAME, direction: ASC }) { edges { node { id name } } } }`,
    { c: me.regionCode }, villageToken)
  const person = folk.people.edges[0].node
  const candidacy = async () =>
    (await gql(`query ($p: ID!) { candidacies(where: { hasPersonWith: [{ id: $p }], role: ${role[0]} }, first: 1) { edges { node { id state steps { totalCount } } } } }`, { p: person.id }, tumedToken))
      .candidacies.edges[0]?.node

  // The village proposes.
  let page = await newPage(size, villageToken)
  await page.goto(`${base}/inbox`)
  await page.locator('[data-test=propose]').click()
  await page.locator('[data-test=propose-person] input').fill(person.name.slice(0, 1))
  await page.locator('.el-select-dropdown__item:visible', { hasText: person.name }).first().click()
  await page.locator('[data-test=propose-role]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${role[1]}$`) }).click()
  await page.locator('[data-test=propose-round]').fill('端到端测试批次')
  await page.locator('[data-test=propose-opinion]').fill('群众公认，村级初审同意')
  await page.locator('[data-test=propose-submit]').click()
  await page.locator('.el-message--success').waitFor()
  const c = await candidacy()
  if (c?.state !== 'PROPOSED') throw new Error(`after the proposal: ${JSON.stringify(c)}`)
  await page.context().close()

  /** Opens the candidacy from the account's inbox and takes one step. */
  async function step(token, name, { body, opinion, shotName } = {}) {
    const p = await newPage(size, token)
    current = p
    await p.goto(`${base}/inbox`)
    const row = p.locator('[data-test=inbox-candidacies] .el-table__row', { hasText: person.name }).first()
    await row.waitFor()
    await row.locator('[data-test=handle]').click()
    await p.locator('[data-test=step-form]').waitFor()
    await p.locator('[data-test=step-step]').click()
    await p.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
    if (body) {
      // The body's select appears with the step chosen above: choose once it shows, and check it took.
      for (let i = 0; ; i++) {
        await p.locator('[data-test=step-body]').click()
        await p.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${body}$`) }).click()
        if ((await p.locator('[data-test=step-body]').innerText()).includes(body)) break
        if (i === 2) throw new Error(`the body ${body} was not chosen`)
        await p.keyboard.press('Escape')
        await p.waitForTimeout(300)
      }
    }
    if (opinion) await p.locator('[data-test=step-opinion]').fill(opinion)
    // What was chosen is still chosen when the opinion is written (a late answer must not undo it).
    if (!(await p.locator('[data-test=step-step]').innerText()).includes(name)) throw new Error(`the step ${name} was undone`)
    if (body && !(await p.locator('[data-test=step-body]').innerText()).includes(body)) throw new Error(`the body ${body} was undone`)
    await p.locator('[data-test=step-submit]').click()
    await p.locator('.el-message--success').waitFor()
    if (shotName) await shot(p, `${size}-${shotName}`)
    return p
  }
  await (await step(townshipToken, '镇级复审', { opinion: '镇级复审同意' })).context().close()
  // The village cannot take the township's step: its inbox does not offer it,
  // and the API refuses it.
  const refused = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${villageToken}` },
    body: JSON.stringify({ query: `mutation ($id: ID!) { takeCandidacyStep(id: $id, input: { step: COUNTY_DECISION, decision: APPROVED }) { id } }`, variables: { id: c.id } }),
  }).then((r) => r.json())
  if (refused.errors?.[0]?.extensions?.code !== 'FORBIDDEN') throw new Error(`the village took the county's step: ${JSON.stringify(refused)}`)
  for (const body of ['纪检监察', '公安']) await (await step(tumedToken, '联审部门意见', { body, opinion: `${body}：无不良记录` })).context().close()
  await (await step(tumedToken, '县级联审结论', { opinion: '联审通过' })).context().close()
  await (await step(townshipToken, '任命', {})).context().close()
  page = await step(tumedToken, '县级备案', { shotName: 'candidacy' })
  await page.locator('[data-test=candidacy-state]', { hasText: '已备案' }).waitFor()
  const steps = await page.locator('[data-test=candidacy-steps] .el-timeline-item').count()
  const done = await candidacy()
  if (done?.state !== 'FILED' || done.steps.totalCount !== 7 || steps !== 7) {
    throw new Error(`after the filing: ${JSON.stringify(done)}, ${steps} steps shown`)
  }
  return page
})

test('confirm a match', async (size) => {
  const page = await newPage(size)
  await page.goto(`${base}/matching?code=421002`)
  const first = page.locator('[data-test=demand]').first()
  await first.waitFor()
  const before = await page.locator('[data-test=demand]').count()
  await first.click()
  await page.locator('[data-test=candidate]').first().waitFor()
  await shot(page, `${size}-matching`)
  const demandText = await first.innerText()
  await page.locator('[data-test=confirm-match]').first().click()
  await page.locator('[data-test=confirmed-by]').fill('端到端测试')
  await page.locator('[data-test=confirm-submit]').click()
  await page.locator('.el-message--success').waitFor()
  await page.waitForFunction(
    ([n, text]) => {
      const items = [...document.querySelectorAll('[data-test=demand]')]
      return items.length === n - 1 || !items.some((i) => i.textContent === text)
    },
    [before, demandText],
  )
  return page
})

test('upload a bad workbook, follow the import job and see every row error', async (size) => {
  const file = join(tmp, 'bad-roster.xlsx')
  writeFileSync(file, badRoster())
  const page = await newPage(size)
  await page.goto(`${base}/import`)
  await page.locator('[data-test=import-file]').setInputFiles(file)
  await page.locator('[data-test=import-dry-run]').click()
  // The upload answers with a job at once; the page polls it to its end.
  await page.locator('[data-test=import-status]').waitFor()
  const rows = page.locator('[data-test=import-problems] .el-table__row')
  await rows.first().waitFor()
  const status = await page.locator('[data-test=import-status]').innerText()
  if (!status.includes('有错误')) throw new Error(`the job's status reads ${status}, want REJECTED`)
  const n = await rows.count()
  if (n !== 6) throw new Error(`${n} problems shown, want 6`)
  const text = await page.locator('[data-test=import-problems]').innerText()
  for (const want of ['人员', '性别', '男女', '身份证号', '必填项为空']) {
    if (!text.includes(want)) throw new Error(`the problems do not mention ${want}`)
  }
  if (/110105199001011234/.test(text)) throw new Error('the ID number is shown unmasked')
  if (!(await page.locator('[data-test=import-commit]').isDisabled())) throw new Error('commit is enabled despite problems')
  await shot(page, `${size}-import`)
  return page
})

test('a workbook dropped on the page is checked, and the import history finds the job', async (size) => {
  const page = await newPage(size)
  await page.goto(`${base}/import`)
  // A file dropped on the zone (desktop and tablet): the browser's own drag and drop.
  const name = `dropped-${size}.xlsx`
  const bytes = [...badRoster()]
  const transfer = await page.evaluateHandle(([name, bytes]) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
    return dt
  }, [name, bytes])
  await page.locator('[data-test=import-drop]').dispatchEvent('drop', { dataTransfer: transfer })
  await page.locator('[data-test=import-drop]', { hasText: name }).waitFor()
  await page.locator('[data-test=import-dry-run]').click()
  await page.locator('[data-test=import-problems] .el-table__row').first().waitFor()
  await page.getByRole('tab', { name: '导入记录' }).click()
  await listRows(page, 'imports').first().waitFor()
  await page.locator('[data-test=filter-file]').fill(name)
  await page.locator('[data-test=filter-file]').press('Enter')
  await waitTotal(page, 'imports', 1)
  await listRows(page, 'imports').first().click()
  await page.locator('[data-test=import-open]').click()
  const status = await page.locator('[data-test=import-status]').innerText()
  if (!status.includes('有错误')) throw new Error(`the job opened from the history reads ${status}`)
  return page
})

test('import problems grouped by kind, and the annotated workbook', async (size) => {
  const file = join(tmp, `annotate-${size}.xlsx`)
  writeFileSync(file, styledBadRoster())
  const page = await newPage(size)
  await page.goto(`${base}/import`)
  await page.locator('[data-test=import-file]').setInputFiles(file)
  await page.locator('[data-test=import-dry-run]').click()
  const groups = page.locator('[data-test=import-group]')
  await groups.first().waitFor()
  // Two unknown 性别 words, one bad date, one missing 姓名: a group each, with its count.
  const text = await page.locator('[data-test=import-groups]').innerText()
  if ((await groups.count()) < 3) throw new Error(`groups: ${text}`)
  if (!/×2/.test(text) || !/×1/.test(text)) throw new Error(`the groups do not count their problems: ${text}`)
  if (!text.includes('第2、3行') && !text.includes('第2,3行')) throw new Error(`the groups do not say where: ${text}`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=import-annotated]').click()])
  if (!download.suggestedFilename().endsWith('-问题标注.xlsx')) throw new Error(`downloaded ${download.suggestedFilename()}`)
  const saved = join(tmp, `annotated-${size}.xlsx`)
  await download.saveAs(saved)
  const entries = await unzip((await import('node:fs')).readFileSync(saved))
  if (!entries['xl/workbook.xml']?.includes('问题汇总')) throw new Error('the annotated workbook has no 问题汇总 sheet')
  const comments = Object.entries(entries).filter(([n]) => /^xl\/comments\d*\.xml$/.test(n)).map(([, c]) => c).join('')
  // The faulty cells carry a comment: 性别 of rows 2 and 3 (C2, C3), the date of row 2 (D2).
  for (const cell of ['C2', 'C3', 'D2']) {
    if (!comments.includes(`ref="${cell}"`)) throw new Error(`the annotated workbook has no comment on ${cell}: ${comments.slice(0, 300)}`)
  }
  await shot(page, `${size}-import-groups`)
  return page
})

test('map a county header the format does not know, then import', async (size) => {
  const no = `E2E-MAP-${size}`
  const file = join(tmp, `county-${size}.xlsx`)
  writeFileSync(file, countyRoster(no))
  const page = await newPage(size)
  await page.goto(`${base}/import`)
  await page.locator('[data-test=import-file]').setInputFiles(file)
  await page.locator('[data-test=import-dry-run]').click()
  // The dry run passes (an unknown column is only a warning) and offers the mapping.
  const mapping = page.locator('[data-test=column-mapping]')
  await mapping.waitFor()
  const header = await mapping.locator('[data-test=mapping-header]').allInnerTexts()
  if (header.join() !== '本人手机') throw new Error(`headers to map: ${header}`)
  await mapping.locator('[data-test="mapping-select-人员-本人手机"]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '联系电话' }).first().click()
  await page.locator('[data-test=mapping-recheck]').click()
  // Checked again with the mapping: nothing left to map, and the import may go.
  await mapping.waitFor({ state: 'detached' })
  await page.locator('[data-test=import-result]').waitFor()
  await page.waitForFunction(() => !document.querySelector('[data-test=import-commit]')?.hasAttribute('disabled'))
  await page.locator('[data-test=import-commit]').click()
  await page.waitForFunction(() => document.querySelector('[data-test=import-status]')?.textContent?.includes('已完成') && !!document.querySelector('[data-test=import-result]'))
  const d = await gql(`query($q: String!) { people(first: 1, where: { externalID: $q }) { edges { node { name phone } } } }`, { q: no })
  const person = d.people.edges[0]?.node
  if (!person || person.name !== '映射测试' || !(person.phone ?? '').startsWith('138')) throw new Error(`imported: ${JSON.stringify(d)}`)
  await shot(page, `${size}-import-mapped`)
  return page
})

test('a word the vocabulary lacks: add it as a term, check again, import', async (size) => {
  const no = `E2E-WORD-${size}`
  const word = size === 'phone' ? '试词乙' : '试词甲'
  const file = join(tmp, `words-${size}.xlsx`)
  writeFileSync(file, wordsRoster(no, word))
  const page = await newPage(size)
  await page.goto(`${base}/import`)
  await page.locator('[data-test=import-file]').setInputFiles(file)
  await page.locator('[data-test=import-dry-run]').click()
  const step = page.locator('[data-test=unknown-words]')
  await step.waitFor()
  const words = await step.locator('[data-test=unknown-word]').allInnerTexts()
  if (words.join() !== word) throw new Error(`unknown words: ${words}`)
  await step.locator(`[data-test="unknown-add-${word}"]`).click()
  await step.locator('[data-test=unknown-word-done]').waitFor()
  await page.locator('[data-test=unknown-recheck]').click()
  // The same file, checked again: nothing unknown, and the import may go.
  await step.waitFor({ state: 'detached' })
  await page.waitForFunction(() => !document.querySelector('[data-test=import-commit]')?.hasAttribute('disabled'))
  await page.locator('[data-test=import-commit]').click()
  await page.waitForFunction(() => document.querySelector('[data-test=import-status]')?.textContent?.includes('已完成') && !!document.querySelector('[data-test=import-result]'))
  const d = await gql(`query($q: String!) { people(first: 1, where: { externalID: $q }) { edges { node { tags } } } vocabulary(kind: PERSON_TAG) { code label } }`, { q: no })
  const term = d.vocabulary.find((t) => t.label === word)
  const tags = d.people.edges[0]?.node?.tags ?? []
  if (!term || !tags.includes(term.code) || !tags.includes('RETURNEE')) throw new Error(`imported: ${JSON.stringify(d)}`)
  // The vocabulary page lists the new term.
  await page.goto(`${base}/vocabulary`)
  await page.locator('[data-test=vocabulary-table]', { hasText: word }).waitFor()
  await shot(page, `${size}-vocabulary`)
  return page
})

test('search understands pinyin', async (size) => {
  const data = await gql(`{ search(query: "zh", kinds: [PERSON], first: 1) { node { ... on Person { name } } } }`)
  if (data.search.length === 0) throw new Error('the API finds nobody for "zh"')
  const page = await newPage(size)
  await page.goto(`${base}/`)
  await page.locator('[data-test=search]').fill('zh')
  await page.locator('[data-test=search-hit]').first().waitFor()
  await page.locator('[data-test=search-hit]').first().click()
  await page.waitForURL(/\/(people|institutions|regions|villages)\//)
  return page
})

test('dashboard charts, comparison and English', async (size) => {
  const page = await newPage(size)
  await page.goto(`${base}/dashboard?code=150221`)
  await page.locator('[data-test=dashboard-figures]').waitFor()
  await page.locator('[data-test=charts] canvas').first().waitFor()
  await page.locator('[data-test=children-table] .el-table__row').first().waitFor()
  await shot(page, `${size}-dashboard`)
  await page.locator('[data-test=locale]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'English' }).click()
  await page.getByText('Committee gender').first().waitFor()
  await page.goto(`${base}/alerts?code=421002`)
  await page.locator('[data-test=list-alerts] [data-test=list-table] .el-table__row, [data-test=list-alerts] [data-test=list-row]').first().waitFor()
  // In English at 1440 px every menu item is on screen, none under another element.
  if (size === 'desktop') {
    for (const item of await page.locator('[data-test=sidebar] .el-menu-item').all()) {
      const box = await item.boundingBox()
      if (!box || box.y + box.height > 900 + 1000) throw new Error(`a menu item is off screen: ${await item.innerText()}`)
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('.el-menu-item')?.textContent ?? '', [box.x + box.width / 2, box.y + box.height / 2])
      if (!hit.includes((await item.innerText()).trim())) throw new Error(`the menu item ${await item.innerText()} is covered (${hit})`)
    }
  }
  await shot(page, `${size}-alerts-en`)
  return page
})

test('mentoring explorer and partner university', async (size) => {
  const page = await newPage(size)
  await page.goto(`${base}/mentoring?code=150221`)
  await page.locator('[data-test=mentoring-graph] canvas').first().waitFor()
  await shot(page, `${size}-mentoring`)
  await page.goto(`${base}/institutions`)
  await page.locator('[data-test=institutions] a').first().click()
  await page.locator('[data-test=institution-name]').waitFor()
  await page.locator('[data-test=experts-table] .el-table__row, .el-empty').first().waitFor()
  await shot(page, `${size}-institution`)
  return page
})

// ── Issue 15: forms, lists and the bugs a new user hit ─────────────────────

/** Chooses an option of an Element Plus select by its text. */
async function choose(page, select, text) {
  await page.locator(select).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}
/** Types a name into a person picker and chooses the first match. */
async function pickPerson(page, test, name) {
  await page.locator(`[data-test=${test}]`).click()
  await page.locator(`[data-test=${test}] input`).fill(name)
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
}
/** The rows a list shows, table or cards. */
const listRows = (page, id) => page.locator(`[data-test=list-${id}] [data-test=list-table] .el-table__body-wrapper .el-table__row, [data-test=list-${id}] [data-test=list-row]`)
async function listTotal(page, id) {
  const text = await page.locator(`[data-test=list-${id}] [data-test=list-total]`).innerText()
  return Number(text.replace(/\D/g, ''))
}
async function waitTotal(page, id, want) {
  await page.waitForFunction(([id, want]) => Number(document.querySelector(`[data-test=list-${id}] [data-test=list-total]`)?.textContent?.replace(/\D/g, '')) === want, [id, want])
}

test('rosters: filter, page, export and the detail drawer', async (size) => {
  // The API's own counts, with this test's own filters.
  const all = await gql(`{ people(where: { hasPostsWith: [{ endDateIsNil: true, hasRegionWith: [{ codeHasPrefix: "150221" }] }] }) { totalCount } }`)
  const secretaries = await gql(`{ people(where: { hasPostsWith: [{ endDateIsNil: true, role: PARTY_SECRETARY, hasRegionWith: [{ codeHasPrefix: "150221" }] }] }) { totalCount } }`)
  const page = await newPage(size)
  await page.goto(`${base}/rosters/people?code=150221`)
  await waitTotal(page, 'people', all.people.totalCount)
  const first = await listRows(page, 'people').first().innerText()
  await page.locator('[data-test=list-people] [data-test=list-next]').click()
  await page.locator('[data-test=list-people] [data-test=list-page]', { hasText: '第 2 /' }).waitFor()
  await page.waitForFunction((f) => !document.querySelector('[data-test=list-people] .el-table__row, [data-test=list-people] [data-test=list-row]')?.textContent?.includes(f), first.split(/\s/)[0])
  await choose(page, '[data-test=list-people] [data-test=list-size]', '50')
  await page.locator('[data-test=list-people] [data-test=list-page]', { hasText: '第 1 /' }).waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-test=list-people] .el-table__body-wrapper .el-table__row, [data-test=list-people] [data-test=list-row]').length === 50)
  await choose(page, '[data-test=filter-role]', '党组织书记')
  await waitTotal(page, 'people', secretaries.people.totalCount)
  // The export is the whole filtered list.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=list-people] [data-test=list-export]').click()])
  const file = await download.path()
  const parts = await unzip((await import("node:fs")).readFileSync(file))
  const sheet = parts['xl/worksheets/sheet1.xml']
  const rows = (sheet.match(/<row /g) ?? []).length - 1
  if (rows !== secretaries.people.totalCount) throw new Error(`the export has ${rows} rows, the API ${secretaries.people.totalCount}`)
  if (!sheet.includes('党组织书记')) throw new Error('the export names posts by code, not in words')
  await listRows(page, 'people').first().click({ position: { x: 5, y: 5 } })
  await page.locator('[data-test=person-summary]').waitFor()
  await shot(page, `${size}-rosters`)
  await page.keyboard.press('Escape')
  // Advisers: 名誉书记 and 发展顾问 counted apart, as the API counts them.
  const counts = await gql(`{ h: adviserAppointments(where: { kind: HONORARY_SECRETARY, endDateIsNil: true, hasVillageWith: [{ codeHasPrefix: "421002" }] }) { totalCount } d: adviserAppointments(where: { kind: DEVELOPMENT_ADVISER, endDateIsNil: true, hasVillageWith: [{ codeHasPrefix: "421002" }] }) { totalCount } }`)
  await page.goto(`${base}/rosters/advisers?code=421002`)
  const line = page.locator('[data-test=adviser-counts]')
  await line.filter({ hasText: String(counts.h.totalCount) }).filter({ hasText: String(counts.d.totalCount) }).waitFor()
  await waitTotal(page, 'advisers', counts.h.totalCount + counts.d.totalCount + (await gql(`{ adviserAppointments(where: { kindNotIn: [HONORARY_SECRETARY, DEVELOPMENT_ADVISER], endDateIsNil: true, hasVillageWith: [{ codeHasPrefix: "421002" }] }) { totalCount } }`)).adviserAppointments.totalCount)
  for (const [tab, code] of [['experts', '421002'], ['resident', '130434'], ['mentorships', '150221']]) {
    await page.goto(`${base}/rosters/${tab}?code=${code}`)
    await listRows(page, tab).first().waitFor()
  }
  // A filter that matches nothing says so and offers to clear it.
  await page.locator('[data-test=list-mentorships] [data-test=filter-name]').fill('没有这个人')
  await page.locator('[data-test=list-mentorships] [data-test=filter-name]').press('Enter')
  await page.locator('[data-test=list-mentorships] [data-test=list-clear]').click()
  await listRows(page, 'mentorships').first().waitFor()
  return page
})

test('an admin appoints a secretary and ends the previous one', async (size) => {
  // A 一肩挑 village of 土默特右旗 with a reserve to promote.
  const data = await gql(`{ posts(where: { role: SECRETARY_AND_DIRECTOR, endDateIsNil: true, hasRegionWith: [{ codeHasPrefix: "150221", hasPostsWith: [{ role: RESERVE_CADRE, endDateIsNil: true }] }] }, first: 2) { edges { node { id startDate person { name } region { code posts(where: { role: RESERVE_CADRE, endDateIsNil: true }, first: 1) { edges { node { person { id name } } } } } } } } }`)
  const old = data.posts.edges[size === 'desktop' ? 0 : 1].node
  const next = old.region.posts.edges[0].node.person
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/villages/${old.region.code}`)
  await page.locator('[data-test=appoint]').click()
  await pickPerson(page, 'post-person', next.name)
  await choose(page, '[data-test=post-role]', '书记主任一肩挑')
  await page.locator('[data-test=post-replace]', { hasText: old.person.name }).waitFor()
  await choose(page, '[data-test=post-exit-kind]', '调任他职')
  await shot(page, `${size}-appoint`)
  await page.locator('[data-test=post-submit]').click()
  await page.locator('.el-message--success').waitFor()
  await page.locator('[data-test=committee] .el-table__row', { hasText: next.name }).filter({ hasText: '一肩挑' }).first().waitFor()
  const after = await gql(`query ($id: ID!) { node(id: $id) { ... on Post { endDate exitKind } } }`, { id: old.id })
  if (!after.node.endDate || after.node.exitKind !== 'TRANSFERRED') throw new Error(`the previous secretary's post reads ${JSON.stringify(after.node)}`)
  const held = await gql(`query ($c: String!) { posts(where: { role: SECRETARY_AND_DIRECTOR, endDateIsNil: true, hasRegionWith: [{ code: $c }] }) { edges { node { person { name } } } } }`, { c: old.region.code })
  if (held.posts.edges.length !== 1 || held.posts.edges[0].node.person.name !== next.name) throw new Error(`the village's secretaries: ${JSON.stringify(held.posts.edges)}`)
  // A server refusal is shown at its field: ending the new post before it began.
  const row = page.locator('[data-test=committee] .el-table__row', { hasText: next.name }).filter({ hasText: '书记主任一肩挑' }).first()
  await row.locator('[data-test=end-post]').click()
  await page.locator('[data-test=end-post-form] .el-date-editor input').first().fill('2000-01-01')
  await page.locator('[data-test=end-post-form] .el-date-editor input').first().press('Enter')
  await page.locator('[data-test=end-submit]').click()
  await page.locator('[data-test=end-post-form] .el-form-item__error, [data-test=end-post-form] [data-test=form-error]').first().waitFor()
  const msg = await page.locator('[data-test=end-post-form] .el-form-item__error, [data-test=end-post-form] [data-test=form-error]').first().innerText()
  if (/[a-z]{4,}/.test(msg)) throw new Error(`the refusal is not in Chinese: ${msg}`)
  return page
})

test('a township user adds a reserve', async (size) => {
  const me = await gql(`{ me { regionCode } }`, {}, townshipToken)
  const data = await gql(`query ($c: String!) { posts(where: { role: COMMITTEE_MEMBER, endDateIsNil: true, hasRegionWith: [{ codeHasPrefix: $c }], hasPersonWith: [{ not: { hasPostsWith: [{ role: RESERVE_CADRE, endDateIsNil: true }] } }] }, first: 2) { edges { node { person { id name } region { id code } } } } }`, { c: me.me.regionCode }, townshipToken)
  const who = data.posts.edges[size === 'desktop' ? 0 : 1].node
  const before = await gql(`query ($c: String!) { posts(where: { role: RESERVE_CADRE, endDateIsNil: true, hasRegionWith: [{ code: $c }] }) { totalCount } }`, { c: who.region.code })
  const page = await newPage(size, townshipToken)
  await page.goto(`${base}/villages/${who.region.code}`)
  await page.locator('[data-test=add-reserve]').click()
  await pickPerson(page, 'post-person', who.person.name)
  await choose(page, '[data-test=post-list]', '书记培养对象')
  await page.locator('[data-test=post-submit]').click()
  await page.locator('.el-message--success').waitFor()
  await page.locator('[data-test=reserves] [data-test=reserve]', { hasText: who.person.name }).waitFor()
  const after = await gql(`query ($c: String!) { posts(where: { role: RESERVE_CADRE, endDateIsNil: true, hasRegionWith: [{ code: $c }] }) { totalCount } }`, { c: who.region.code })
  if (after.posts.totalCount !== before.posts.totalCount + 1) throw new Error(`reserves ${before.posts.totalCount} → ${after.posts.totalCount}`)
  return page
})

test('a county clerk keeps the records of a file and of a village', async (size) => {
  const i = size === 'desktop' ? 0 : 2
  const data = await gql(`{ posts(where: { role: COMMITTEE_MEMBER, endDateIsNil: true, hasRegionWith: [{ codeHasPrefix: "150221" }] }, first: 4, orderBy: { field: START_DATE }) { edges { node { person { id name assessments { edges { node { year } } } mentorshipsAsMentor { totalCount } } region { id code } } } } }`, {}, tumedToken)
  const { person: who, region } = data.posts.edges[i].node
  const mentee = data.posts.edges[i + 1].node.person
  const taken = new Set(who.assessments.edges.map((e) => e.node.year))
  let year = 2015
  while (taken.has(year)) year++
  const assessments = async () => (await gql(`query ($id: ID!) { node(id: $id) { ... on Person { assessments { edges { node { id year grade pledge } } } mentorshipsAsMentor { edges { node { id status mentee { id } } } } } } }`, { id: who.id }, tumedToken)).node
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/people/${encodeURIComponent(who.id)}`)

  // 年度考核: add, edit, delete
  await page.getByRole('tab', { name: '考核与履职' }).click()
  await page.locator('[data-test=add-assessment]').click()
  const form = page.locator('[data-test=record-form-assessment]')
  await form.locator('[data-test=record-year] input').fill(String(year))
  await choose(page, '[data-test=record-grade]', '优秀')
  await form.locator('[data-test=record-pledge]').fill('端到端：修通村道')
  await form.locator('[data-test=record-submit]').click()
  await page.locator('.el-message--success').first().waitFor()
  const row = page.locator('[data-test=assessments] .el-table__row', { hasText: '端到端：修通村道' })
  await row.waitFor()
  let saved = (await assessments()).assessments.edges.map((e) => e.node).find((a) => a.year === year)
  if (!saved || saved.grade !== 'EXCELLENT') throw new Error(`assessment of ${year}: ${JSON.stringify(saved)}`)
  await row.locator('[data-test=row-edit]').click()
  await form.locator('[data-test=record-pledge]').fill('端到端：修通村道，建成冷库')
  await form.locator('[data-test=record-submit]').click()
  await page.locator('[data-test=assessments] .el-table__row', { hasText: '建成冷库' }).waitFor()
  saved = (await assessments()).assessments.edges.map((e) => e.node).find((a) => a.year === year)
  if (saved.pledge !== '端到端：修通村道，建成冷库' || saved.grade !== 'EXCELLENT') throw new Error(`edited: ${JSON.stringify(saved)}`)
  await page.locator('[data-test=assessments] .el-table__row', { hasText: '建成冷库' }).locator('[data-test=row-remove]').click()
  await page.locator('.el-popconfirm .el-button--primary:visible').click()
  await page.locator('[data-test=assessments] .el-table__row', { hasText: '建成冷库' }).waitFor({ state: 'detached' })
  if ((await assessments()).assessments.edges.some((e) => e.node.year === year)) throw new Error('the assessment is still there')

  // 结对帮带: start, then end with its outcome
  await page.getByRole('tab', { name: '履历' }).click()
  await page.locator('[data-test=add-mentorship]').click()
  await pickPerson(page, 'record-menteeID', mentee.name)
  await choose(page, '[data-test=record-program]', '师带徒')
  await page.locator('[data-test=record-form-mentorship] [data-test=record-submit]').click()
  await page.locator('.el-message--success').first().waitFor()
  let pairs = (await assessments()).mentorshipsAsMentor.edges.map((e) => e.node)
  if (pairs.length !== who.mentorshipsAsMentor.totalCount + 1) throw new Error(`${pairs.length} mentorships, want ${who.mentorshipsAsMentor.totalCount + 1}`)
  await page.locator('[data-test=mentors] li', { hasText: mentee.name }).first().locator('[data-test=row-end]').click()
  await choose(page, '[data-test=record-ending]', '解除')
  await page.locator('[data-test=record-form-mentorship] [data-test=record-outcome]').fill('端到端：外出务工，解除结对')
  await page.locator('[data-test=record-form-mentorship] [data-test=record-submit]').click()
  await page.locator('.el-message--success').first().waitFor()
  pairs = (await assessments()).mentorshipsAsMentor.edges.map((e) => e.node)
  if (!pairs.some((m) => m.status === 'DISSOLVED')) throw new Error(`no dissolved pair among ${JSON.stringify(pairs)}`)

  // 需求: a village files one, then closes it
  await page.goto(`${base}/villages/${region.code}`)
  await page.getByRole('tab', { name: '需求与成效' }).click()
  await page.locator('[data-test=add-demand]').click()
  await choose(page, '[data-test=record-field]', '家禽家畜')
  const text = `端到端：肉牛养殖技术指导 ${size}`
  await page.locator('[data-test=record-form-demand] [data-test=record-description]').fill(text)
  await page.locator('[data-test=record-form-demand] [data-test=record-submit]').click()
  const demandRow = page.locator('[data-test=demands] .el-table__row', { hasText: text })
  await demandRow.waitFor()
  await demandRow.locator('[data-test=row-end]').click()
  await page.locator('[data-test=record-form-demand] [data-test=record-submit]').click()
  await page.locator('[data-test=demands] .el-table__row', { hasText: text }).locator('[data-test=row-end]').waitFor({ state: 'detached' })
  const demands = await gql(`query ($c: String!) { region(code: $c) { demands(where: { descriptionContains: "肉牛养殖技术指导 ${size}" }) { edges { node { status closedOn } } } } }`, { c: region.code }, tumedToken)
  const d = demands.region.demands.edges.map((e) => e.node)
  if (d.length !== 1 || d[0].status !== 'DONE' || !d[0].closedOn) throw new Error(`demand: ${JSON.stringify(d)}`)
  return page
})

test('a county admin groups villages into a 片区 and files a work team; a township user may not', async (size) => {
  const me = await gql(`{ me { regionCode } }`, {}, townshipToken)
  const township = await gql(`query ($c: String!) { region(code: $c) { children(first: 4) { edges { node { id code name } } } } }`, { c: me.me.regionCode }, townshipToken)
  const [a, b] = township.region.children.edges.map((e) => e.node).slice(size === 'desktop' ? 0 : 2)
  // The township sees its areas but may not set them (the server's rule for 片区 and 工作队).
  const look = await newPage(size, townshipToken)
  await look.goto(`${base}/regions/${me.me.regionCode}`)
  await look.locator('[data-test=region-children]').waitFor()
  if (await look.locator('[data-test=add-residentArea]').count()) throw new Error('a township user is offered a 片区 form the server refuses')
  await look.close()
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/regions/${me.me.regionCode}`)
  await page.locator('[data-test=add-residentArea]').click()
  const form = page.locator('[data-test=record-form-residentArea]')
  const name = `端到端片区 ${size}`
  await form.locator('[data-test=record-name]').fill(name)
  await choose(page, '[data-test=record-villageIDs]', a.name)
  await page.keyboard.press('Escape')
  await choose(page, '[data-test=record-villageIDs]', b.name)
  await page.keyboard.press('Escape')
  await form.locator('[data-test=record-submit]').click()
  const row = page.locator('[data-test=resident-areas] .el-table__row', { hasText: name })
  await row.waitFor()
  for (const v of [a, b]) if (!(await row.innerText()).includes(v.name)) throw new Error(`the area does not list ${v.name}`)
  // Edit: one village leaves the area.
  await row.locator('[data-test=row-edit]').click()
  await form.locator(`[data-test=record-villageIDs] .el-tag:has-text("${b.name}") .el-tag__close`).click()
  await form.locator('[data-test=record-submit]').click()
  await page.waitForFunction(([name, b]) => [...document.querySelectorAll('[data-test=resident-areas] .el-table__row')].some((r) => r.textContent.includes(name) && !r.textContent.includes(b)), [name, b.name])
  const areas = await gql(`query ($c: String!) { region(code: $c) { residentAreas { edges { node { name villages { edges { node { code } } } } } } } }`, { c: me.me.regionCode }, tumedToken)
  const area = areas.region.residentAreas.edges.map((e) => e.node).find((x) => x.name === name)
  const codes = area.villages.edges.map((e) => e.node.code)
  if (codes.length !== 1 || codes[0] !== a.code) throw new Error(`the area's villages: ${codes}`)

  // A village's 驻村工作队
  await page.goto(`${base}/villages/${a.code}`)
  await page.getByRole('tab', { name: '班子与后备' }).click()
  await page.locator('[data-test=add-residentTeam]').click()
  const team = `端到端工作队 ${size}`
  await page.locator('[data-test=record-form-residentTeam] [data-test=record-name]').fill(team)
  await page.locator('[data-test=record-form-residentTeam] [data-test=record-sendingUnits]').fill('县农业农村局\n县财政局')
  await page.locator('[data-test=record-form-residentTeam] [data-test=record-submit]').click()
  await page.locator('[data-test=resident-teams] .el-table__row', { hasText: team }).waitFor()
  const teams = await gql(`query ($c: String!) { region(code: $c) { residentTeams { edges { node { name dispatchLevel sendingUnits } } } } }`, { c: a.code }, tumedToken)
  const t = teams.region.residentTeams.edges.map((e) => e.node).find((x) => x.name === team)
  if (!t || t.dispatchLevel !== 'COUNTY' || t.sendingUnits.join('|') !== '县农业农村局|县财政局') throw new Error(`the team: ${JSON.stringify(t)}`)
  return page
})

test('a village user logs a contact', async (size) => {
  const me = await gql(`{ me { regionCode } }`, {}, villageToken)
  const village = await gql(`query ($c: String!) { region(code: $c) { id } people(where: { hasPostsWith: [{ role: COMMITTEE_MEMBER }] }, first: 1) { edges { node { id } } } }`, { c: me.me.regionCode })
  // The demo village of the account has no adviser: the county appoints one first.
  const adviser = await gql(`mutation ($in: CreatePersonInput!) { createPerson(input: $in) { id name } }`, { in: { name: size === 'desktop' ? '顾问甲' : '顾问乙', professionalTitle: '教授' } }, tumedToken)
  const a = await gql(`mutation ($in: CreateAdviserAppointmentInput!) { createAdviserAppointment(input: $in) { id } }`, { in: { personID: adviser.createPerson.id, villageID: village.region.id, kind: 'DEVELOPMENT_ADVISER', startDate: '2025-01-01' } }, tumedToken)
  const page = await newPage(size, villageToken)
  await page.goto(`${base}/villages/${me.me.regionCode}`)
  await page.getByRole('tab', { name: '顾问与专家' }).click()
  await choose(page, '[data-test=contact-adviser]', adviser.createPerson.name)
  await page.locator('[data-test=contact-notes]').fill('端到端测试：村里登记走访')
  await page.locator('[data-test=contact-submit]').click()
  await page.locator('.el-message--success').waitFor()
  const after = await gql(`query ($id: ID!) { node(id: $id) { ... on AdviserAppointment { contactLogs { totalCount } } } }`, { id: a.createAdviserAppointment.id })
  if (after.node.contactLogs.totalCount !== 1) throw new Error(`${after.node.contactLogs.totalCount} contact logs, want 1`)
  return page
})

test('offline on a village road: the contact waits, survives a reload, is sent once when back, and a lost answer is not a duplicate', async (size) => {
  const me = await gql(`{ me { regionCode } }`, {}, villageToken)
  const village = await gql(`query ($c: String!) { region(code: $c) { id name } }`, { c: me.me.regionCode })
  const adviser = await gql(`mutation ($in: CreatePersonInput!) { createPerson(input: $in) { id name } }`, { in: { name: size === 'desktop' ? '离线顾问甲' : '离线顾问乙' } }, tumedToken)
  const a = await gql(`mutation ($in: CreateAdviserAppointmentInput!) { createAdviserAppointment(input: $in) { id } }`, { in: { personID: adviser.createPerson.id, villageID: village.region.id, kind: 'HONORARY_SECRETARY', startDate: '2025-03-01' } }, tumedToken)
  const logs = async () => (await gql(`query ($id: ID!) { node(id: $id) { ... on AdviserAppointment { contactLogs { totalCount } } } }`, { id: a.createAdviserAppointment.id })).node.contactLogs.totalCount
  let page = await newPage(size, villageToken)
  await page.goto(`${base}/villages/${me.me.regionCode}`)
  // Installed as a PWA: the worker keeps the app's shell.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
  const manifest = await (await fetch(`${base}/manifest.json`)).json()
  if (manifest.display !== 'standalone' || !manifest.icons?.length) throw new Error(`manifest: ${JSON.stringify(manifest)}`)
  const contact = async (notes) => {
    await page.getByRole('tab', { name: '顾问与专家' }).click()
    await choose(page, '[data-test=contact-adviser]', adviser.createPerson.name)
    await page.locator('[data-test=contact-notes]').fill(notes)
    await page.locator('[data-test=contact-submit]').click()
  }

  await page.context().setOffline(true)
  await contact('端到端：路上没有信号')
  await page.locator('.el-message--warning').first().waitFor()
  await page.locator('[data-test=outbox-count]', { hasText: '1' }).waitFor()
  if ((await logs()) !== 0) throw new Error('written although offline')
  // The shell opens offline, and the kept entry is still there.
  await page.reload()
  await page.locator('[data-test=outbox-count]', { hasText: '1' }).waitFor()
  await page.context().setOffline(false)
  await page.locator('[data-test=outbox]').waitFor({ state: 'detached', timeout: 20_000 })
  if ((await logs()) !== 1) throw new Error(`${await logs()} contact logs after coming back online, want 1`)

  // The answer is lost on the way back: the server wrote it, the phone does not know.
  // (A page without the worker: requests a service worker sees escape Playwright's routing.)
  page.problems = []
  await page.context().close()
  page = await newPage(size, villageToken, { serviceWorkers: 'block' })
  await page.goto(`${base}/villages/${me.me.regionCode}`)
  await page.locator('[data-test=village-title]').waitFor({ timeout: 30_000 })
  let lost = false
  await page.route('**/graphql', async (route) => {
    if (!lost && route.request().headers()['idempotency-key']) {
      lost = true
      await route.fetch()
      return route.abort('failed')
    }
    return route.continue()
  })
  await contact('端到端：回答丢了')
  await page.locator('[data-test=outbox-count]', { hasText: '1' }).waitFor()
  if (!lost || (await logs()) !== 2) throw new Error(`the lost answer's write: ${await logs()} logs`)
  await page.unroute('**/graphql')
  await page.locator('[data-test=outbox]').click()
  await page.locator('[data-test=outbox-send]').click()
  await page.locator('[data-test=outbox]').waitFor({ state: 'detached' })
  if ((await logs()) !== 2) throw new Error(`${await logs()} contact logs after the retry, want 2 (no duplicate)`)
  // Requests failed while the phone was offline and when the answer was cut: as they should.
  page.problems = page.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED|Failed to fetch|net::|NetworkError|GraphQL|Failed to load resource/.test(p))
  return page
})

test('a partner adds a service record and pages through them all', async (size) => {
  const data = await gql(`{ me { institutionID } expertAssignments(where: { endDateIsNil: true }, first: 1, orderBy: { field: START_DATE }) { edges { node { id expert { id name } serviceRecords { totalCount } } } } }`, {}, partnerToken)
  const a = data.expertAssignments.edges[0].node
  if (a.serviceRecords.totalCount <= 10) throw new Error('the demo expert has too few records to page')
  const page = await newPage(size, partnerToken)
  await page.goto(`${base}/institutions/${data.me.institutionID}`)
  // A placement is named, not a link that would bounce a partner home.
  await page.locator('[data-test=placement]').first().waitFor()
  await page.goto(`${base}/people/${encodeURIComponent(a.expert.id)}`)
  await page.getByRole('tab', { name: '聘任与服务' }).click()
  await waitTotal(page, 'service-records', a.serviceRecords.totalCount)
  await page.locator('[data-test=list-service-records] [data-test=list-next]').first().click()
  await page.locator('[data-test=list-service-records] [data-test=list-page]', { hasText: '第 2 /' }).first().waitFor()
  await page.locator('[data-test=service-add]').first().click()
  await choose(page, '[data-test=service-kind]', '培训')
  await page.locator('[data-test=service-notes]').fill('端到端测试：现场培训')
  await page.locator('[data-test=service-submit]').click()
  await page.locator('.el-message--success').waitFor()
  await waitTotal(page, 'service-records', a.serviceRecords.totalCount + 1)
  // Another university's page says the partner may not see it.
  const other = await gql(`query ($id: ID!) { institutions(where: { idNEQ: $id, kindIn: [UNIVERSITY] }, first: 1) { edges { node { id } } } }`, { id: data.me.institutionID })
  await page.goto(`${base}/institutions/${other.institutions.edges[0].node.id}`)
  await page.locator('[data-test=not-yours]').waitFor()
  return page
})

test('an admin creates an account and grants personal-data access', async (size) => {
  const name = `e2e-${size}-${Date.now() % 100000}`
  // The county's admin: only an admin who has personal-data access may grant it.
  const page = await newPage(size, tumedToken)
  await page.goto(`${base}/accounts`)
  await listRows(page, 'accounts').first().waitFor()
  await page.locator('[data-test=account-new]').click()
  await page.locator('[data-test=new-username]').fill(name)
  await choose(page, '[data-test=new-role]', '乡镇')
  for (const [i, n] of [[1, '内蒙古'], [2, '包头'], [3, '土默特右旗'], [4, '萨拉齐镇']]) await choose(page, `[data-test=new-region] [data-test=region-level-${i}]`, n)
  await page.locator('[data-test=new-submit]').click()
  await page.locator('[data-test=generated-password] code').waitFor()
  const password = (await page.locator('[data-test=generated-password] code').innerText()).trim()
  await page.locator('[data-test=list-accounts] [data-test=filter-name]').fill(name)
  await page.locator('[data-test=list-accounts] [data-test=filter-name]').press('Enter')
  await waitTotal(page, 'accounts', 1)
  await listRows(page, 'accounts').first().click({ position: { x: 5, y: 5 } })
  await page.locator('[data-test=account-pii]').click()
  await page.locator('[data-test=account-save]').click()
  await page.locator('.el-message--success', { hasText: '账号已保存' }).waitFor()
  const u = await gql(`query ($n: String!) { users(where: { username: $n }) { edges { node { role regionCode personalDataAccess } } } }`, { n: name })
  const got = u.users.edges[0]?.node
  if (!got || got.role !== 'TOWNSHIP' || got.regionCode !== '150221104' || !got.personalDataAccess) throw new Error(`the account reads ${JSON.stringify(got)}`)
  // The generated password signs in.
  await gql(`mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`, { u: name, p: password }, '')
  return page
})

test('every user changes their own password', async (size) => {
  const name = `pw-${size}-${Date.now() % 100000}`
  const made = await gql(`mutation ($in: CreateUserInput!) { createUser(input: $in) { password } }`, { in: { username: name, role: 'VILLAGE', regionCode: '150221104200' } })
  const token = (await gql(`mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`, { u: name, p: made.createUser.password }, '')).login.token
  const page = await newPage(size, token)
  await page.goto(`${base}/villages/150221104200`)
  await page.locator('[data-test=village-title]').waitFor()
  // The menu (a drawer on the phone) opens once the page has settled; open it again if a late render closed it.
  const menu = size === 'phone' ? page.locator('[data-test=menu-button]') : page.locator('[data-test=who]')
  for (let i = 0; !(await page.locator('[data-test=change-password]:visible').count()); i++) {
    if (i === 4) throw new Error('the menu does not open')
    await menu.click()
    await page.waitForTimeout(400 * (i + 1))
  }
  await page.locator('[data-test=change-password]:visible').click()
  await page.locator('[data-test=password-current]').fill('not-the-password')
  await page.locator('[data-test=password-new]').fill('a-new-password-2026')
  await page.locator('[data-test=password-again]').fill('a-new-password-2026')
  await page.locator('[data-test=password-submit]').click()
  await page.locator('[data-test=password-dialog] .el-form-item__error').first().waitFor()
  await page.locator('[data-test=password-current]').fill(made.createUser.password)
  await page.locator('[data-test=password-submit]').click()
  await page.locator('.el-message--success').waitFor()
  await gql(`mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }`, { u: name, p: 'a-new-password-2026' }, '')
  return page
})

test('alerts name the person or pair and lead to them', async (size) => {
  const page = await newPage(size)
  await page.goto(`${base}/alerts?code=150221`)
  await choose(page, '[data-test=alert-kinds]', '帮带')
  await page.keyboard.press('Escape')
  await listRows(page, 'alerts').first().waitFor()
  const subject = page.locator('[data-test=list-alerts] [data-test=alert-subject]').first()
  const text = await subject.innerText()
  if (!text.includes('→')) throw new Error(`a mentoring alert names ${text}, not the pair`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=list-alerts] [data-test=list-export]').click()])
  if (!download.suggestedFilename().endsWith('.xlsx')) throw new Error(`the alerts export is ${download.suggestedFilename()}`)
  await subject.locator('a').last().click()
  await page.waitForURL(/\/people\//)
  return page
})

test('villages and communities are counted apart', async (size) => {
  const s = await gql(`{ regionStatistics(code: "150221") { villages communities } v: regions(within: "150221", where: { level: VILLAGE, kind: COMMUNITY }) { totalCount } }`)
  const page = await newPage(size)
  await page.goto(`${base}/regions/150221`)
  await page.locator('[data-test=figure-villages]', { hasText: String(s.regionStatistics.villages) }).waitFor()
  if (s.regionStatistics.communities > 0) await page.locator('[data-test=figure-communities]', { hasText: String(s.regionStatistics.communities) }).waitFor()
  await page.goto(`${base}/dashboard?code=150221`)
  await page.locator('[data-test=figure-villages]', { hasText: String(s.regionStatistics.villages) }).waitFor()
  await page.locator('[data-test=as-of]').waitFor()
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=chart-png]').first().click()])
  if (!png.suggestedFilename().endsWith('.png')) throw new Error(`the chart saves as ${png.suggestedFilename()}`)
  return page
})

test('the bugs a new user hit', async (size) => {
  const page = await newPage(size)
  // The mentoring network shows each pair once: never more than the county has.
  const m = await gql(`{ mentorships(where: { hasRegionWith: [{ codeHasPrefix: "150221" }] }) { totalCount } }`)
  await page.goto(`${base}/mentoring?code=150221`)
  await page.locator('[data-test=mentoring-graph] canvas').first().waitFor()
  const shown = page.locator('[data-test=mentoring-shown]')
  await shown.waitFor()
  const [n, total] = (await shown.innerText()).match(/\d+/g).map(Number)
  if (total !== m.mentorships.totalCount || n !== Math.min(total, 400)) throw new Error(`the network says ${await shown.innerText()}, the API has ${m.mentorships.totalCount}`)
  // A search with no match says so.
  await page.goto(`${base}/`)
  if (size === 'desktop') {
    await page.locator('[data-test=search]').fill('查无此人甲乙丙')
    await page.locator('[data-test=search-none]').waitFor()
  }
  // 一肩挑: the secretary of the village is found by "who held it".
  const one = await gql(`{ posts(where: { role: SECRETARY_AND_DIRECTOR, endDateIsNil: true, hasRegionWith: [{ codeHasPrefix: "130434" }] }, first: 1) { edges { node { person { name } region { code } } } } }`)
  const p = one.posts.edges[0].node
  await page.goto(`${base}/villages/${p.region.code}`)
  await page.getByRole('tab', { name: '历史' }).click()
  await page.locator('[data-test=holders]', { hasText: p.person.name }).waitFor()
  // A blank 职称 reads "—".
  const blank = await gql(`{ people(where: { professionalTitleIsNil: true, hasPostsWith: [{ role: COMMITTEE_MEMBER }] }, first: 1) { edges { node { id } } } }`)
  await page.goto(`${base}/people/${encodeURIComponent(blank.people.edges[0].node.id)}`)
  const title = (await page.locator('[data-test=professional-title]').innerText()).trim()
  if (title !== '—') throw new Error(`a blank 职称 reads "${title}"`)
  // The breadcrumb leads back to the village, and the printable file renders.
  await page.locator('[data-test=person-breadcrumb]').waitFor()
  await page.locator('[data-test=person-print-link]').click()
  await page.locator('[data-test=person-print] [data-test=print-resume]').waitFor()
  await shot(page, `${size}-person-print`)
  // The CSP lets Element Plus draw its icons (console errors fail the test).
  await page.goto(`${base}/alerts?code=150221`)
  await page.locator('[data-test=alert-kinds]').click()
  await page.locator('.el-select-dropdown__item:visible').first().waitFor()
  return page
})

test('every page, for the screenshots', async (size) => {
  const page = await newPage(size)
  for (const [path, name, wait] of [
    ['/inbox', 'inbox', 'h1'],
    ['/training', 'training', 'h1'],
    ['/terms/compare?code=150221', 'terms', 'h1'],
    ['/matching', 'matching', 'h1'],
    ['/import', 'import', 'h1'],
    ['/vocabulary', 'vocabulary', 'h1'],
    ['/audit', 'audit', '[data-test=list-audit] [data-test=list-total]'],
    ['/accounts', 'accounts', '[data-test=list-accounts] [data-test=list-total]'],
    ['/rosters/experts?code=421002', 'rosters-experts', '[data-test=list-experts] [data-test=list-total]'],
    ['/alerts?code=150221', 'alerts', '[data-test=list-alerts] [data-test=list-total]'],
  ]) {
    await page.goto(`${base}${path}`)
    await page.locator(wait).first().waitFor()
    await shot(page, `${size}-page-${name}`)
  }
  // The audit log shows this run's writes, who made them.
  await page.goto(`${base}/audit`)
  await listRows(page, 'audit').first().click({ position: { x: 5, y: 5 } })
  await page.locator('[data-test=audit-changes]').waitFor()
  return page
})

// ── Run ──────────────────────────────────────────────────────────────────
let passed = 0
let failed = 0
const started = Date.now()
// E2E_ONLY=words runs only the tests whose name contains them.
const only = process.env.E2E_ONLY ?? ''
for (const size of ['desktop', 'phone']) {
  for (const t of tests.filter((t) => t.name.includes(only) && !(t.once && size !== 'desktop'))) {
    const name = `${t.name} (${size})`
    const t0 = Date.now()
    let page
    current = null
    try {
      page = await Promise.race([
        t.fn(size),
        new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 60 s')), 60_000)),
      ])
      // A test without a page (null) checks the server alone.
      await page?.waitForLoadState('networkidle').catch(() => {})
      if (page?.problems.length) throw new Error(`console errors:\n    ${page.problems.join('\n    ')}`)
      passed++
      console.log(`ok   ${name} (${Date.now() - t0} ms)`)
    } catch (e) {
      failed++
      console.log(`FAIL ${name}: ${e.message}`)
      page = page ?? current
      await page?.screenshot({ path: join(results, `FAIL-${size}-${tests.indexOf(t) + 1}.png`), fullPage: true }).catch(() => {})
    } finally {
      await (page ?? current)?.context().close().catch(() => {})
    }
  }
}
await browser.close()
console.log(`e2e: screenshots in ${results}; ${((Date.now() - started) / 1000).toFixed(1)} s`)
console.log(`e2e: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)

package demo

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"yanzhen/database"
	"yanzhen/insight/figures"
	"yanzhen/insight/searchkey"
	"yanzhen/regioncode"
	"yanzhen/scope/places"
)

// GenerateOptions tune Generate.
type GenerateOptions struct {
	// Seed selects the population: the same seed over the same regions
	// gives the same people. Zero means 1. People of one seed carry external
	// IDs "GEN<seed>-<number>", so a seed can be generated once per database.
	Seed uint64
	// Within restricts the population to the villages under a region code;
	// empty means every imported village-level region.
	Within string
	// AsOf is the day ages and start dates are measured from; zero means
	// DefaultAsOf.
	AsOf time.Time
	// Progress, when set, receives a line per batch.
	Progress io.Writer
	// Batch is the number of people written between two progress lines
	// (default 50,000).
	Batch int
	// Indexes says whether, on PostgreSQL, the plain indexes and foreign keys
	// of the tables written are dropped for the load and rebuilt at the end
	// (see IndexMode).
	Indexes IndexMode
}

// IndexMode chooses how Generate maintains indexes on PostgreSQL.
type IndexMode int

const (
	// IndexAuto rebuilds when the run writes at least 50,000 people and at
	// least as many as the people table holds.
	IndexAuto IndexMode = iota
	// IndexRebuild always rebuilds.
	IndexRebuild
	// IndexKeep maintains the indexes row by row.
	IndexKeep
)

// GenerateSummary tells what Generate wrote.
type GenerateSummary struct {
	People      int
	Posts       int
	Mentorships int
	Villages    int
	Duration    time.Duration
}

// PeoplePerSecond is the write rate.
func (s GenerateSummary) PeoplePerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.People) / s.Duration.Seconds()
}

func (s GenerateSummary) String() string {
	return fmt.Sprintf("generated %d people, %d posts, %d mentorships over %d villages in %s (%.0f people/s)",
		s.People, s.Posts, s.Mentorships, s.Villages, s.Duration.Round(time.Millisecond), s.PeoplePerSecond())
}

// Generate writes a synthetic population of people over the village-level
// regions, in one transaction, for load tests. People are spread evenly over
// the villages in code order. In each village the first person becomes its
// secretary when it has no current one, the next up to four committee
// members (a 村委会主任 when the secretary is not 一肩挑), the next up to
// three reserve cadres on the three lists, each mentored (青蓝结对) by the
// village's first new cadre; whoever is left is a resident of the talent pool
// with tags. On PostgreSQL rows go in with COPY, on SQLite with multi-row
// INSERTs. The graph rules hold by construction: one secretary per village,
// mentors never mentored in the same run.
func Generate(ctx context.Context, db *database.DB, people int, opts GenerateOptions) (GenerateSummary, error) {
	started := time.Now()
	var sum GenerateSummary
	if people <= 0 {
		return sum, errors.New("demo: the number of people to generate must be positive")
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.AsOf.IsZero() {
		opts.AsOf = DefaultAsOf
	}
	if opts.Batch <= 0 {
		opts.Batch = 50_000
	}
	g := &generator{
		db:     db,
		pg:     db.Dialect == dialect.Postgres,
		r:      rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15)),
		asOf:   opts.AsOf,
		prefix: fmt.Sprintf("GEN%d-", opts.Seed),
		now:    time.Now().UTC(),
		keys:   map[string]nameKeys{},
	}
	g.surnameCum = cumulative(surnames)

	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return sum, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	g.conn, g.tx = conn, tx

	var exists int
	err = tx.QueryRowContext(ctx, g.bind(`SELECT COUNT(*) FROM (SELECT 1 FROM persons WHERE external_id >= ? AND external_id < ? LIMIT 1) x`),
		g.prefix, g.prefix+"~").Scan(&exists)
	if err != nil {
		return sum, fmt.Errorf("demo: looking for an earlier run: %w", err)
	}
	if exists > 0 {
		return sum, fmt.Errorf("demo: people of seed %d were already generated in this database; choose another seed / 该种子已生成过", opts.Seed)
	}
	villages, err := g.villages(ctx, opts.Within)
	if err != nil {
		return sum, err
	}
	if len(villages) == 0 {
		return sum, errors.New("demo: no village-level regions to populate; import the regions first (yanzhen import regions) / 请先导入区划")
	}
	sum.Villages = len(villages)

	deferred, err := g.deferIndexes(ctx, people, opts.Indexes)
	if err != nil {
		return sum, err
	}

	// One goroutine draws the people (all randomness stays in it, in village
	// order, so a seed gives one population), the other writes the previous
	// batch meanwhile.
	batches := make(chan *batch, 1)
	stop := make(chan struct{})
	go func() {
		defer close(batches)
		b := &batch{}
		next := 0
		for i, v := range villages {
			k := (i+1)*people/len(villages) - i*people/len(villages)
			if k == 0 {
				continue
			}
			if len(b.people) > 0 && len(b.people)+k > opts.Batch {
				select {
				case batches <- b:
				case <-stop:
					return
				}
				b = &batch{}
			}
			g.village(b, v, k, &next)
		}
		if len(b.people) > 0 {
			select {
			case batches <- b:
			case <-stop:
			}
		}
	}()
	defer close(stop)
	for b := range batches {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if err := g.write(ctx, b); err != nil {
			return sum, err
		}
		sum.People += len(b.people)
		sum.Posts += len(b.posts)
		sum.Mentorships += len(b.mentorships)
		if opts.Progress != nil {
			el := time.Since(started)
			fmt.Fprintf(opts.Progress, "demo: %d/%d people (%.0f/s)\n", sum.People, people, float64(sum.People)/el.Seconds())
		}
	}
	if err := g.restoreIndexes(ctx, deferred, opts.Progress); err != nil {
		return sum, err
	}
	// The places the scope reads (person_places), as the link hooks write
	// them for writers that go through ent: derived from all links in one
	// statement, cheaper than per batch against tables without indexes.
	if err := places.FillAll(ctx, tx); err != nil {
		return sum, fmt.Errorf("demo: recording the people's places: %w", err)
	}
	// The kept figures (region_figures) bypassed by the bulk load are all
	// out of date.
	if err := figures.All(ctx, tx); err != nil {
		return sum, fmt.Errorf("demo: marking the region figures: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return sum, fmt.Errorf("demo: committing: %w", err)
	}
	sum.Duration = time.Since(started)
	return sum, nil
}

type genVillage struct {
	id        int
	county    string // 6 digits
	province  string
	secretary bool // has a current secretary already
}

type genPerson struct {
	ext           string
	name          string
	female        bool
	birth         time.Time
	ethnicity     string
	education     string
	political     string
	partyJoin     time.Time
	phone         string
	idNumber      string
	tags          string // JSON or ""
	homeVillageID int
}

type genPost struct {
	person   int // index in the batch
	region   int
	role     string
	list     string
	start    time.Time
	isLeader bool // takes the secretary seat
}

type genMentorship struct {
	mentor, mentee int // indexes in the batch
	region         int
	start, end     time.Time
}

type batch struct {
	people      []genPerson
	posts       []genPost
	mentorships []genMentorship
}

type generator struct {
	db     *database.DB
	conn   *sql.Conn // the connection tx runs on; COPY goes to its driver
	tx     *sql.Tx
	pg     bool
	r      *rand.Rand
	asOf   time.Time
	prefix string
	now    time.Time

	surnameCum []int
	county     string
	births     map[string]int // per birth day and sex, in the current county: sequence numbers used
	keys       map[string]nameKeys
}

// bind turns ? placeholders into $n on PostgreSQL.
func (g *generator) bind(q string) string {
	if !g.pg {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (g *generator) villages(ctx context.Context, within string) ([]genVillage, error) {
	q := `SELECT id, code FROM regions WHERE level = 'VILLAGE'`
	var args []any
	if within != "" {
		lo, hi := regioncode.Range(within)
		q += ` AND code >= ?`
		args = append(args, lo)
		if hi != "" {
			q += ` AND code < ?`
			args = append(args, hi)
		}
	}
	q += ` ORDER BY code`
	rows, err := g.tx.QueryContext(ctx, g.bind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("demo: reading the villages: %w", err)
	}
	defer rows.Close()
	var out []genVillage
	index := map[int]int{}
	for rows.Next() {
		var (
			id   int
			code string
		)
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if len(code) < 6 {
			continue
		}
		index[id] = len(out)
		out = append(out, genVillage{id: id, county: code[:6], province: code[:2]})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	led, err := g.tx.QueryContext(ctx, `SELECT DISTINCT region_id FROM posts WHERE end_date IS NULL
		AND role IN ('PARTY_SECRETARY', 'SECRETARY_AND_DIRECTOR')`)
	if err != nil {
		return nil, fmt.Errorf("demo: reading the villages' secretaries: %w", err)
	}
	defer led.Close()
	for led.Next() {
		var id int
		if err := led.Scan(&id); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].secretary = true
		}
	}
	return out, led.Err()
}

// provinceMinorities is the main minority of some provinces and its share
// (per mille) of generated people.
var provinceMinorities = map[string]struct {
	name string
	w    int
}{
	"15": {"蒙古族", 100}, "64": {"回族", 350}, "54": {"藏族", 900}, "65": {"维吾尔族", 450}, "45": {"壮族", 300},
	"52": {"苗族", 120}, "53": {"彝族", 100}, "22": {"朝鲜族", 30}, "21": {"满族", 120}, "43": {"土家族", 80},
	"63": {"藏族", 250}, "46": {"黎族", 150}, "42": {"土家族", 40}, "13": {"满族", 40},
}

var reserveLists = []string{"SECRETARY_CANDIDATE", "COMMITTEE_CANDIDATE", "BACKBONE_MEMBER"}

var residentTags = []string{"RICH_LEADER", "RETURNEE", "LOCAL_EXPERT", "RURAL_CRAFTSMAN", "NEW_FARMER", "MIGRANT_WORKER", "BUSINESS_OWNER", "COOPERATIVE_LEADER", "VETERAN", "COLLEGE_GRADUATE"}

// village adds k people of one village to the batch.
func (g *generator) village(b *batch, v genVillage, k int, next *int) {
	r := g.r
	if v.county != g.county {
		g.county = v.county
		g.births = map[string]int{}
	}
	first := -1 // the village's first new cadre, who mentors its reserves
	var firstStart time.Time
	needDirector := false
	committee, reserves := 0, 0
	for j := 0; j < k; j++ {
		idx := len(b.people)
		var age int
		role, list := "", ""
		switch {
		case j == 0 && !v.secretary:
			role = "SECRETARY_AND_DIRECTOR"
			if r.IntN(100) < 30 {
				role, needDirector = "PARTY_SECRETARY", true
			}
			age = 30 + r.IntN(16) + r.IntN(16)
		case committee < 4:
			committee++
			role = "COMMITTEE_MEMBER"
			switch {
			case needDirector:
				role, needDirector = "COMMITTEE_DIRECTOR", false
			case committee == 2 && r.IntN(100) < 40:
				role = "DEPUTY_SECRETARY"
			}
			age = 25 + r.IntN(18) + r.IntN(18)
		case reserves < 3:
			role, list = "RESERVE_CADRE", reserveLists[reserves]
			reserves++
			age = 22 + r.IntN(12) + r.IntN(8)
		default:
			age = 18 + r.IntN(27) + r.IntN(27)
		}
		p := g.person(v, age, next)
		switch {
		case role == "PARTY_SECRETARY" || role == "SECRETARY_AND_DIRECTOR" || role == "DEPUTY_SECRETARY":
			g.joinParty(&p)
		case role == "RESERVE_CADRE":
			if r.IntN(100) < 50 {
				g.joinParty(&p)
			} else if age <= 28 {
				p.political = "CYL_MEMBER"
			} else {
				p.political = "MASSES"
			}
		case role != "":
			if r.IntN(100) < 80 {
				g.joinParty(&p)
			} else {
				p.political = "MASSES"
			}
		default:
			if r.IntN(100) < 25 {
				g.joinParty(&p)
			} else {
				p.political = "MASSES"
			}
			p.tags = `["` + residentTags[r.IntN(len(residentTags))] + `"]`
		}
		b.people = append(b.people, p)
		if role == "" {
			continue
		}
		start := randomDay(r, date(2021, 1, 1), g.asOf.AddDate(0, -1, 0))
		b.posts = append(b.posts, genPost{person: idx, region: v.id, role: role, list: list, start: start,
			isLeader: role == "PARTY_SECRETARY" || role == "SECRETARY_AND_DIRECTOR"})
		switch {
		case role == "RESERVE_CADRE" && first >= 0:
			ms := laterOf(start, firstStart).AddDate(0, 0, 1+r.IntN(60))
			if ms.After(g.asOf) {
				ms = g.asOf
			}
			b.mentorships = append(b.mentorships, genMentorship{mentor: first, mentee: idx, region: v.id, start: ms, end: ms.AddDate(2, 0, 0)})
		case role != "RESERVE_CADRE" && first < 0:
			first, firstStart = idx, start
		}
	}
}

// person draws one person of a village: name, sex, birth date, an ID number
// unique in the run (the sequence digits count people born the same day in
// the same county) and a phone unique in the run (a bijection of the
// person's number).
func (g *generator) person(v genVillage, age int, next *int) genPerson {
	r := g.r
	n := *next
	*next++
	female := r.IntN(100) < 35
	p := genPerson{
		ext:           fmt.Sprintf("%s%09d", g.prefix, n),
		female:        female,
		birth:         birthForAge(r, g.asOf, age),
		ethnicity:     "汉族",
		homeVillageID: v.id,
	}
	if m, ok := provinceMinorities[v.province]; ok && r.IntN(1000) < m.w {
		p.ethnicity = m.name
	}
	chars := maleChars
	if female {
		chars = femaleChars
	}
	p.name = pickCum(r, surnames, g.surnameCum) + given(r, chars)
	if r.IntN(100) < 40 {
		p.education = string(collegeLevel(r))
	} else {
		p.education = string(schoolLevel(r))
	}
	key := p.birth.Format("20060102")
	if female {
		key += "F"
	}
	seq := g.births[key]
	g.births[key] = seq + 1
	s := 2*(seq%500) + 1
	if female {
		s--
	}
	first := v.county + p.birth.Format("20060102") + fmt.Sprintf("%03d", s)
	p.idNumber = first + string(checkChar(first))
	// 37 is odd and not a multiple of 5, so n ↦ 37n + c is a bijection of
	// the 8-digit numbers.
	const span = 100_000_000
	digits := (uint64(n%span)*37 + 12_345_678) % span
	p.phone = mobilePrefixes[(n/7)%len(mobilePrefixes)] + fmt.Sprintf("%08d", digits)
	return p
}

func (g *generator) joinParty(p *genPerson) {
	p.political = "CPC_MEMBER"
	at := p.birth.AddDate(20+g.r.IntN(16), g.r.IntN(12), 0)
	if limit := g.asOf.AddDate(-1, 0, 0); at.After(limit) {
		at = limit
	}
	p.partyJoin = at
}

func cumulative(ws weighted) []int {
	out := make([]int, len(ws))
	total := 0
	for i, x := range ws {
		total += x.w
		out[i] = total
	}
	return out
}

func pickCum(r *rand.Rand, ws weighted, cum []int) string {
	n := r.IntN(cum[len(cum)-1])
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return ws[lo].v
}

// deferIndexes drops, on PostgreSQL and for a run that at least doubles the
// people table, the plain (non-unique) indexes and the foreign keys of the
// tables written, so that they are built once at the end, sorted, instead of
// row by row: maintaining a dozen indexes per row costs about three times the
// COPY itself, and a foreign key is a query per row. Unique and primary-key
// indexes stay and keep checking. It is all inside the
// transaction: a failed run leaves the indexes as they were. Other writers
// wait on the tables' locks meanwhile, which suits a load-test tool.
func (g *generator) deferIndexes(ctx context.Context, people int, mode IndexMode) ([]string, error) {
	if !g.pg || mode == IndexKeep || (mode == IndexAuto && people < 50_000) {
		return nil, nil
	}
	if mode == IndexAuto {
		var existing float64
		if err := g.tx.QueryRowContext(ctx, `SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = to_regclass('persons')`).Scan(&existing); err != nil {
			return nil, fmt.Errorf("demo: sizing the people table: %w", err)
		}
		if float64(people) < existing {
			return nil, nil
		}
	}
	for _, set := range []string{`SET LOCAL maintenance_work_mem = '1GB'`, `SET LOCAL synchronous_commit = off`} {
		if _, err := g.tx.ExecContext(ctx, set); err != nil {
			return nil, fmt.Errorf("demo: %s: %w", set, err)
		}
	}
	var defs []string
	for _, table := range []string{"persons", "person_search_keys", "posts", "mentorships"} {
		rows, err := g.tx.QueryContext(ctx, `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = to_regclass($1) AND NOT i.indisunique AND NOT i.indisprimary
			ORDER BY c.relname`, table)
		if err != nil {
			return nil, fmt.Errorf("demo: reading the indexes of %s: %w", table, err)
		}
		var names []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nil, err
			}
			names = append(names, name)
			defs = append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, name := range names {
			if _, err := g.tx.ExecContext(ctx, "DROP INDEX "+pq.QuoteIdentifier(name)); err != nil {
				return nil, fmt.Errorf("demo: dropping index %s for the load: %w", name, err)
			}
		}
		// Foreign keys are checked row by row by triggers; added back, they
		// are checked by one join.
		rows, err = g.tx.QueryContext(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid = to_regclass($1) AND contype = 'f' ORDER BY conname`, table)
		if err != nil {
			return nil, fmt.Errorf("demo: reading the foreign keys of %s: %w", table, err)
		}
		names = names[:0]
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nil, err
			}
			names = append(names, name)
			defs = append(defs, "ALTER TABLE "+pq.QuoteIdentifier(table)+" ADD CONSTRAINT "+pq.QuoteIdentifier(name)+" "+def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, name := range names {
			if _, err := g.tx.ExecContext(ctx, "ALTER TABLE "+pq.QuoteIdentifier(table)+" DROP CONSTRAINT "+pq.QuoteIdentifier(name)); err != nil {
				return nil, fmt.Errorf("demo: dropping foreign key %s for the load: %w", name, err)
			}
		}
	}
	return defs, nil
}

// restoreIndexes builds the deferred indexes again, exactly as they were.
func (g *generator) restoreIndexes(ctx context.Context, defs []string, progress io.Writer) error {
	if len(defs) == 0 {
		return nil
	}
	started := time.Now()
	for _, def := range defs {
		if _, err := g.tx.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("demo: rebuilding an index after the load: %w", err)
		}
	}
	if progress != nil {
		fmt.Fprintf(progress, "demo: rebuilt %d indexes and foreign keys in %s\n", len(defs), time.Since(started).Round(time.Millisecond))
	}
	return nil
}

// nameKeys are the search keys of a name: the usual reading for the
// person's columns and every reading for person_search_keys.
type nameKeys struct {
	full, initials string
	all            []searchkey.Key
}

// searchKeys returns the search keys of a name, cached: names repeat.
func (g *generator) searchKeys(name string) nameKeys {
	if k, ok := g.keys[name]; ok {
		return k
	}
	k := nameKeys{all: searchkey.Keys(name)}
	k.full, k.initials = searchkey.PinyinKeys(name)
	if len(g.keys) < 300_000 {
		g.keys[name] = k
	}
	return k
}

var personColumns = []string{
	"created_at", "updated_at", "external_id", "name", "gender", "birth_date", "ethnicity", "education",
	"political_status", "party_join_date", "phone", "id_number", "tags", "home_village_id",
	"name_pinyin", "name_initials", "phone_suffix", "id_number_hash",
}

var searchKeyColumns = []string{"person_id", "kind", "key"}

var postColumns = []string{"created_at", "updated_at", "start_date", "role", "reserve_list", "seat", "person_id", "region_id"}

var mentorshipColumns = []string{"created_at", "updated_at", "start_date", "end_date", "program", "status", "mentor_id", "mentee_id", "region_id"}

// day renders a date for the database: text on PostgreSQL's DATE columns,
// a UTC midnight for the SQLite driver (as ent writes it).
func (g *generator) day(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if g.pg {
		return t.Format(time.DateOnly)
	}
	return t
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (g *generator) write(ctx context.Context, b *batch) error {
	hashes := make([]string, len(b.people))
	for i, p := range b.people {
		h, err := g.db.Client.Keys.HashIDNumber(p.idNumber)
		if err != nil {
			return err
		}
		hashes[i] = h
	}
	// One ID number is one person: a made-up number that an earlier run (or
	// a real person) already holds is left out rather than written twice.
	taken, err := g.takenIDNumbers(ctx, hashes)
	if err != nil {
		return err
	}
	rows := make([][]any, len(b.people))
	for i, p := range b.people {
		gender := "MALE"
		if p.female {
			gender = "FEMALE"
		}
		keys := g.searchKeys(p.name)
		// ID numbers are stored sealed, with their keyed hash, as ent's
		// Person.id_number field does for every other writer.
		sealed, hash := "", hashes[i]
		if taken[hash] {
			hash = ""
		} else if sealed, err = g.db.Client.Keys.Encrypt(p.idNumber); err != nil {
			return err
		}
		rows[i] = []any{g.now, g.now, p.ext, p.name, gender, g.day(p.birth), p.ethnicity, p.education,
			p.political, g.day(p.partyJoin), p.phone, nullable(sealed), nullable(p.tags), p.homeVillageID,
			keys.full, keys.initials, searchkey.PhoneSuffix(p.phone), nullable(hash)}
	}
	if err := g.insert(ctx, "persons", personColumns, rows); err != nil {
		return fmt.Errorf("demo: writing people: %w", err)
	}
	ids, err := g.personIDs(ctx, b.people[0].ext, b.people[len(b.people)-1].ext, len(b.people))
	if err != nil {
		return err
	}
	// The keys of every reading of each name, as the person hook writes
	// them for people written through ent.
	rows = rows[:0]
	for i, p := range b.people {
		for _, k := range g.searchKeys(p.name).all {
			rows = append(rows, []any{ids[i], string(k.Kind), k.Text})
		}
	}
	if err := g.insert(ctx, "person_search_keys", searchKeyColumns, rows); err != nil {
		return fmt.Errorf("demo: writing search keys: %w", err)
	}
	rows = rows[:0]
	for _, p := range b.posts {
		var seat any
		if p.isLeader {
			seat = "SECRETARY"
		}
		rows = append(rows, []any{g.now, g.now, g.day(p.start), p.role, nullable(p.list), seat, ids[p.person], p.region})
	}
	if err := g.insert(ctx, "posts", postColumns, rows); err != nil {
		return fmt.Errorf("demo: writing posts: %w", err)
	}
	rows = rows[:0]
	for _, m := range b.mentorships {
		rows = append(rows, []any{g.now, g.now, g.day(m.start), g.day(m.end), "QINGLAN", "ACTIVE", ids[m.mentor], ids[m.mentee], m.region})
	}
	if err := g.insert(ctx, "mentorships", mentorshipColumns, rows); err != nil {
		return fmt.Errorf("demo: writing mentorships: %w", err)
	}
	return nil
}

// personIDs reads back the IDs the database gave the batch, in batch order
// (external IDs are numbered and fixed-width, so their order is the batch's).
// takenIDNumbers returns which of the hashes persons already hold (the
// unique index on id_number_hash answers; it stays during bulk loads).
func (g *generator) takenIDNumbers(ctx context.Context, hashes []string) (map[string]bool, error) {
	taken := map[string]bool{}
	for chunk := range slices.Chunk(hashes, 500) {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")
		args := make([]any, len(chunk))
		for i, h := range chunk {
			args[i] = h
		}
		rows, err := g.tx.QueryContext(ctx, g.bind(`SELECT id_number_hash FROM persons WHERE id_number_hash IN (`+marks+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("demo: checking ID numbers on file: %w", err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			taken[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return taken, nil
}

func (g *generator) personIDs(ctx context.Context, first, last string, n int) ([]int, error) {
	rows, err := g.tx.QueryContext(ctx, g.bind(`SELECT id, external_id FROM persons WHERE external_id >= ? AND external_id <= ?`), first, last)
	if err != nil {
		return nil, fmt.Errorf("demo: reading back people: %w", err)
	}
	defer rows.Close()
	base, _ := strconv.Atoi(first[len(g.prefix):])
	ids := make([]int, n)
	for rows.Next() {
		var (
			id  int
			ext string
		)
		if err := rows.Scan(&id, &ext); err != nil {
			return nil, err
		}
		k, err := strconv.Atoi(ext[len(g.prefix):])
		if err != nil || k-base < 0 || k-base >= n {
			return nil, fmt.Errorf("demo: unexpected person %s in the generated range", ext)
		}
		ids[k-base] = id
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if id == 0 {
			return nil, errors.New("demo: a generated person was not written")
		}
	}
	return ids, nil
}

// sqliteRows is the number of rows of one multi-row INSERT: SQLite binds at
// most 32766 values per statement.
const sqliteRows = 1000

func (g *generator) insert(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if g.pg {
		return g.copyIn(ctx, table, columns, rows)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	for i := 0; i < len(rows); i += sqliteRows {
		part := rows[i:min(i+sqliteRows, len(rows))]
		q := head + strings.TrimSuffix(strings.Repeat(one+",", len(part)), ",")
		args := make([]any, 0, len(part)*len(columns))
		for _, row := range part {
			args = append(args, row...)
		}
		if _, err := g.tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// copyData is the raw side of lib/pq's COPY statement: it takes a line of
// COPY text as it is.
type copyData interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
}

// copyIn streams rows with COPY on the transaction's connection. Lines are
// encoded here and handed to the driver whole: going through database/sql
// one Exec per row costs more than the server's work on it.
func (g *generator) copyIn(ctx context.Context, table string, columns []string, rows [][]any) error {
	return g.conn.Raw(func(dc any) error {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("the PostgreSQL driver cannot prepare COPY")
		}
		quoted := make([]string, len(columns))
		for i, c := range columns {
			quoted[i] = pq.QuoteIdentifier(c)
		}
		stmt, err := prep.PrepareContext(ctx, "COPY "+pq.QuoteIdentifier(table)+" ("+strings.Join(quoted, ", ")+") FROM STDIN")
		if err != nil {
			return err
		}
		defer stmt.Close()
		cd, ok := stmt.(copyData)
		if !ok {
			return errors.New("the PostgreSQL driver does not take raw COPY data")
		}
		var line []byte
		for _, row := range rows {
			line = line[:0]
			for i, v := range row {
				if i > 0 {
					line = append(line, '\t')
				}
				line = appendCopyText(line, v)
			}
			if _, err := cd.CopyData(ctx, string(line)); err != nil {
				return err
			}
		}
		// An Exec without values ends the stream and reports its errors.
		//lint:ignore SA1019 lib/pq's COPY statement has Exec only, no ExecContext.
		_, err = stmt.Exec(nil)
		return err
	})
}

// appendCopyText encodes a value in COPY's text format.
func appendCopyText(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, `\N`...)
	case string:
		for i := 0; i < len(x); i++ {
			switch c := x[i]; c {
			case '\\':
				b = append(b, `\\`...)
			case '\t':
				b = append(b, `\t`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			default:
				b = append(b, c)
			}
		}
		return b
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case time.Time:
		return x.UTC().AppendFormat(b, "2006-01-02 15:04:05.999999Z07:00")
	default:
		return fmt.Append(b, x)
	}
}

package divisions

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
	"yanzhen/ent"
	"yanzhen/ent/region"
	"yanzhen/regioncode"
)

var levelOfFile = map[string]region.Level{
	"provinces.csv": region.LevelPROVINCE,
	"cities.csv":    region.LevelCITY,
	"areas.csv":     region.LevelCOUNTY,
	"streets.csv":   region.LevelTOWNSHIP,
	"villages.csv":  region.LevelVILLAGE,
}

// csvRows reads a file with encoding/csv alone, without the header.
func csvRows(t *testing.T, fsys fs.FS, file string) [][]string {
	t.Helper()
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return recs[1:]
}

// row is a region as ent reads it back.
type row struct {
	name, level, kind, parent string
	created, updated          time.Time
}

// snapshot reads every region through ent (which also proves ent can read
// what the raw SQL wrote), keyed by code, with the parent's code.
func snapshot(t *testing.T, client *ent.Client) map[string]row {
	t.Helper()
	all, err := client.Region.Query().All(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	codeOf := map[int]string{}
	for _, r := range all {
		codeOf[r.ID] = r.Code
	}
	out := make(map[string]row, len(all))
	for _, r := range all {
		s := row{name: r.Name, level: string(r.Level), created: r.CreatedAt, updated: r.UpdatedAt}
		if r.Kind != nil {
			s.kind = string(*r.Kind)
		}
		if r.ParentID != nil {
			s.parent = codeOf[*r.ParentID]
		}
		out[r.Code] = s
	}
	return out
}

func TestImportEmbedded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		fsys := Embedded()
		before := time.Now()
		res, err := Import(ctx, db.DB, fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for file, level := range levelOfFile {
			want := len(csvRows(t, fsys, file))
			total += want
			got, err := db.Client.Region.Query().Where(region.LevelEQ(level)).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s: %d regions, want %d (rows of %s)", level, got, want, file)
			}
			if c := res.Level(level); c != (Counts{Added: want}) {
				t.Errorf("%s: result %+v, want %d added", level, c, want)
			}
		}
		if want := "regions: " + itoa(total) + " added, 0 renamed, 0 unchanged"; res.String() != want {
			t.Errorf("result %q, want %q", res.String(), want)
		}

		snap := snapshot(t, db.Client)
		for code, r := range snap {
			if r.parent != regioncode.Parent(code) {
				t.Fatalf("%s: parent %q, want %q", code, r.parent, regioncode.Parent(code))
			}
			if want, _ := regioncode.LevelOf(code); r.level != string(want) {
				t.Fatalf("%s: level %s, want %s", code, r.level, want)
			}
			if (r.kind != "") != (r.level == "VILLAGE") {
				t.Fatalf("%s: level %s with kind %q", code, r.level, r.kind)
			}
			if r.created.Before(before.Add(-time.Minute)) || r.created.After(time.Now().Add(time.Minute)) {
				t.Fatalf("%s: created at %v, not now", code, r.created)
			}
		}

		// A village of 土默特右旗 up to its province, through ent's edges.
		v, err := db.Client.Region.Query().Where(region.Code("150221105220")).Only(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v.Name != "三道河村" || v.Kind == nil || *v.Kind != region.KindVILLAGE {
			t.Errorf("150221105220: %q %v, want 三道河村 VILLAGE", v.Name, v.Kind)
		}
		chain := []struct{ code, name string }{
			{"150221105", "双龙镇"}, {"150221", "土默特右旗"}, {"1502", "包头市"}, {"15", "内蒙古自治区"},
		}
		for _, want := range chain {
			v, err = v.QueryParent().Only(ctx)
			if err != nil {
				t.Fatalf("parent of the region above %s: %v", want.code, err)
			}
			if v.Code != want.code || v.Name != want.name {
				t.Errorf("got %s %s, want %s %s", v.Code, v.Name, want.code, want.name)
			}
		}
		if _, err := v.QueryParent().Only(ctx); !ent.IsNotFound(err) {
			t.Errorf("a province has a parent (err %v)", err)
		}
		for code, want := range map[string]row{
			"150221104001": {name: "振华社区", kind: "COMMUNITY"}, // 振华社区居委会
			"130627111217": {name: "三道河村", kind: "VILLAGE"},   // 三道河村村民委员会
			"150221":       {name: "土默特右旗", kind: ""},         // counties keep their names
			"421002":       {name: "沙市区", kind: ""},
		} {
			if got := snap[code]; got.name != want.name || got.kind != want.kind {
				t.Errorf("%s: %q %q, want %q %q", code, got.name, got.kind, want.name, want.kind)
			}
		}

		// Again: nothing to do, and not a row touched.
		again, err := Import(ctx, db.DB, fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if again.Changed() || again.Total() != (Counts{Unchanged: total}) {
			t.Errorf("second import: %+v", again.Total())
		}
		if want := "regions: 0 added, 0 renamed, " + itoa(total) + " unchanged — nothing to do"; again.String() != want {
			t.Errorf("second import says %q, want %q", again.String(), want)
		}
		after := snapshot(t, db.Client)
		if len(after) != len(snap) {
			t.Fatalf("%d regions after the second import, %d before", len(after), len(snap))
		}
		for code, r := range snap {
			if a := after[code]; !a.updated.Equal(r.updated) || a.name != r.name || a.kind != r.kind || a.parent != r.parent {
				t.Fatalf("%s changed on the second import: %+v → %+v", code, r, a)
			}
		}
	})
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		if n /= 10; n == 0 {
			return string(b)
		}
	}
}

// copyFS copies the embedded extract so a test can change a file.
func copyFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for file := range levelOfFile {
		b, err := fs.ReadFile(Embedded(), file)
		if err != nil {
			t.Fatal(err)
		}
		m[file] = &fstest.MapFile{Data: b}
	}
	return m
}

// edit rewrites the lines of one file (lines[0] is the header, lines[i] is
// line i+1).
func edit(m fstest.MapFS, file string, f func(lines []string) []string) {
	lines := strings.Split(strings.TrimSuffix(string(m[file].Data), "\n"), "\n")
	m[file] = &fstest.MapFile{Data: []byte(strings.Join(f(lines), "\n") + "\n")}
}

// lineOf returns the index in lines of the row with code.
func lineOf(t *testing.T, lines []string, code string) int {
	t.Helper()
	for i, l := range lines {
		if strings.HasPrefix(l, code+",") {
			return i
		}
	}
	t.Fatalf("no row %s", code)
	return 0
}

func TestImportRenamedAndAdded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		if _, err := Import(ctx, db.DB, Embedded(), Options{}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db.Client)

		m := copyFS(t)
		edit(m, "villages.csv", func(lines []string) []string {
			i := lineOf(t, lines, "150221105220")
			lines[i] = `150221105220,"三道河社区居委会",150221105,15,1502,150221`
			return append(lines,
				`150221105999,"新建村民委员会",150221105,15,1502,150221`,
				`150221999001,"新区社区居委会",150221999,15,1502,150221`) // under a new township
		})
		edit(m, "streets.csv", func(lines []string) []string {
			lines[lineOf(t, lines, "150221105")] = `150221105,"双龙新镇",150221,15,1502`
			return append(lines, `150221999,"新区街道",150221,15,1502`)
		})
		time.Sleep(2 * time.Millisecond) // updated_at must be able to differ
		res, err := Import(ctx, db.DB, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		villages := len(csvRows(t, Embedded(), "villages.csv"))
		if got, want := res.Level(region.LevelVILLAGE), (Counts{Added: 2, Renamed: 1, Unchanged: villages - 1}); got != want {
			t.Errorf("villages: %+v, want %+v", got, want)
		}
		if got := res.Level(region.LevelTOWNSHIP); got.Renamed != 1 || got.Added != 1 {
			t.Errorf("townships: %+v, want 1 added, 1 renamed", got)
		}
		if got := res.Level(region.LevelCOUNTY); got.Renamed+got.Added != 0 {
			t.Errorf("counties: %+v, want all unchanged", got)
		}

		after := snapshot(t, db.Client)
		if len(after) != len(before)+3 {
			t.Fatalf("%d regions, want %d", len(after), len(before)+3)
		}
		changed := map[string]row{
			"150221105220": {name: "三道河社区", kind: "COMMUNITY", parent: "150221105"},
			"150221105":    {name: "双龙新镇", parent: "150221"},
		}
		for code, r := range before {
			a := after[code]
			if want, ok := changed[code]; ok {
				if a.name != want.name || a.kind != want.kind || a.parent != want.parent {
					t.Errorf("%s: %+v, want %+v", code, a, want)
				}
				if !a.updated.After(r.updated) || !a.created.Equal(r.created) {
					t.Errorf("%s: created %v→%v, updated %v→%v", code, r.created, a.created, r.updated, a.updated)
				}
				continue
			}
			if a != r {
				t.Fatalf("%s changed: %+v → %+v", code, r, a)
			}
		}
		if n := after["150221105999"]; n.name != "新建村" || n.kind != "VILLAGE" || n.parent != "150221105" {
			t.Errorf("added village: %+v", n)
		}
		if n := after["150221999001"]; n.name != "新区社区" || n.kind != "COMMUNITY" || n.parent != "150221999" {
			t.Errorf("added community: %+v", n)
		}
		if n := after["150221999"]; n.name != "新区街道" || n.level != "TOWNSHIP" || n.parent != "150221" {
			t.Errorf("added township: %+v", n)
		}
	})
}

func TestImportRejectsBadFiles(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, m fstest.MapFS) (line int)
		file   string
		column int
		says   string
	}{
		{
			name: "village code one digit short",
			change: func(t *testing.T, m fstest.MapFS) (line int) {
				edit(m, "villages.csv", func(lines []string) []string {
					i := len(lines) - 3
					lines[i] = lines[i][1:] // drop the first digit
					line = i + 1
					return lines
				})
				return line
			},
			file: "villages.csv", column: 1, says: "has 11 digits; codes in villages.csv have 12",
		},
		{
			name: "township of an unknown county",
			change: func(t *testing.T, m fstest.MapFS) (line int) {
				edit(m, "streets.csv", func(lines []string) []string {
					line = len(lines) + 1
					return append(lines, `150299001,"无名镇",150299,15,1502`)
				})
				return line
			},
			file: "streets.csv", column: 3, says: `column areaCode "150299": no such parent region`,
		},
		{
			name: "city code with a letter",
			change: func(t *testing.T, m fstest.MapFS) (line int) {
				edit(m, "cities.csv", func(lines []string) []string {
					lines[5] = "1A" + lines[5][2:]
					return lines
				})
				return 6
			},
			file: "cities.csv", column: 1, says: "digits only",
		},
		{
			name: "county without a name",
			change: func(t *testing.T, m fstest.MapFS) (line int) {
				edit(m, "areas.csv", func(lines []string) []string {
					i := lineOf(t, lines, "421002")
					lines[i] = `421002,"  ",4210,42`
					line = i + 1
					return lines
				})
				return line
			},
			file: "areas.csv", column: 2, says: "the name is empty",
		},
		{
			name: "village under the wrong county",
			change: func(t *testing.T, m fstest.MapFS) (line int) {
				edit(m, "villages.csv", func(lines []string) []string {
					i := lineOf(t, lines, "150221105220")
					lines[i] = `150221105220,"三道河村委会",150221105,15,1502,421002`
					line = i + 1
					return lines
				})
				return line
			},
			file: "villages.csv", column: 6, says: "not the first 6 digits",
		},
	}
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx := auth.System(context.Background())
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				m := copyFS(t)
				line := c.change(t, m)
				_, err := Import(ctx, db.DB, m, Options{})
				var re *RowError
				if !errors.As(err, &re) {
					t.Fatalf("error %v, want a RowError", err)
				}
				if re.File != c.file || re.Line != line || re.Column != c.column {
					t.Errorf("at %s:%d:%d, want %s:%d:%d", re.File, re.Line, re.Column, c.file, line, c.column)
				}
				prefix := c.file + ":" + itoa(line) + ":" + itoa(c.column) + ": "
				if msg := err.Error(); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, c.says) {
					t.Errorf("error %q, want %q…%q", msg, prefix, c.says)
				}
				if n := db.Client.Region.Query().CountX(ctx); n != 0 {
					t.Errorf("%d regions written by a failed import", n)
				}
			})
		}
		t.Run("no villages.csv", func(t *testing.T) {
			m := copyFS(t)
			delete(m, "villages.csv")
			_, err := Import(ctx, db.DB, m, Options{})
			if err == nil || !strings.Contains(err.Error(), "villages.csv is missing") {
				t.Errorf("error %v, want one saying villages.csv is missing", err)
			}
			if n := db.Client.Region.Query().CountX(ctx); n != 0 {
				t.Errorf("%d regions written by a failed import", n)
			}
		})
	})
}

// cancelAfter is a progress writer that cancels the import once a file's
// line has been printed, that is after its rows were written.
type cancelAfter struct {
	file   string
	cancel context.CancelFunc
	buf    bytes.Buffer
}

func (c *cancelAfter) Write(b []byte) (int, error) {
	c.buf.Write(b)
	if strings.Contains(c.buf.String(), c.file) {
		c.cancel()
	}
	return len(b), nil
}

// A failure while writing the villages leaves none of the levels above
// written: one transaction.
func TestImportFailureWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		ctx, cancel := context.WithCancel(auth.System(context.Background()))
		defer cancel()
		w := &cancelAfter{file: "streets.csv", cancel: cancel}
		_, err := Import(ctx, db.DB, Embedded(), Options{Progress: w})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if !strings.Contains(w.buf.String(), "streets.csv") {
			t.Fatalf("the townships were not written before the failure:\n%s", w.buf.String())
		}
		if n := db.Client.Region.Query().CountX(auth.System(context.Background())); n != 0 {
			t.Errorf("%d regions left by a failed import", n)
		}
	})
}

func TestProgressLines(t *testing.T) {
	db := dbtest.OpenSQLite(t)
	var buf bytes.Buffer
	if _, err := Import(auth.System(context.Background()), db.DB, Embedded(), Options{Progress: &buf}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	files := []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}
	if len(lines) != len(files) {
		t.Fatalf("%d lines, want one per file:\n%s", len(lines), buf.String())
	}
	for i, f := range files {
		n := len(csvRows(t, Embedded(), f))
		if want := " " + itoa(n) + " rows: " + itoa(n) + " added, 0 renamed, 0 unchanged"; !strings.HasPrefix(lines[i], f) || !strings.HasSuffix(lines[i], want) {
			t.Errorf("line %d: %q, want %s…%s", i+1, lines[i], f, want)
		}
	}
	if strings.Contains(buf.String(), "\r") {
		t.Error("carriage returns in progress to a non-terminal")
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, terminal: true}
	p.writing("villages.csv", 50, 100)
	p.writing("villages.csv", 60, 100) // too soon: not drawn
	p.fileDone("villages.csv", Counts{Added: 100})
	out := buf.String()
	if strings.Count(out, "\r") != 2 || !strings.Contains(out, "[###############---------------] 50/100") {
		t.Errorf("bar %q", out)
	}
	if !strings.HasSuffix(out, "100 rows: 100 added, 0 renamed, 0 unchanged\x1b[K\n") {
		t.Errorf("last line %q", out)
	}
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "progress")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
}

func TestVillageName(t *testing.T) {
	for raw, want := range map[string]string{
		"三道河村村委会":    "三道河村",
		"三道河村村民委员会":  "三道河村",
		"小红门村民委员会":   "小红门村",
		"苇沟村委会":      "苇沟村",
		"振华社区居委会":    "振华社区",
		"银闸社区居民委员会":  "银闸社区",
		"城关居委会":      "城关",
		"兴隆嘎查村民委员会":  "兴隆嘎查村",
		"村委会":        "村委会",
		"村民委员会":      "村民委员会",
		"居委会":        "居委会",
		"东城生活区":      "东城生活区",
		"红星村":        "红星村",
		"新华社区":       "新华社区",
		"某农场居委会社区":   "某农场居委会社区",
		"村委会村委会":     "村委会村",
		"南村委会家属区居委会": "南村委会家属区",
	} {
		if got := VillageName(raw); got != want {
			t.Errorf("VillageName(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestVillageKind(t *testing.T) {
	for raw, want := range map[string]region.Kind{
		"振华社区居委会":   region.KindCOMMUNITY,
		"城关居委会":     region.KindCOMMUNITY,
		"银闸居民委员会":   region.KindCOMMUNITY,
		"新华社区":      region.KindCOMMUNITY,
		"三道河村村委会":   region.KindVILLAGE,
		"小红门村民委员会":  region.KindVILLAGE,
		"东城生活区":     region.KindVILLAGE,
		"兴隆嘎查村民委员会": region.KindVILLAGE,
	} {
		if got := VillageKind(raw); got != want {
			t.Errorf("VillageKind(%q) = %s, want %s", raw, got, want)
		}
	}
}

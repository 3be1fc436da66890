package roster

import (
	"strings"
	"testing"

	"yanzhen/i18n"
	"yanzhen/roster/rostertest"
)

// A workbook without a styles part (valid; small writers leave it out)
// gets no annotated copy and an error, never a panic: the copy is made by
// the import runner beside the requests.
func TestAnnotateWithoutStyles(t *testing.T) {
	wb := rostertest.Workbook(t)
	rep := &Report{Problems: []Problem{{Sheet: "人员", Row: 2, Column: "姓名", Cell: "A2", Kind: KindMissingValue,
		Text: i18n.Text{Zh: "必填项为空", En: "required value is empty"}}}}
	out, err := Annotate(wb, rep)
	if err == nil || out != nil || !strings.Contains(err.Error(), "cannot be annotated") {
		t.Fatalf("annotated a workbook without styles: %d bytes, %v", len(out), err)
	}
}

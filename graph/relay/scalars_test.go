package relay

import (
	"bytes"
	"testing"
	"time"

	"yanzhen/ent"
)

func TestGlobalIDRoundTrip(t *testing.T) {
	start, ok := ent.FirstID("Person")
	if !ok {
		t.Fatal("no ID range for Person")
	}
	id := start + 42
	enc := EncodeID(id)
	got, err := DecodeID(enc)
	if err != nil || got != id {
		t.Fatalf("DecodeID(EncodeID(%d)) = %d, %v", id, got, err)
	}
	for _, bad := range []string{"", "!!", "UGVyc29u", EncodeID(id)[:5]} {
		if _, err := DecodeID(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := UnmarshalDate("2024-02-29")
	if err != nil || d.Format(time.DateOnly) != "2024-02-29" {
		t.Fatalf("%v %v", d, err)
	}
	var b bytes.Buffer
	MarshalDate(d).MarshalGQL(&b)
	if b.String() != `"2024-02-29"` {
		t.Fatal(b.String())
	}
	for _, bad := range []any{"2023-02-29", "2024/01/01", 20240101, "yesterday"} {
		if _, err := UnmarshalDate(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

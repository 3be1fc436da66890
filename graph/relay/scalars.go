// Package relay implements the scalars of the public contract: opaque global
// IDs and calendar dates.
package relay

import (
	"encoding/base64"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"yanzhen/ent"
	"yanzhen/errcode"
)

// EncodeID turns an ent ID into the opaque global ID clients see:
// base64url("Type:number"). Clients must treat it as an opaque string.
func EncodeID(id int) string {
	typ, ok := ent.TypeOfID(id)
	if !ok {
		typ = "Unknown"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.Itoa(id)))
}

// DecodeID checks an opaque global ID and returns the ent ID it stands for.
// A string that does not decode, or whose type does not match the number's
// range, is rejected: such IDs are forged or corrupted.
func DecodeID(s string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, errInvalidID(s)
	}
	typ, num, ok := strings.Cut(string(raw), ":")
	if !ok {
		return 0, errInvalidID(s)
	}
	id, err := strconv.Atoi(num)
	if err != nil {
		return 0, errInvalidID(s)
	}
	if want, ok := ent.TypeOfID(id); !ok || want != typ {
		return 0, errInvalidID(s)
	}
	return id, nil
}

// errInvalidID never quotes what was sent: an ID field is where a probe
// would echo text back.
func errInvalidID(string) error {
	return errcode.BadInput("id", "not a valid ID / 无效的ID")
}

// MarshalGlobalID writes an ent ID as an opaque global ID.
func MarshalGlobalID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(EncodeID(id)))
	})
}

// UnmarshalGlobalID reads an opaque global ID.
func UnmarshalGlobalID(v any) (int, error) {
	s, ok := v.(string)
	if !ok {
		return 0, errcode.BadInput("id", "an ID must be a string / ID须为字符串")
	}
	return DecodeID(s)
}

// MarshalDate writes a date as YYYY-MM-DD.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads a YYYY-MM-DD date as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, errcode.BadInput("date", "a Date must be a string YYYY-MM-DD / 日期格式应为YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errcode.BadInput("date", "not a date YYYY-MM-DD / 日期无效")
	}
	return t, nil
}

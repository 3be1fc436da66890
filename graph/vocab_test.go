package graph_test

import (
	"testing"

	"yanzhen/auth"
	"yanzhen/database/dbtest"
)

// The vocabularies through the API: admins add terms and words for their
// own area; a term applies to its area, the areas below it and is shown to
// the areas above; another county neither sees nor writes it, nor may other
// roles or anonymous users change anything; people carry only codes of the
// writer's vocabulary.
func TestVocabularyScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *dbtest.DB) {
		s := makeScoped(t, db)
		county2 := newUser(t, db, "haibowan", auth.RoleAdmin, "150302", 0, false)
		province := newUser(t, db, "nmg", auth.RoleAdmin, "15", 0, false)
		add := `mutation($in: AddVocabularyTermInput!) { addVocabularyTerm(input: $in) { code label regionCode national words { word } } }`
		in := map[string]any{"in": map[string]any{"kind": "PERSON_TAG", "label": "乡贤", "synonyms": []string{"新乡贤"}}}

		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", add, in)
		newAPIAs(t, db, nil).fails("UNAUTHENTICATED", `{ vocabulary(kind: PERSON_TAG) { code } }`, nil)
		newAPIAs(t, db, s.townUser).fails("FORBIDDEN", add, in)

		var out struct {
			AddVocabularyTerm struct {
				Code, Label, RegionCode string
				National                bool
				Words                   []struct{ Word string }
			}
		}
		county := newAPIAs(t, db, s.county)
		county.ok(add, in, &out)
		if got := out.AddVocabularyTerm; got.Code != "XIANGXIAN" || got.RegionCode != "150221" || got.National || len(got.Words) != 1 {
			t.Fatalf("added %+v", got)
		}
		county.fails("BAD_USER_INPUT", add, in) // the label already means XIANGXIAN

		sees := func(v *auth.Viewer) bool {
			var out struct{ Vocabulary []struct{ Code string } }
			newAPIAs(t, db, v).ok(`{ vocabulary(kind: PERSON_TAG) { code } }`, nil, &out)
			found := false
			for _, term := range out.Vocabulary {
				found = found || term.Code == "XIANGXIAN"
			}
			if len(out.Vocabulary) < 12 {
				t.Errorf("the national terms are missing: %v", out.Vocabulary)
			}
			return found
		}
		for _, c := range []struct {
			name string
			v    *auth.Viewer
			want bool
		}{
			{"county", s.county, true}, {"township below", s.townUser, true}, {"province above", province, true},
			{"national", s.national, true}, {"other county", county2, false}, {"partner", s.partner, false},
		} {
			if got := sees(c.v); got != c.want {
				t.Errorf("%s sees the county's term: %v, want %v", c.name, got, c.want)
			}
		}

		// Another county may not change the term, nor may the province.
		upd := `mutation { updateVocabularyTerm(kind: PERSON_TAG, code: "XIANGXIAN", input: {label: "乡绅"}) { label } }`
		newAPIAs(t, db, county2).fails("NOT_FOUND", upd, nil)
		newAPIAs(t, db, province).fails("FORBIDDEN", upd, nil)
		county.ok(upd, nil, nil)

		// The codes a writer may use are those of its vocabulary.
		create := `mutation($tags: [PersonTag!]) { createPerson(input: {name: "某人", tags: $tags}) { tags } }`
		county.ok(create, map[string]any{"tags": []string{"XIANGXIAN", "RETURNEE"}}, nil)
		resp := newAPIAs(t, db, county2).fails("BAD_USER_INPUT", create, map[string]any{"tags": []string{"RETURNEE", "XIANGXIAN"}})
		if f, _ := resp.Errors[0].Extensions["field"].(string); f != "tags[1]" {
			t.Errorf("the refusal names %q, want tags[1]: %s", f, resp.Raw)
		}
		county.fails("BAD_USER_INPUT", create, map[string]any{"tags": []string{"NO_SUCH_TAG"}})
		county.fails("BAD_USER_INPUT", `mutation { createPerson(input: {name: "某人", expertise: ["TEA"]}) { id } }`, nil)

		// A word mapped to a national term.
		county.ok(`mutation { mapVocabularyWord(kind: AGRICULTURAL_FIELD, word: "大棚", termCode: "PROTECTED_AGRICULTURE") { code } }`, nil, nil)
		newAPIAs(t, db, s.village).fails("FORBIDDEN", `mutation { mapVocabularyWord(kind: AGRICULTURAL_FIELD, word: "棚", termCode: "PROTECTED_AGRICULTURE") { code } }`, nil)
	})
}

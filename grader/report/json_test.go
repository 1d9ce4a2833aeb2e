package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"netlabs/grader/result"
)

func jsonOf(t *testing.T, r *result.Run) string {
	t.Helper()
	var b strings.Builder
	if err := JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestJSONRoundTrip(t *testing.T) {
	r := sample(t)
	setOutput(r, hostileCheck, "ESC \x1b[31m, NUL \x00, <script> | `tick`, \u202e")
	var got result.Run
	if err := json.Unmarshal([]byte(jsonOf(t, r)), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, r) {
		t.Errorf("JSON round trip changed the run:\n got %+v\nwant %+v", got, *r)
	}
}

func TestJSONInvalidUTF8(t *testing.T) {
	out := jsonOf(t, sample(t)) // the hostile output holds invalid UTF-8
	if !utf8.ValidString(out) || !json.Valid([]byte(out)) {
		t.Fatal("JSON of a run with invalid UTF-8 is not valid UTF-8 JSON")
	}
	if !strings.Contains(out, `invalid UTF-8 \ufffd`) && !strings.Contains(out, "invalid UTF-8 \uFFFD") {
		t.Error("JSON does not show invalid UTF-8 as U+FFFD")
	}
}

func TestJSONContract(t *testing.T) {
	r := &result.Run{Weeks: []result.Week{{Week: 1, Labs: []result.Lab{{Lab: "basic"}}}}}
	out := jsonOf(t, r)
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["schema"] != result.Schema {
		t.Errorf("schema = %v, want %q", got["schema"], result.Schema)
	}
	labs := got["weeks"].([]any)[0].(map[string]any)["labs"].([]any)
	if checks, ok := labs[0].(map[string]any)["checks"].([]any); !ok || len(checks) != 0 {
		t.Errorf("checks of a lab without checks = %v, want []", labs[0].(map[string]any)["checks"])
	}
	if r.Schema != "" || r.Weeks[0].Labs[0].Checks != nil {
		t.Error("JSON modified the run it wrote")
	}
	if empty := jsonOf(t, &result.Run{}); !strings.Contains(empty, `"weeks": []`) {
		t.Errorf("JSON of an empty run = %s, want \"weeks\": []", empty)
	}
}

package api

import (
	"net/http"
	"testing"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{kg.EINVALID, http.StatusBadRequest},
		{kg.ENOTFOUND, http.StatusNotFound},
		{kg.ECONFLICT, http.StatusConflict},
		{kg.EUNAVAIL, http.StatusServiceUnavailable},
		{kg.EINTERNAL, http.StatusInternalServerError},
		{"something-new", http.StatusInternalServerError},
		{"", http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := statusOf(tt.code); got != tt.want {
			t.Errorf("statusOf(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		raw     string
		allowed []string
		wantErr string
	}{
		{"", nil, ""},
		{"a=1", nil, `unknown query parameter "a": this endpoint takes none`},
		{"q=1&page=2", []string{"q", "page"}, ""},
		{"q=1&x=2", []string{"q"}, `unknown query parameter "x"; allowed: q`},
		{"q=1&q=2", []string{"q"}, `query parameter "q" is given 2 times; give it once`},
		{"q=%", []string{"q"}, "malformed query string"},
	}
	for _, tt := range tests {
		_, err := parseQuery(tt.raw, tt.allowed...)
		if got := kg.ErrorMessage(err); got != tt.wantErr {
			t.Errorf("parseQuery(%q) error = %q, want %q", tt.raw, got, tt.wantErr)
		}
		if err != nil && kg.ErrorCode(err) != kg.EINVALID {
			t.Errorf("parseQuery(%q) code = %q", tt.raw, kg.ErrorCode(err))
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("självförsörjning", 3); got != "sj…" {
		t.Errorf("truncate = %q", got) // "sjä" would split ä
	}
	if got := truncate("kort", 10); got != "kort" {
		t.Errorf("truncate = %q", got)
	}
}

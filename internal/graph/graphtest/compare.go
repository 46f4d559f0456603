package graphtest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// equal reports whether want and got are the same after normalisation, and
// fails t with a line diff of the two if they are not. Normalisation puts
// every time.Time in UTC without a monotonic reading and treats empty
// slices and maps as nil, so backends may return either for "none".
func equal(t *testing.T, what string, want, got any) bool {
	t.Helper()
	nw, ng := normalize(want), normalize(got)
	if reflect.DeepEqual(nw, ng) {
		return true
	}
	t.Errorf("%s differs (-want +got):\n%s", what, lineDiff(render(nw), render(ng)))
	return false
}

var timeType = reflect.TypeFor[time.Time]()

// normalize returns a deep copy of v in the canonical form equal compares.
func normalize(v any) any {
	if v == nil {
		return nil
	}
	return normalizeValue(reflect.ValueOf(v)).Interface()
}

func normalizeValue(v reflect.Value) reflect.Value {
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		return reflect.ValueOf(t.UTC().Round(0))
	}
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			return out
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			s.Index(i).Set(normalizeValue(v.Index(i)))
		}
		out.Set(s)
	case reflect.Map:
		if v.Len() == 0 {
			return out
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			m.SetMapIndex(iter.Key(), normalizeValue(iter.Value()))
		}
		out.Set(m)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if !out.Field(i).CanSet() {
				// Unexported fields are compared as they are.
				return v
			}
			out.Field(i).Set(normalizeValue(v.Field(i)))
		}
	case reflect.Pointer:
		if v.IsNil() {
			return out
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(normalizeValue(v.Elem()))
		out.Set(p)
	default:
		out.Set(v)
	}
	return out
}

func render(v any) []string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return strings.Split(fmt.Sprintf("%#v", v), "\n")
	}
	return strings.Split(string(b), "\n")
}

// lineDiff returns a diff of two line lists from their longest common
// subsequence, with two lines of context around each change.
func lineDiff(a, b []string) string {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			lines = append(lines, line{' ', a[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			lines = append(lines, line{'+', b[j]})
			j++
		default:
			lines = append(lines, line{'-', a[i]})
			i++
		}
	}
	const context = 2
	var sb strings.Builder
	lastShown := -1
	for k, l := range lines {
		near := false
		for d := -context; d <= context; d++ {
			if k+d >= 0 && k+d < len(lines) && lines[k+d].op != ' ' {
				near = true
				break
			}
		}
		if !near {
			continue
		}
		if lastShown >= 0 && k > lastShown+1 {
			sb.WriteString("  ...\n")
		}
		sb.WriteByte(l.op)
		sb.WriteByte(' ')
		sb.WriteString(l.text)
		sb.WriteByte('\n')
		lastShown = k
	}
	return sb.String()
}

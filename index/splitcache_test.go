package index

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// TestSplitCacheAgreesWithSplit checks that remembered answers are the
// ones Split computes, from many goroutines at once and across the
// emptying of full shards.
func TestSplitCacheAgreesWithSplit(t *testing.T) {
	d := NewDictionary([]string{"livsmedel", "strategi", "beredskap", "lager", "själv", "försörjning"}, []string{"grad", "skola"})
	words := []string{"livsmedelsstrategin", "beredskapslager", "självförsörjningsgrad", "livsmedel", "kaffe", "skolbeteslager"}
	want := map[string][]Part{}
	for _, w := range words {
		want[w] = d.split(w)
	}
	if want["beredskapslager"] == nil {
		t.Fatal("beredskapslager was not split; the test dictionary is wrong")
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 * splitCacheShardMax {
				w := words[(g+i)%len(words)]
				if got := d.Split(w); !reflect.DeepEqual(got, want[w]) {
					t.Errorf("Split(%q) = %v, want %v", w, got, want[w])
					return
				}
				// Unrelated words fill the shards so that they are emptied.
				d.Split(fmt.Sprintf("ord%dx%d", g, i))
			}
		}()
	}
	wg.Wait()
	// Filter appends to the split it gets; a remembered split must have no
	// spare capacity for that append to write into.
	if parts := d.Split("beredskapslager"); cap(parts) != len(parts) {
		t.Errorf("a remembered split has capacity %d for %d parts", cap(parts), len(parts))
	}
}

package index

import (
	"encoding/hex"
	"hash/fnv"
	"strings"
	"unicode"
)

// Near-duplicate detection: a MinHash fingerprint of the word 3-shingles
// of a text. The fingerprint keeps, for each of minhashCount hash
// functions, the low 16 bits of the smallest hash over the shingles; the
// share of equal positions of two fingerprints estimates the Jaccard
// similarity of their shingle sets. Two texts that agree in at least
// nearDupMatches positions are taken as the same text (a press release
// republished on several sites, with another footer).
const (
	shingleSize    = 3
	minShingleText = 24 // texts of fewer words get no fingerprint and never collapse
	minhashCount   = 16
	nearDupMatches = 12 // of minhashCount: a Jaccard similarity of about 0.75
)

// fingerprint is a text's MinHash; the zero value means "none".
type fingerprint [minhashCount]uint16

// textFingerprint returns the fingerprint of text, and false when text is
// too short to judge.
func textFingerprint(text string) (fingerprint, bool) {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var fp fingerprint
	if len(words) < minShingleText {
		return fp, false
	}
	var mins [minhashCount]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	h := fnv.New64a()
	for i := 0; i+shingleSize <= len(words); i++ {
		h.Reset()
		for _, w := range words[i : i+shingleSize] {
			h.Write([]byte(w))
			h.Write([]byte{' '})
		}
		x := h.Sum64()
		for j := range mins {
			mins[j] = min(mins[j], mix(x, uint64(j)))
		}
	}
	for j, m := range mins {
		fp[j] = uint16(m)
	}
	return fp, true
}

// mix is the j-th hash function: x scrambled with a per-function seed
// (SplitMix64 finaliser).
func mix(x, j uint64) uint64 {
	x ^= (j + 1) * 0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// nearDuplicate reports whether two stored fingerprints are of the same
// text; empty fingerprints never are.
func nearDuplicate(a, b string) bool {
	if a == "" || b == "" || len(a) != len(b) {
		return false
	}
	return sameText(parseFingerprint(a), parseFingerprint(b))
}

// sameText reports whether two fingerprints are of the same text; the
// zero fingerprint ("none") never is.
func sameText(fa, fb fingerprint) bool {
	var none fingerprint
	if fa == none || fb == none {
		return false
	}
	same := 0
	for i := range fa {
		if fa[i] == fb[i] {
			same++
		}
	}
	return same >= nearDupMatches
}

// formatFingerprint and parseFingerprint store a fingerprint as a keyword.
func formatFingerprint(fp fingerprint) string {
	b := make([]byte, 0, 2*minhashCount)
	for _, v := range fp {
		b = append(b, byte(v>>8), byte(v))
	}
	return hex.EncodeToString(b)
}

func parseFingerprint(s string) fingerprint {
	var fp fingerprint
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 2*minhashCount {
		return fp
	}
	for i := range fp {
		fp[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return fp
}

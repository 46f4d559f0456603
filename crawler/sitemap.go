package crawler

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// Sitemap limits: how many sitemap files one site may read, and how many
// URLs one file may list (the sitemaps protocol allows 50,000).
const (
	maxSitemapFiles = 20
	maxSitemapURLs  = 50000
)

// sitemap is what one sitemap file lists: page URLs (a urlset) or further
// sitemaps (a sitemapindex).
type sitemap struct {
	URLs     []string
	Sitemaps []string
}

// parseSitemap parses a sitemap or sitemap index, gzipped or not. It returns
// an error for XML whose root is neither urlset nor sitemapindex.
func parseSitemap(body []byte) (sitemap, error) {
	var sm sitemap
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return sm, fmt.Errorf("reading gzipped sitemap: %w", err)
		}
		body, err = io.ReadAll(io.LimitReader(zr, 50<<20))
		if err != nil {
			return sm, fmt.Errorf("reading gzipped sitemap: %w", err)
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	var root string
	var inLoc bool
	var loc strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return sm, fmt.Errorf("parsing sitemap: %w", err)
			}
			break // keep what a truncated file listed
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = t.Name.Local
				if root != "urlset" && root != "sitemapindex" {
					return sm, fmt.Errorf("parsing sitemap: root element is %q", root)
				}
			}
			if t.Name.Local == "loc" {
				inLoc = true
				loc.Reset()
			}
		case xml.CharData:
			if inLoc {
				loc.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local != "loc" || !inLoc {
				continue
			}
			inLoc = false
			u := strings.TrimSpace(loc.String())
			if u == "" {
				continue
			}
			if root == "sitemapindex" {
				sm.Sitemaps = append(sm.Sitemaps, u)
			} else if len(sm.URLs) < maxSitemapURLs {
				sm.URLs = append(sm.URLs, u)
			}
		}
	}
	if root == "" {
		return sm, errors.New("parsing sitemap: no root element")
	}
	return sm, nil
}

// isSitemap reports whether an XML body is a sitemap or sitemap index.
func isSitemap(body []byte) bool {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "urlset" || se.Name.Local == "sitemapindex"
		}
	}
}

package extract

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// metaScanLimit is how far into an HTML page a <meta> charset declaration
// is looked for.
const metaScanLimit = 4096

// decodeBody returns body as clean UTF-8. The charset comes from, in order:
// a byte-order mark, the Content-Type header, a <meta charset> or
// <meta http-equiv> declaration (for HTML), and else from the bytes
// themselves: valid UTF-8 is UTF-8, anything else Windows-1252 (a superset
// of ISO-8859-1). Two common mislabellings are corrected: a body declared
// UTF-8 that is plainly Latin-1, and a body declared in a single-byte
// charset that is valid UTF-8 with non-ASCII letters. Invalid sequences and
// control characters never reach the result.
func decodeBody(body []byte, contentType string, isHTML bool) string {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return clean(decodeUTF8(body[3:]))
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return clean(decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), body))
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return clean(decodeWith(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), body))
	}
	label := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = params["charset"]
	}
	fromMeta := false
	if label == "" && isHTML {
		label = metaCharset(body)
		fromMeta = true
	}
	enc, name := charset.Lookup(strings.TrimSpace(label))
	if fromMeta && strings.HasPrefix(name, "utf-16") {
		// A page that could be read to find this declaration is not
		// UTF-16 (the HTML standard's rule).
		enc, name = nil, "utf-8"
	}
	switch {
	case enc == nil || name == "utf-8":
		return clean(decodeUTF8(body))
	case isSingleByte(name) && utf8.Valid(body) && hasMultiByte(body):
		return clean(string(body))
	default:
		return clean(decodeWith(enc, body))
	}
}

// decodeUTF8 reads body as UTF-8 unless it is mostly not: a body with more
// invalid bytes than valid multi-byte characters is Latin-1 text and is
// read as Windows-1252.
func decodeUTF8(body []byte) string {
	if utf8.Valid(body) {
		return string(body)
	}
	multi, invalid := 0, 0
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			invalid++
		case size > 1:
			multi++
		}
		i += max(size, 1)
	}
	if multi > 2*invalid {
		return strings.ToValidUTF8(string(body), "")
	}
	return decodeWith(charmap.Windows1252, body)
}

// decodeWith decodes body with enc; on failure it keeps the valid UTF-8 of
// body.
func decodeWith(enc encoding.Encoding, body []byte) string {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "")
	}
	return string(out)
}

// isSingleByte reports whether the WHATWG encoding name is a one-byte
// charset.
func isSingleByte(name string) bool {
	return strings.HasPrefix(name, "windows-") || strings.HasPrefix(name, "iso-8859") ||
		strings.HasPrefix(name, "koi8") || name == "macintosh" || name == "ibm866"
}

// hasMultiByte reports whether b holds a byte outside ASCII.
func hasMultiByte(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// metaCharset returns the charset a page declares in its head with
// <meta charset> or <meta http-equiv="Content-Type">, or "".
func metaCharset(body []byte) string {
	if len(body) > metaScanLimit {
		body = body[:metaScanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "meta":
			default:
				continue
			}
			var cs, equiv, content string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					equiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
			}
			if cs != "" {
				return cs
			}
			if equiv == "content-type" {
				if _, params, err := mime.ParseMediaType(content); err == nil && params["charset"] != "" {
					return params["charset"]
				}
				if i := strings.Index(strings.ToLower(content), "charset="); i >= 0 {
					return strings.Trim(content[i+len("charset="):], `"' ;`)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return ""
			}
		}
	}
}

// clean drops invalid UTF-8, the replacement character, NUL and other
// control characters except tab, newline and carriage return.
func clean(s string) string {
	bad := !utf8.ValidString(s)
	for _, r := range s {
		if bad {
			break
		}
		bad = dropRune(r)
	}
	if !bad {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToValidUTF8(s, "") {
		if !dropRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dropRune reports whether clean removes r.
func dropRune(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == utf8.RuneError
}

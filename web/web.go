package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page template names, one per file in templates/ besides base.html.
const (
	TmplSearch   = "search"
	TmplClusters = "clusters"
	TmplCluster  = "cluster"
	TmplTopics   = "topics"
	TmplTopic    = "topic"
	TmplError    = "error"
)

// pageNames lists every page template.
var pageNames = []string{TmplSearch, TmplClusters, TmplCluster, TmplTopics, TmplTopic, TmplError}

// funcs are the functions the templates may call besides the methods of
// Page.
var funcs = template.FuncMap{
	"snippet":             SnippetHTML,
	"selectField":         func(id, label string, options []Option) SelectField { return SelectField{id, label, options, false} },
	"requiredSelectField": func(id, label string, options []Option) SelectField { return SelectField{id, label, options, true} },
}

// SelectField is a labelled select box of a filter form, rendered by the
// "select" template; its id is also its parameter name.
type SelectField struct {
	ID       string
	Label    string
	Options  []Option
	Required bool
}

// Templates is the parsed set of page templates. It is safe for concurrent
// use.
type Templates struct {
	pages map[string]*template.Template
}

// ParseTemplates parses every page template together with the base layout.
func ParseTemplates() (*Templates, error) {
	t := &Templates{pages: make(map[string]*template.Template, len(pageNames))}
	for _, name := range pageNames {
		tmpl, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing template %q: %w", name, err)
		}
		t.pages[name] = tmpl
	}
	return t, nil
}

// Render executes the page template name with data and writes the HTML to
// w. Nothing is written if execution fails.
func (t *Templates) Render(w io.Writer, name string, data any) error {
	tmpl, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("rendering %q: no such template", name)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("rendering %q: %w", name, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("writing %q: %w", name, err)
	}
	return nil
}

// Static returns the static assets (style sheet, icons), rooted so that
// "style.css" is the style sheet. They are served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(fmt.Sprintf("web: static assets: %v", err)) // the embed pattern guarantees the directory
	}
	return sub
}

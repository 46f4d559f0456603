package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// staticFiles serves the embedded assets from memory, with strong ETags so
// browsers revalidate cheaply. Directories are not listed.
type staticFiles struct {
	files map[string]staticFile
}

// staticFile is one asset.
type staticFile struct {
	data []byte
	etag string
}

// newStaticFiles reads every file of fsys.
func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	s := &staticFiles{files: map[string]staticFile{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		s.files[name] = staticFile{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading static assets: %w", err)
	}
	return s, nil
}

// serve returns the handler of /static/*path.
func (s *staticFiles) serve(h *handlers) gin.HandlerFunc {
	return func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("path"), "/")
		f, ok := s.files[name]
		if !ok {
			h.notFoundPage(c, h.pageLang(c), "")
			return
		}
		c.Header("ETag", f.etag)
		c.Header("Cache-Control", "public, max-age=3600")
		http.ServeContent(c.Writer, c.Request, name, time.Time{}, bytes.NewReader(f.data))
	}
}

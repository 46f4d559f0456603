package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/klusterkarta/klusterkarta/internal/kg"
)

// DefaultTimeout bounds every call whose context has no earlier deadline.
const DefaultTimeout = 30 * time.Second

// Bookkeeping labels; a fact set may not use them as node labels
// (labelAssertion, too, in layout_write.go).
const (
	labelEntity  = "Entity"
	labelFactSet = "FactSet"
	labelMeta    = "GraphMeta"
)

// metaID is the id of the one GraphMeta node.
const metaID = "graph"

// Config says where the database is and how to reach it.
type Config struct {
	URI      string // e.g. "bolt://127.0.0.1:7687" or "neo4j+s://host"
	User     string // empty for a server without authentication
	Password string
	Database string        // empty for the server's default database
	Timeout  time.Duration // per call; zero means DefaultTimeout
	Logger   *slog.Logger  // nil discards
}

// Store is the Neo4j graph store. It is safe for concurrent use: each call
// opens its own session on the shared driver.
type Store struct {
	driver  neo4j.DriverWithContext
	db      string
	timeout time.Duration
	logger  *slog.Logger
	closed  atomic.Bool

	// answers keeps the answers of the reads that scan the whole graph
	// between writes; see cache.go.
	answers answerCache
}

var _ kg.GraphStore = (*Store)(nil)

// Open connects to the database in cfg, checks that it answers and creates
// the constraints and indexes the store relies on. It returns EINVALID for
// a config without URI, and an error wrapping ErrOldLayout (EINVALID) for a
// database that holds a graph of an older storage layout.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, kg.Errorf(kg.EINVALID, "neo4j: no URI configured")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.Log = driverLog{cfg.Logger}
	})
	if err != nil {
		return nil, fmt.Errorf("creating Neo4j driver for %s: %w", cfg.URI, err)
	}
	s := &Store{driver: driver, db: cfg.Database, timeout: cfg.Timeout, logger: cfg.Logger}

	ctx, cancel := s.deadline(ctx)
	defer cancel()
	if err := driver.VerifyConnectivity(ctx); err != nil {
		driver.Close(context.WithoutCancel(ctx))
		return nil, wrap(fmt.Sprintf("connecting to Neo4j at %s", cfg.URI), err)
	}
	if err := s.checkLayout(ctx); err != nil {
		driver.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.createSchema(ctx); err != nil {
		driver.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	s.logger.Debug("neo4j graph opened", "uri", cfg.URI, "database", cfg.Database)
	return s, nil
}

// schemaLabels are the labels whose nodes are looked up by id.
var schemaLabels = []string{
	labelEntity,
	kg.LabelCluster, kg.LabelSource, kg.LabelDocument, kg.LabelTopic, kg.LabelCounty,
	kg.LabelSite, kg.LabelOrganisation, kg.LabelPerson, kg.LabelProject, kg.LabelEvent,
}

// schema returns the statements that create the constraints and indexes.
func schema() []string {
	var out []string
	for _, l := range schemaLabels {
		out = append(out, fmt.Sprintf("CREATE CONSTRAINT kk_%s_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE",
			toSnake(l), quote(l)))
	}
	return append(out,
		"CREATE CONSTRAINT kk_fact_set_source_id IF NOT EXISTS FOR (f:FactSet) REQUIRE f.source_id IS UNIQUE",
		"CREATE CONSTRAINT kk_graph_meta_id IF NOT EXISTS FOR (m:GraphMeta) REQUIRE m.id IS UNIQUE",
		"CREATE CONSTRAINT kk_assertion_id IF NOT EXISTS FOR (x:Assertion) REQUIRE x.id IS UNIQUE",
		"CREATE INDEX kk_document_kind IF NOT EXISTS FOR (d:Document) ON (d.kind)",
		"CREATE INDEX kk_document_date IF NOT EXISTS FOR (d:Document) ON (d.date)",
		"CREATE INDEX kk_cluster_county IF NOT EXISTS FOR (c:Cluster) ON (c.county)",
	)
}

// createSchema creates what schema lists, each statement in its own
// transaction as Neo4j requires, and waits for the indexes to be online.
func (s *Store) createSchema(ctx context.Context) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(context.WithoutCancel(ctx))
	for _, stmt := range append(schema(), "CALL db.awaitIndexes(300)") {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, stmt, nil)
			if err != nil {
				return nil, err
			}
			return res.Consume(ctx)
		})
		if err != nil {
			return wrap(fmt.Sprintf("creating schema (%s)", stmt), err)
		}
	}
	return nil
}

// Close implements kg.GraphStore: it closes the driver and its
// connections. Calls after Close return EUNAVAIL; closing twice does
// nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	if err := s.driver.Close(ctx); err != nil {
		return fmt.Errorf("closing Neo4j driver: %w", err)
	}
	return nil
}

var errClosed = kg.Errorf(kg.EUNAVAIL, "graph store is closed")

// begin checks that the store is open and ctx not done, and returns ctx
// bounded by the store's timeout.
func (s *Store) begin(ctx context.Context) (context.Context, context.CancelFunc, error) {
	if s.closed.Load() {
		return ctx, func() {}, errClosed
	}
	if err := ctx.Err(); err != nil {
		return ctx, func() {}, err
	}
	ctx, cancel := s.deadline(ctx)
	return ctx, cancel, nil
}

// deadline returns ctx bounded by the store's timeout, unless ctx already
// ends sooner.
func (s *Store) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= s.timeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// txTimeout asks the server to end a transaction that outlives ctx.
func txTimeout(ctx context.Context) func(*neo4j.TransactionConfig) {
	d, ok := ctx.Deadline()
	if !ok {
		return func(*neo4j.TransactionConfig) {}
	}
	// Sub-millisecond timeouts are rounded to zero by the driver, which
	// means none at all; keep at least one millisecond.
	return neo4j.WithTxTimeout(max(time.Until(d), time.Millisecond))
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

// read runs work in a managed read transaction.
func (s *Store) read(ctx context.Context, work func(tx neo4j.ManagedTransaction) error) error {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(context.WithoutCancel(ctx))
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, work(tx)
	}, txTimeout(ctx))
	return err
}

// wrap adds what to err; errors of an unreachable server also carry
// kg.EUNAVAIL.
func wrap(what string, err error) error {
	var kerr *kg.Error
	switch {
	case errors.As(err, &kerr):
		return fmt.Errorf("%s: %w", what, err)
	case unavailable(err):
		return fmt.Errorf("%s: %w: %w", what, kg.Errorf(kg.EUNAVAIL, "graph database unavailable"), err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func unavailable(err error) bool {
	var conn *neo4j.ConnectivityError
	var auth *neo4j.InvalidAuthenticationError
	var neoErr *neo4j.Neo4jError
	switch {
	case errors.As(err, &conn), errors.As(err, &auth):
		return true
	case errors.As(err, &neoErr):
		return neoErr.Code == "Neo.ClientError.Security.Unauthorized" ||
			neoErr.Code == "Neo.ClientError.Database.DatabaseNotFound" ||
			neoErr.Code == "Neo.TransientError.General.DatabaseUnavailable"
	}
	return false
}

// driverLog passes the driver's own log lines on to a slog.Logger.
type driverLog struct{ l *slog.Logger }

func (d driverLog) Error(name, id string, err error) {
	d.l.Error("neo4j driver", "component", name, "id", id, "err", err)
}

func (d driverLog) Warnf(name, id string, msg string, args ...any) {
	d.logf(slog.LevelWarn, name, id, msg, args)
}

func (d driverLog) Infof(name, id string, msg string, args ...any) {
	d.logf(slog.LevelInfo, name, id, msg, args)
}

func (d driverLog) Debugf(name, id string, msg string, args ...any) {
	d.logf(slog.LevelDebug, name, id, msg, args)
}

func (d driverLog) logf(level slog.Level, name, id, msg string, args []any) {
	if !d.l.Enabled(context.Background(), level) {
		return
	}
	d.l.Log(context.Background(), level, "neo4j driver: "+fmt.Sprintf(msg, args...), "component", name, "id", id)
}

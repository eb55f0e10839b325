package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// A checkpoint copies the pages committed to the WAL back into the database
// file. Left to SQLite, the writer does it itself: the commit that takes the
// WAL past wal_autocheckpoint pages copies them all before it returns, and
// an import waits for it (0.45 of 6.6 s on 2M shuffled rows, all of it on
// the writer's goroutine, the import's critical path). So the store
// checkpoints on a connection and goroutine of its own: after each bulk
// commit (observations, feedback, contacts) the checkpointer copies what the
// writer committed while the writer fills its next transaction, on the core
// the writer is not using.
//
// The writer keeps an automatic checkpoint as a backstop at walBackstop
// pages. A WAL is only rewritten from its start when a transaction begins
// after every frame has been copied, which rarely happens while the writer
// commits batch after batch; the backstop's checkpoint, in the writer, has
// little left to copy (the checkpointer has done the rest) and lets the WAL
// start again, so it stays under about walBackstop pages. Writes other than
// bulk imports leave the checkpoints to the backstop alone.
type checkpointer struct {
	db   *sql.DB
	kick chan struct{}
	wg   sync.WaitGroup

	done atomic.Int64 // checkpoints made

	mu  sync.Mutex
	err error // the first failed checkpoint, for Close
}

// walBackstop is the writer's wal_autocheckpoint, in pages (16 KiB each):
// 256 MiB of WAL at most between checkpoints the writer makes itself.
const walBackstop = 4 * walAutocheckpoint

func newCheckpointer(path string, pragmas []string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, pragmas, ""))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1)}
	c.wg.Add(1)
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer c.wg.Done()
	for range c.kick {
		// PASSIVE copies what no reader still needs, without waiting for
		// the writer or the readers; what it leaves, a later one copies.
		if _, err := c.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			c.mu.Lock()
			if c.err == nil {
				c.err = fmt.Errorf("checkpoint: %w", err)
			}
			c.mu.Unlock()
			continue
		}
		c.done.Add(1)
	}
}

// committed tells the checkpointer a bulk transaction committed; it never
// waits. Kicks while a checkpoint runs fold into one.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// close stops the checkpointer and closes its connection; the writer's
// Close then makes the last checkpoint.
func (c *checkpointer) close() error {
	close(c.kick)
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.db.Close(); err != nil && c.err == nil {
		return err
	}
	return c.err
}

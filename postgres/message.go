package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

const messageColumns = `id, version, path, channel, department, stage, lang, "trigger", variables, body, body_line, intent, suppress`

func scanMessage(r pgx.Row) (saydo.Message, error) {
	var (
		m             saydo.Message
		vars          string
		stage, intent string
		suppress      string
	)
	if err := r.Scan(&m.ID, &m.Version, &m.Path, &m.Channel, &m.Department, &stage, &m.Lang,
		&m.Trigger, &vars, &m.Body, &m.BodyLine, &intent, &suppress); err != nil {
		return m, err
	}
	if suppress != "" {
		m.Suppress = strings.Split(suppress, ",")
	}
	m.Stage, m.Intent = saydo.Stage(stage), saydo.Intent(intent)
	if err := json.Unmarshal([]byte(vars), &m.Variables); err != nil {
		return m, fmt.Errorf("message %s version %d: variables: %w", m.ID, m.Version, err)
	}
	if len(m.Variables) == 0 {
		m.Variables = nil
	}
	return m, nil
}

// PutMessage stores m as a new version when its body or metadata differ
// from the latest stored version. A message that only moved (another Path
// or BodyLine) updates the latest version in place and reports no change.
// Servers storing the same message at once agree on one version: the
// transaction locks the message's id first.
func (s *Store) PutMessage(ctx context.Context, m saydo.Message) (int, bool, error) {
	if m.ID == "" {
		return 0, false, errors.New("put message: empty id")
	}
	vars := m.Variables
	if vars == nil {
		vars = []string{}
	}
	varsJSON, err := json.Marshal(vars)
	if err != nil {
		return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
	}
	var (
		version int
		changed bool
	)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('saydo.message:' || $1 || ':' || $2))`, s.schema, m.ID); err != nil {
			return err
		}
		latest, err := scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+`
			FROM messages WHERE id = $1 ORDER BY version DESC LIMIT 1`, m.ID))
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			latest.Version = 0
		case err != nil:
			return err
		case latest.SameContent(&m):
			version = latest.Version
			if latest.Path != m.Path || latest.BodyLine != m.BodyLine {
				_, err := tx.Exec(ctx, `UPDATE messages SET path = $1, body_line = $2 WHERE id = $3 AND version = $4`,
					m.Path, m.BodyLine, m.ID, latest.Version)
				return err
			}
			return nil
		}
		version, changed = latest.Version+1, true
		if _, err := tx.Exec(ctx, `INSERT INTO messages (`+messageColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			m.ID, version, m.Path, m.Channel, m.Department, string(m.Stage), m.Lang, m.Trigger,
			string(varsJSON), m.Body, m.BodyLine, string(m.Intent), strings.Join(m.Suppress, ",")); err != nil {
			return err
		}
		return s.notify(ctx, tx, "messages")
	})
	if err != nil {
		return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
	}
	return version, changed, nil
}

func (s *Store) queryMessages(ctx context.Context, query string, args ...any) ([]saydo.Message, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []saydo.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Messages returns the latest version of each message, by id.
func (s *Store) Messages(ctx context.Context) ([]saydo.Message, error) {
	ms, err := s.queryMessages(ctx, `SELECT `+messageColumns+` FROM (
		SELECT DISTINCT ON (id) * FROM messages ORDER BY id, version DESC) AS m ORDER BY id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return ms, nil
}

// MessageVersions returns every version of a message, oldest first, or an
// error wrapping saydo.ErrNotFound.
func (s *Store) MessageVersions(ctx context.Context, id string) ([]saydo.Message, error) {
	ms, err := s.queryMessages(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("message %s versions: %w", id, err)
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("message %s: %w", id, saydo.ErrNotFound)
	}
	return ms, nil
}

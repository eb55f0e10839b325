package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/saydo/saydo"
)

const messageColumns = `id, version, path, channel, department, stage, lang, trigger, variables, body, body_line, intent, suppress`

type rowScanner interface{ Scan(dest ...any) error }

func scanMessage(r rowScanner) (saydo.Message, error) {
	var (
		m        saydo.Message
		vars     string
		suppress string
	)
	if err := r.Scan(&m.ID, &m.Version, &m.Path, &m.Channel, &m.Department, &m.Stage, &m.Lang,
		&m.Trigger, &vars, &m.Body, &m.BodyLine, &m.Intent, &suppress); err != nil {
		return m, err
	}
	if suppress != "" {
		m.Suppress = strings.Split(suppress, ",")
	}
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
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
	}
	defer tx.Rollback()
	latest, err := scanMessage(tx.QueryRowContext(ctx, `SELECT `+messageColumns+`
		FROM messages WHERE id = ? ORDER BY version DESC LIMIT 1`, m.ID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		latest.Version = 0
	case err != nil:
		return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
	case latest.SameContent(&m):
		if latest.Path != m.Path || latest.BodyLine != m.BodyLine {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET path = ?, body_line = ? WHERE id = ? AND version = ?`,
				m.Path, m.BodyLine, m.ID, latest.Version); err != nil {
				return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
			}
			if err := tx.Commit(); err != nil {
				return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
			}
		}
		return latest.Version, false, nil
	}
	version := latest.Version + 1
	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (`+messageColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, version, m.Path, m.Channel, m.Department, string(m.Stage), m.Lang, m.Trigger,
		string(varsJSON), m.Body, m.BodyLine, string(m.Intent), strings.Join(m.Suppress, ",")); err != nil {
		return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("put message %s: %w", m.ID, err)
	}
	return version, true, nil
}

func (s *Store) queryMessages(ctx context.Context, query string, args ...any) ([]saydo.Message, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
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
	ms, err := s.queryMessages(ctx, `SELECT `+messageColumns+` FROM messages AS m
		WHERE version = (SELECT MAX(version) FROM messages WHERE id = m.id) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return ms, nil
}

// MessageVersions returns every version of a message, oldest first, or an
// error wrapping saydo.ErrNotFound.
func (s *Store) MessageVersions(ctx context.Context, id string) ([]saydo.Message, error) {
	ms, err := s.queryMessages(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("message %s versions: %w", id, err)
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("message %s: %w", id, saydo.ErrNotFound)
	}
	return ms, nil
}

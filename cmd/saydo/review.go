package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/saydo/saydo"
)

// reviewedStore is what unapprovedMessages reads.
type reviewedStore interface {
	saydo.MessageStore
	saydo.ReviewStore
}

// unapprovedMessages returns, for each message in msgs whose current
// content is not an approved version in the store, a line saying why:
// never stored (the server has not seen it), changed since its approved
// version, or in review / sent back. 'saydo lint --require-approval' can
// fail the build on a non-empty result. It only reads the store.
func unapprovedMessages(ctx context.Context, st reviewedStore, msgs []saydo.Message) ([]string, error) {
	var out []string
	for i := range msgs {
		m := &msgs[i]
		versions, err := st.MessageVersions(ctx, m.ID)
		if errors.Is(err, saydo.ErrNotFound) {
			out = append(out, fmt.Sprintf("%s: never reviewed (open it in the dashboard's message catalogue)", m.ID))
			continue
		}
		if err != nil {
			return nil, err
		}
		version := 0
		for j := len(versions) - 1; j >= 0; j-- {
			if versions[j].SameContent(m) {
				version = versions[j].Version
				break
			}
		}
		if version == 0 {
			out = append(out, fmt.Sprintf("%s: changed since version %d; the change needs review", m.ID, versions[len(versions)-1].Version))
			continue
		}
		hist, err := st.ReviewHistory(ctx, m.ID)
		if err != nil && !errors.Is(err, saydo.ErrNotFound) {
			return nil, err
		}
		state := saydo.Draft
		for _, h := range hist {
			if h.Version == version {
				state = h.State
			}
		}
		if state != saydo.Approved {
			out = append(out, fmt.Sprintf("%s: version %d is %s, not approved", m.ID, version, state))
		}
	}
	return out, nil
}

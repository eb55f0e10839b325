package main

import (
	"context"
	"fmt"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/yaml"
)

// ingestMessages imports CRM exports of canned messages (CSV: id, channel,
// department, stage, lang, trigger, variables, body) into the store. A
// message whose body or metadata changed becomes a new version; history
// is kept; an unchanged one is skipped, so importing twice changes nothing.
// Rejected rows are printed with their line and make the exit status 1.
func ingestMessages(ctx context.Context, e *env, o options, paths []string) error {
	st, err := openStore(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	rejectedAll := 0
	for _, path := range paths {
		in, _, err := openInput(e, path)
		if err != nil {
			return fmt.Errorf("%s: %w", displayName(path), err)
		}
		ms, rejected, err := yaml.ReadMessagesCSV(in, displayName(path))
		in.Close()
		if err != nil {
			return err
		}
		added, versions, same := 0, 0, 0
		for _, m := range ms {
			v, changed, err := st.PutMessage(ctx, m)
			if err != nil {
				return fmt.Errorf("%s: store message %s: %w", displayName(path), m.ID, err)
			}
			switch {
			case !changed:
				same++
			case v == 1:
				added++
			default:
				versions++
			}
		}
		for _, r := range rejected {
			fmt.Fprintln(e.stderr, r.Error())
		}
		read := len(ms) + len(rejected)
		fmt.Fprintf(e.stdout, "%s: %d %s read: %d new, %d new %s, %d unchanged, %d rejected\n",
			displayName(path), read, plural(read, "message", "messages"), added, versions,
			plural(versions, "version", "versions"), same, len(rejected))
		if rs, ok := st.(saydo.ReviewStore); ok {
			err := rs.AppendAudit(ctx, saydo.AuditEntry{At: e.now().UTC(), Actor: "cli", Action: "ingest_messages", Target: "messages",
				Detail: fmt.Sprintf("%s: read %d, new %d, new versions %d, unchanged %d, rejected %d", displayName(path), read, added, versions, same, len(rejected))})
			if err != nil {
				fmt.Fprintf(e.stderr, "saydo ingest: warning: the audit log was not written: %v\n", err)
			}
		}
		rejectedAll += len(rejected)
	}
	if rejectedAll > 0 {
		return problems("%d %s rejected", rejectedAll, plural(rejectedAll, "row", "rows"))
	}
	return nil
}

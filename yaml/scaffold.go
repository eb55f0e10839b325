package yaml

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// scaffoldYAML is the saydo.yaml of a new workspace: a working example with
// every field and every objective form explained.
const scaffoldYAML = `# saydo.yaml: the promises your company makes to customers, kept as code.
# Check it with "saydo check"; errors come out as file:line:col.

company: Example Co            # required: the company's name

# The experience you mean to deliver, in your own words (optional).
statement: >
  We keep every promise we make. We explain ourselves, we warn before we act,
  and we treat every customer like family.

# The parts of the company that make or deliver promises, and the concrete
# behaviours the statement asks of each.
departments:
  - id: marketing              # [a-z0-9-]+, unique
    name: Marketing
    behaviors:
      - Promise only what the company can deliver, in words customers can check.
  - id: care
    name: Customer care
    behaviors:
      - Answer every call within two minutes.
      - Solve the problem in the first call.
  - id: logistics
    name: Logistics
    behaviors:
      - Deliver on the day we said, or call before it slips.

# What the metrics measure (optional): the unit makes reports read as people
# speak ("≤ 2 min for 95%", "delivered next day for 90%", "mean ≥ 4.5").
# Units: seconds, minutes, hours, days, percent, count, boolean (1 = yes,
# 0 = no; the description says what yes means), or your own in words.
metrics:
  - id: call_wait_seconds
    unit: seconds
    description: time on hold before a person answers
  - id: delivered_next_day
    unit: boolean
    description: delivered next day
  - id: csat
    unit: points (1-5)
    description: survey score

# Every claim made to customers, with a measurable objective.
promises:
  - id: answer-in-2-min        # [a-z0-9-]+, unique
    says: "We answer every call within 2 minutes."   # the customer-facing words
    made_in: [website, tv-spring-2026]               # optional: where it was said
    owner: marketing           # the department that makes the promise
    delivered_by: [care]       # the departments that must deliver it
    stage: support             # awareness|purchase|delivery|usage|support|billing|exit
    metric: call_wait_seconds  # observations of this metric are its evidence
    objective:                 # exactly one of at_most, at_least, mean_at_most, mean_at_least
      at_most: 120             #   an observation meets it if value <= 120
      share: 0.95              #   ... and at least 95% of observations must meet it
    period: week               # day|week|month|quarter|year (default week; ISO weeks, Monday, UTC)
    since: 2026-01-01          # optional: the promise holds from ...
    # until: 2026-12-31        # ... and until (inclusive)
    # where: {region: north}   # optional: only observations with these attributes
    voice:                     # optional, but write a few: how customers speak of it, per language
      en: ["on hold", "nobody answers", "waited for ages"]
      # Without phrases, feedback is matched by the words of says and the
      # metric alone, far less precisely (docs/voice.md).
    # actions:                 # optional: what was done to close the gap; saydo gap says whether it worked
    #   - id: evening-shift
    #     what: Twelve more agents on the evening shift
    #     by: care
    #     on: 2026-04-06

  - id: next-day-delivery
    says: "Order by 6 pm, get it tomorrow."
    owner: marketing
    delivered_by: [logistics]
    stage: delivery
    metric: delivered_next_day # 1 when it arrived the next day, 0 when not
    objective:
      at_least: 1              # threshold the other way: value >= 1 meets it
      share: 0.9               # ... for at least 90% of orders

  - id: friendly-support
    says: "Friendly help, every time."
    owner: marketing
    delivered_by: [care]
    stage: support
    metric: csat               # survey scores 1-5
    objective:
      mean_at_least: 4.5       # a mean objective: the mean of observations >= 4.5
      # mean_at_most: 4.5      # or the other way; a mean objective takes no share
    period: month

# Optional: what broken promises cost. Every number needs its source; with
# customer ids on observations and feedback, measured churn replaces the
# assumed one. See docs/impact.md.
# impact:
#   currency: EUR
#   customer_value: {value: 300, source: "Finance: revenue per customer per year"}
#   churn_if_missed: {value: 0.05, source: "Exit survey: share of leavers who name a broken promise"}
#   complaint_rate: default    # 3% of dissatisfied customers complain (TARP)

# Optional: webhooks saydo serve calls when a promise breaks (saydo alerts --help).
# alerts:
#   - url: https://hooks.example.com/saydo
#     secret: ${SAYDO_ALERT_SECRET}   # whsec_...; make one with: saydo alerts secret
#     events: [status_changed, trend_changed]

# Customer journeys (saydo ingest contacts, saydo journeys): the built-in
# rules are on with these defaults; uncomment to tune them or add your own.
# journeys:
#   complaint_open_days: 30          # a complaint is open until a resolution contact, or this long
#   rules:
#     - id: journey.TooMany
#       max_contacts: 5              # more than 5 contacts ...
#       window_days: 7               # ... within 7 days, across departments
#     - id: journey.SurveyDuringComplaint
#       off: true                    # turn a built-in rule off
#     - id: no-offers-after-delivery-complaint
#       kind: during_complaint       # during_complaint | without_prior | too_many
#       when: {intent: offer}
#       complaint: {department: logistics}
#       open_days: 14

# Voice of the customer: feedback is mapped to promises by their words and
# voice phrases, plus what saydo learns from your own feedback without labels.
# When your promises cover nearly everything customers write, the words alone
# may map better: saydo voice evaluate --label COLUMN FILE says which.
# voice:
#   self_train: false
`

const scaffoldStyleReadme = `# Style rules

saydo reviews every message in ../messages with the built-in rule pack
"saydo" (greeting, reason, next step, warning before consequences, tone,
promise conflicts, placeholders, SMS length, readability, substitutions).

Add your own rules here, one YAML file per rule: an id, a level (error,
warning or suggestion), a message, and optionally the channels, departments
or languages it applies to. Run "saydo lint" to see what they find.
`

const scaffoldMessage = `---
id: missed-call-sms
channel: sms
department: care
stage: support
lang: en
trigger: A customer hung up after waiting in the queue
variables: [first_name, phone]
---
Hello {{first_name}}, we are sorry we missed your call today. A colleague will call you back within the hour, so you do not have to wait again. If another time suits you better, reply to this message or call us at {{phone}}.
`

// Scaffold writes a new workspace into dir, creating it if needed:
// saydo.yaml with commented examples of every field and objective form,
// style/README.md on writing rules, and one example message in messages/.
// It refuses to overwrite an existing saydo.yaml (the error wraps
// fs.ErrExist) and leaves other existing files alone. It returns the paths
// of the files written.
func Scaffold(dir string) ([]string, error) {
	cfg := filepath.Join(dir, FileName)
	if _, err := os.Lstat(cfg); err == nil {
		return nil, &existsError{cfg}
	}
	files := []struct{ path, text string }{
		{FileName, scaffoldYAML},
		{filepath.Join("style", "README.md"), scaffoldStyleReadme},
		{filepath.Join("messages", "care", "missed-call-sms.txt"), scaffoldMessage},
	}
	var written []string
	for _, f := range files {
		path := filepath.Join(dir, f.path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return written, fmt.Errorf("scaffold: %w", err)
		}
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && f.path != FileName {
			continue // an example the user already has: keep theirs
		}
		if err != nil {
			return written, fmt.Errorf("scaffold: %w", err)
		}
		_, err = fh.WriteString(f.text)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, fmt.Errorf("scaffold: %w", err)
		}
		written = append(written, path)
	}
	return written, nil
}

// existsError says init will not overwrite a workspace; it is
// fs.ErrExist for errors.Is.
type existsError struct{ path string }

func (e *existsError) Error() string        { return e.path + " already exists; not overwriting it" }
func (e *existsError) Is(target error) bool { return target == fs.ErrExist }

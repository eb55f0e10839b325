package demo

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// specWorkspace mirrors saydo.yaml as SPEC.md describes it; decoding with
// KnownFields makes any key outside the spec an error.
type specWorkspace struct {
	Company     string `yaml:"company"`
	Statement   string `yaml:"statement"`
	Departments []struct {
		ID        string   `yaml:"id"`
		Name      string   `yaml:"name"`
		Behaviors []string `yaml:"behaviors"`
	} `yaml:"departments"`
	Metrics []struct {
		ID          string `yaml:"id"`
		Unit        string `yaml:"unit"`
		Description string `yaml:"description"`
	} `yaml:"metrics"`
	Promises []struct {
		ID          string              `yaml:"id"`
		Says        string              `yaml:"says"`
		MadeIn      []string            `yaml:"made_in"`
		Owner       string              `yaml:"owner"`
		DeliveredBy []string            `yaml:"delivered_by"`
		Stage       string              `yaml:"stage"`
		Metric      string              `yaml:"metric"`
		Objective   map[string]float64  `yaml:"objective"`
		Period      string              `yaml:"period"`
		Since       string              `yaml:"since"`
		Until       string              `yaml:"until"`
		Where       map[string]string   `yaml:"where"`
		Voice       map[string][]string `yaml:"voice"`
		Actions     []struct {
			ID   string `yaml:"id"`
			What string `yaml:"what"`
			By   string `yaml:"by"`
			On   string `yaml:"on"`
		} `yaml:"actions"`
	} `yaml:"promises"`
	Impact map[string]any `yaml:"impact"`
}

func TestWorkspaceYAML(t *testing.T) {
	var ws specWorkspace
	dec := yaml.NewDecoder(bytes.NewReader([]byte(workspaceYAML(2026))))
	dec.KnownFields(true)
	if err := dec.Decode(&ws); err != nil {
		t.Fatalf("decode saydo.yaml: %v", err)
	}
	if ws.Company != "Nordtel" || ws.Statement == "" {
		t.Errorf("company %q, statement %q", ws.Company, ws.Statement)
	}
	depts := map[string]bool{}
	for _, d := range ws.Departments {
		if depts[d.ID] {
			t.Errorf("duplicate department %s", d.ID)
		}
		depts[d.ID] = true
		if d.Name == "" || len(d.Behaviors) < 2 || len(d.Behaviors) > 3 {
			t.Errorf("department %s: name %q, %d behaviours, want 2–3", d.ID, d.Name, len(d.Behaviors))
		}
	}
	for _, want := range []string{"marketing", "care", "field-service", "billing", "network", "finance", "collections", "sales"} {
		if !depts[want] {
			t.Errorf("no department %s", want)
		}
	}
	if len(ws.Promises) < 8 {
		t.Errorf("promises = %d, want at least 8", len(ws.Promises))
	}
	metrics := []string{metricCallWait, metricFirstCall, metricInstallDays, metricBillCorrect,
		metricSurpriseFee, metricAvailability, metricRefundDays, metricTechLate}
	idRE := regexp.MustCompile(`^[a-z0-9-]+$`)
	ids := map[string]bool{}
	for _, p := range ws.Promises {
		t.Run(p.ID, func(t *testing.T) {
			if !idRE.MatchString(p.ID) || ids[p.ID] {
				t.Errorf("id %q invalid or duplicate", p.ID)
			}
			ids[p.ID] = true
			if p.Says == "" || len(p.MadeIn) == 0 {
				t.Errorf("says %q, made_in %v", p.Says, p.MadeIn)
			}
			if !depts[p.Owner] {
				t.Errorf("owner %q is not a department", p.Owner)
			}
			if len(p.DeliveredBy) == 0 {
				t.Error("no delivered_by")
			}
			for _, d := range p.DeliveredBy {
				if !depts[d] {
					t.Errorf("delivered_by %q is not a department", d)
				}
			}
			if !slices.Contains([]string{"awareness", "purchase", "delivery", "usage", "support", "billing", "exit"}, p.Stage) {
				t.Errorf("stage %q", p.Stage)
			}
			if !slices.Contains(metrics, p.Metric) {
				t.Errorf("metric %q has no generated observations", p.Metric)
			}
			if !slices.Contains([]string{"day", "week", "month"}, p.Period) {
				t.Errorf("period %q", p.Period)
			}
			forms := 0
			for _, k := range []string{"at_most", "at_least", "mean_at_most", "mean_at_least"} {
				if _, ok := p.Objective[k]; ok {
					forms++
				}
			}
			share, hasShare := p.Objective["share"]
			_, mean := p.Objective["mean_at_least"]
			_, meanMost := p.Objective["mean_at_most"]
			switch {
			case forms != 1:
				t.Errorf("objective %v: %d forms, want 1", p.Objective, forms)
			case (mean || meanMost) && hasShare:
				t.Errorf("objective %v: share on a mean objective", p.Objective)
			case !mean && !meanMost && (share <= 0 || share > 1):
				t.Errorf("objective %v: share must be in (0,1]", p.Objective)
			}
			for _, d := range []string{p.Since, p.Until} {
				if _, err := time.Parse(time.DateOnly, d); err != nil {
					t.Errorf("since/until %q: %v", d, err)
				}
			}
			if len(p.Voice["en"]) == 0 || len(p.Voice["ro"]) == 0 {
				t.Errorf("voice %v: want en and ro phrases", p.Voice)
			}
		})
	}
}

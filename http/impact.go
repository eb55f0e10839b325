package http

import (
	"fmt"
	"math"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/saydo/saydo"
)

func init() {
	pageNames = append(pageNames, "alerts")
	funcs["signed"] = func(format string, v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "—"
		}
		s := fmt.Sprintf(format, v)
		if v > 0 {
			s = "+" + s
		}
		return strings.Replace(s, "-", "−", 1)
	}
	funcs["pp"] = func(v float64) string { // a difference of shares
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "—"
		}
		return strings.Replace(fmt.Sprintf("%+.1f", v*100), "-", "−", 1)
	}
	funcs["share"] = func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", v*100)
	}
	funcs["pvalue"] = func(p float64) string {
		switch {
		case math.IsNaN(p):
			return "p —"
		case p < 0.001:
			return "p < 0.001"
		}
		return fmt.Sprintf("p = %.2g", p)
	}
	funcs["money"] = func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "—"
		}
		return funcs["thousands"].(func(int64) string)(int64(math.Round(v)))
	}
	funcs["isnan"] = math.IsNaN
	funcs["mul100"] = func(v float64) float64 { return v * 100 }
}

// chartAction is an action marked on the promise chart.
type chartAction struct {
	X     int64  `json:"x"` // Unix seconds of its day
	Label string `json:"label"`
}

func chartActions(pg *saydo.PromiseGap, ws *saydo.Workspace) []chartAction {
	p, ok := ws.Promise(pg.ID)
	if !ok {
		return nil
	}
	var out []chartAction
	for _, a := range p.Actions {
		out = append(out, chartAction{X: a.On.Unix(), Label: a.ID})
	}
	return out
}

// apiDeliveries lists the latest webhook delivery attempts (admins).
func (s *Server) apiDeliveries(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	if s.cfg.Alerts == nil {
		writeError(w, nethttp.StatusNotImplemented, "this server keeps no alert log")
		return
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, nethttp.StatusBadRequest, "limit: want a number from 1 to 1000")
			return
		}
		limit = n
	}
	ds, err := s.cfg.Alerts.Deliveries(r.Context(), limit)
	if err != nil {
		s.internal(w, r, "deliveries", err)
		return
	}
	if ds == nil {
		ds = []saydo.Delivery{}
	}
	writeJSON(w, nethttp.StatusOK, map[string]any{"deliveries": ds})
}

// alertsPage shows the configured webhooks and the delivery log (admins).
func (s *Server) alertsPage(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	ws, ok := s.workspace(w, r)
	if !ok {
		return
	}
	var ds []saydo.Delivery
	if s.cfg.Alerts != nil {
		var err error
		if ds, err = s.cfg.Alerts.Deliveries(r.Context(), 200); err != nil {
			s.internal(w, r, "deliveries", err)
			return
		}
	}
	type hook struct {
		URL, Format, Events string
		Signed              bool
	}
	var hooks []hook
	for _, a := range ws.Alerts {
		hooks = append(hooks, hook{a.URL, a.Format, strings.Join(a.Events, ", "), a.Secret != ""})
	}
	s.render(w, r, nethttp.StatusOK, "alerts", s.page(r, who, "Alerts", map[string]any{"Hooks": hooks, "Deliveries": ds}))
}

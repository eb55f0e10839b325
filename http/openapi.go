package http

import (
	_ "embed"
	nethttp "net/http"
)

// openAPIDocument describes the JSON API; TestOpenAPIMatchesRoutes keeps it
// and the registered routes in step.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) openAPI(w nethttp.ResponseWriter, r *nethttp.Request, who *principal) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDocument)
}

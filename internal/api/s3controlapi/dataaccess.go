package s3controlapi

import (
	"bytes"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/grants"
)

// dataOps are the operations that answer from the matching index:
// GetDataAccess and the two discovery operations clients call before it.
func (h *Handler) dataOps() []route {
	return []route{
		{http.MethodGet, "accessgrantsinstance/dataaccess", "GetDataAccess", h.getDataAccess},
		{http.MethodGet, "accessgrantsinstance/caller/grants", "ListCallerAccessGrants", h.listCallerGrants},
		{http.MethodGet, "accessgrantsinstance/prefix", "GetAccessGrantsInstanceForPrefix", h.getInstanceForPrefix},
	}
}

// queryInt reads an optional integer query parameter.
func queryInt(q url.Values, name string) (*int, error) {
	s, ok := q[name]
	if !ok {
		return nil, nil
	}
	n, err := strconv.Atoi(s[0])
	if err != nil {
		return nil, awserr.Newf(awserr.InvalidRequest, "Value '%s' at '%s' is not a valid integer", s[0], name)
	}
	return &n, nil
}

func (h *Handler) getDataAccess(w http.ResponseWriter, r *http.Request, account, _ string) error {
	q := r.URL.Query()
	d, err := queryInt(q, "durationSeconds")
	if err != nil {
		return err
	}
	out, err := h.svc.GetDataAccess(ctxOf(r), account, grants.DataAccessInput{
		Target: q.Get("target"), Permission: q.Get("permission"), DurationSeconds: d,
		Privilege: q.Get("privilege"), TargetType: q.Get("targetType"), AuditContext: q.Get("auditContext"),
		InstanceScope: q.Get("instanceScope"),
	})
	if err != nil {
		return err
	}
	// The audit trail, as CloudTrail records GetDataAccess: on the
	// request's log line.
	api.AddLogAttrs(ctxOf(r), slog.String("grant", out.GrantARN), slog.String("target", q.Get("target")),
		slog.String("permission", q.Get("permission")), slog.String("privilege", q.Get("privilege")), slog.String("matched", out.MatchedGrantTarget),
		slog.String("access_key", out.Credentials.AccessKeyID), slog.String("audit_context", q.Get("auditContext")))
	return writeRaw(w, dataAccessXML(out))
}

// dataAccessXML renders GetDataAccessResult. It is written by hand: this
// is the hot path, and encoding/xml's reflection costs more than the rest
// of the response.
func dataAccessXML(out *grants.DataAccess) []byte {
	b := make([]byte, 0, 1536+len(out.Credentials.SessionToken))
	b = append(b, xml.Header...)
	b = append(b, `<GetDataAccessResult xmlns="`+Namespace+`"><Credentials><AccessKeyId>`...)
	b = appendEscaped(b, out.Credentials.AccessKeyID)
	b = append(b, `</AccessKeyId><SecretAccessKey>`...)
	b = appendEscaped(b, out.Credentials.SecretAccessKey)
	b = append(b, `</SecretAccessKey><SessionToken>`...)
	b = appendEscaped(b, out.Credentials.SessionToken)
	b = append(b, `</SessionToken><Expiration>`...)
	b = out.Credentials.Expiration.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	b = append(b, `</Expiration></Credentials><MatchedGrantTarget>`...)
	b = appendEscaped(b, out.MatchedGrantTarget)
	b = append(b, `</MatchedGrantTarget><Grantee><GranteeType>`...)
	b = appendEscaped(b, out.GranteeType)
	b = append(b, `</GranteeType><GranteeIdentifier>`...)
	b = appendEscaped(b, out.GranteeIdentifier)
	b = append(b, `</GranteeIdentifier></Grantee></GetDataAccessResult>`...)
	return b
}

// appendEscaped appends s as XML character data.
func appendEscaped(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return append(b, s...)
	}
	var buf bytes.Buffer
	xml.EscapeText(&buf, []byte(s))
	return append(b, buf.Bytes()...)
}

// writeRaw sends an encoded response document.
func writeRaw(w http.ResponseWriter, payload []byte) error {
	h := w.Header()
	h["Content-Type"] = []string{"application/xml"}
	h["Content-Length"] = []string{strconv.Itoa(len(payload))}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(payload)
	return err
}

type callerGrantXML struct {
	Permission     string `xml:"Permission"`
	GrantScope     string `xml:"GrantScope"`
	ApplicationARN string `xml:"ApplicationArn,omitempty"`
}

func (h *Handler) listCallerGrants(w http.ResponseWriter, r *http.Request, account, _ string) error {
	q := r.URL.Query()
	in, err := listInput(q)
	if err != nil {
		return err
	}
	ci := grants.CallerGrantsInput{ListInput: in, GrantScope: q.Get("grantscope")}
	if s := q.Get("allowedByApplication"); s != "" {
		if ci.AllowedByApplication, err = strconv.ParseBool(s); err != nil {
			return awserr.Newf(awserr.InvalidRequest, "Value '%s' at 'allowedByApplication' is not a valid boolean", s)
		}
	}
	list, next, err := h.svc.ListCallerAccessGrants(ctxOf(r), account, ci)
	if err != nil {
		return err
	}
	out := struct {
		XMLName   xml.Name
		NextToken string           `xml:"NextToken,omitempty"`
		Grants    []callerGrantXML `xml:"CallerAccessGrantsList>AccessGrant"`
	}{XMLName: root("ListCallerAccessGrantsResult"), NextToken: next}
	out.Grants = make([]callerGrantXML, len(list))
	for i, g := range list {
		out.Grants[i] = callerGrantXML(g)
	}
	return writeXML(w, out)
}

func (h *Handler) getInstanceForPrefix(w http.ResponseWriter, r *http.Request, account, _ string) error {
	out, err := h.svc.GetInstanceForPrefix(ctxOf(r), account, r.URL.Query().Get("s3prefix"))
	if err != nil {
		return err
	}
	return writeXML(w, struct {
		XMLName xml.Name
		ARN     string `xml:"AccessGrantsInstanceArn"`
		ID      string `xml:"AccessGrantsInstanceId"`
	}{root("GetAccessGrantsInstanceForPrefixResult"), out.ARN, out.ID})
}

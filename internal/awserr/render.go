package awserr

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
)

// Protocol names an error envelope. Each AWS protocol parses errors
// differently, so each has its own renderer.
type Protocol int

// The envelopes grantd speaks.
const (
	// S3 is the bare <Error> root of the S3 data plane.
	S3 Protocol = iota
	// S3Control wraps the error as <ErrorResponse><Error>…</Error>…</ErrorResponse>.
	S3Control
	// Query is the IAM/STS envelope with <Type>Sender</Type>.
	Query
	// JSON is awsJson1.0/1.1 with a "__type" member.
	JSON
	// RESTJSON is REST-JSON with the code in the x-amzn-ErrorType header.
	RESTJSON
)

// Envelope holds the request-scoped values an error body carries.
type Envelope struct {
	Protocol  Protocol
	RequestID string
	HostID    string
	// Namespace is the Query protocol's XML namespace.
	Namespace string
	// NoBody is set for HEAD requests, whose errors have no body.
	NoBody bool
}

// Write renders e in the envelope's protocol.
func (env Envelope) Write(w http.ResponseWriter, e *Error) {
	switch env.Protocol {
	case JSON:
		env.writeJSON(w, e)
	case RESTJSON:
		env.writeRESTJSON(w, e)
	default:
		env.writeXML(w, e)
	}
}

type xmlField struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

type xmlError struct {
	XMLName xml.Name   `xml:"Error"`
	Type    string     `xml:"Type,omitempty"`
	Code    string     `xml:"Code"`
	Message string     `xml:"Message"`
	Fields  []xmlField `xml:",any"`
	// S3's bare envelope carries the IDs inside <Error>.
	RequestID string `xml:"RequestId,omitempty"`
	HostID    string `xml:"HostId,omitempty"`
}

type xmlErrorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Namespace string   `xml:"xmlns,attr,omitempty"`
	Error     xmlError
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId,omitempty"`
}

func (env Envelope) writeXML(w http.ResponseWriter, e *Error) {
	body := xmlError{Code: e.Code.Name, Message: e.Msg()}
	for _, f := range e.Fields {
		body.Fields = append(body.Fields, xmlField{XMLName: xml.Name{Local: f.Name}, Value: f.Value})
	}
	var doc any
	switch env.Protocol {
	case S3:
		body.RequestID, body.HostID = env.RequestID, env.HostID
		doc = body
	case Query:
		body.Type = "Sender"
		if e.Code.Status >= 500 {
			body.Type = "Receiver"
		}
		doc = xmlErrorResponse{Namespace: env.Namespace, Error: body, RequestID: env.RequestID}
	default:
		doc = xmlErrorResponse{Error: body, RequestID: env.RequestID, HostID: env.HostID}
	}
	out, err := xml.Marshal(doc)
	if err != nil { // cannot happen for these plain structs
		out = []byte("<Error><Code>InternalError</Code></Error>")
	}
	if env.Protocol == Query {
		w.Header().Set("Content-Type", "text/xml")
	} else {
		w.Header().Set("Content-Type", "application/xml")
	}
	if env.NoBody {
		w.WriteHeader(e.Code.Status)
		return
	}
	payload := append([]byte(xml.Header), out...)
	w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(e.Code.Status)
	w.Write(payload)
}

func (env Envelope) writeJSON(w http.ResponseWriter, e *Error) {
	out, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}{e.Code.Name, e.Msg()})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(e.Code.Status)
	w.Write(out)
}

func (env Envelope) writeRESTJSON(w http.ResponseWriter, e *Error) {
	out, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{e.Msg()})
	w.Header().Set("X-Amzn-ErrorType", e.Code.Name)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(e.Code.Status)
	w.Write(out)
}

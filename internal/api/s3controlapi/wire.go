package s3controlapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/grants"
	"github.com/grantd/grantd/internal/meta"
)

// maxBody bounds request bodies: a 350,000-character policy, escaped, fits.
const maxBody = 2 << 20

// readBody reads the request body. Errors from reading (including
// signature failures of chunked bodies) pass through for the router.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(body) > maxBody {
		return nil, awserr.Newf(awserr.MaxMessageLengthExceeded, "Your request was too big.")
	}
	return body, nil
}

// DecodeRequest parses an XML request body into v, whose root element
// must be named root. An empty body leaves v as it is: clients send none
// when the request has no body members.
func DecodeRequest(body []byte, root string, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var start xml.StartElement
	for {
		tok, err := d.Token()
		if err != nil {
			return malformed(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			start = se
			break
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) > 0 {
			return malformed(errors.New("text before the root element"))
		}
	}
	if start.Name.Local != root {
		return awserr.Newf(awserr.InvalidRequest, "The XML root element must be %s, not %s", root, start.Name.Local)
	}
	if err := d.DecodeElement(v, &start); err != nil {
		return malformed(err)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return malformed(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return malformed(errors.New("text after the root element"))
			}
		case xml.Comment, xml.ProcInst:
		default:
			return malformed(errors.New("content after the root element"))
		}
	}
}

func malformed(err error) error {
	return &awserr.Error{Code: awserr.InvalidRequest, Message: "The XML you provided was not well-formed or did not validate against our published schema", Err: err}
}

// decode reads and parses r's body.
func decode(r *http.Request, root string, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return DecodeRequest(body, root, v)
}

// writeXML sends v as the response document.
func writeXML(w http.ResponseWriter, v any) error {
	out, err := xml.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	payload := append([]byte(xml.Header), out...)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(payload)
	return err
}

// writeEmpty answers an operation without output.
func writeEmpty(w http.ResponseWriter, status int) error {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(status)
	return nil
}

// root names a response's root element, with the namespace.
func root(name string) xml.Name { return xml.Name{Space: Namespace, Local: name} }

// wireTime renders a timestamp as S3 Control does: RFC 3339 in UTC with
// milliseconds.
type wireTime time.Time

// MarshalText implements encoding.TextMarshaler.
func (t wireTime) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z")), nil
}

type tagXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type tagsXML struct {
	Tag []tagXML `xml:"Tag"`
}

func (t *tagsXML) meta() []meta.Tag {
	if t == nil {
		return nil
	}
	out := make([]meta.Tag, len(t.Tag))
	for i, x := range t.Tag {
		out[i] = meta.Tag{Key: x.Key, Value: x.Value}
	}
	return out
}

func tagsOut(tags []meta.Tag) tagsXML {
	out := tagsXML{Tag: make([]tagXML, len(tags))}
	for i, t := range tags {
		out.Tag[i] = tagXML{t.Key, t.Value}
	}
	return out
}

// listInput reads nextToken and maxResults.
func listInput(q url.Values) (grants.ListInput, error) {
	in := grants.ListInput{NextToken: q.Get("nextToken")}
	if s := q.Get("maxResults"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return in, awserr.Newf(awserr.InvalidRequest, "Value '%s' at 'maxResults' is not a valid integer", s)
		}
		in.MaxResults = n
	}
	return in, nil
}

// TagPathARN decodes the greedy {resourceArn+} label of the tagging
// operations: everything after /v20180820/tags/ as sent, with ":" (and
// possibly "/") percent-encoded.
func TagPathARN(raw string) (string, error) {
	arn, err := url.PathUnescape(raw)
	if err != nil || arn == "" {
		return "", awserr.Newf(awserr.InvalidRequest, "The resource ARN in the request path is missing or badly encoded")
	}
	return arn, nil
}

// Request bodies, by root element.
type (
	createInstanceRequest struct {
		IdentityCenterArn string
		Tags              *tagsXML
	}
	associateRequest      struct{ IdentityCenterArn string }
	putPolicyRequest      struct{ Policy, Organization string }
	createLocationRequest struct {
		LocationScope string
		IAMRoleArn    string
		Tags          *tagsXML
	}
	updateLocationRequest struct{ IAMRoleArn string }
	createGrantRequest    struct {
		AccessGrantsLocationID            string             `xml:"AccessGrantsLocationId"`
		AccessGrantsLocationConfiguration *locationConfigXML `xml:"AccessGrantsLocationConfiguration"`
		Grantee                           granteeXML         `xml:"Grantee"`
		Permission                        string             `xml:"Permission"`
		ApplicationARN                    string             `xml:"ApplicationArn"`
		S3PrefixType                      string             `xml:"S3PrefixType"`
		Tags                              *tagsXML           `xml:"Tags"`
	}
	tagResourceRequest struct{ Tags *tagsXML }
)

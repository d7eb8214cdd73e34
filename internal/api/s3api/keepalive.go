package s3api

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"time"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
)

// longRunning runs an operation whose result is an XML document and that
// may take long (CopyObject, UploadPartCopy, CompleteMultipartUpload). If
// it ends within keepAliveAfter, the answer is sent as usual. Otherwise
// the response is committed as 200 with the XML declaration and kept alive
// with white space, and the outcome — the result or an <Error> document —
// follows in the body: S3's documented behaviour for these operations,
// which the SDKs handle by inspecting 200 bodies for errors
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
func (h *Handler) longRunning(w http.ResponseWriter, r *request, run func() (any, error)) error {
	type outcome struct {
		v   any
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := run()
		done <- outcome{v, err}
	}()
	if h.keepAliveAfter > 0 {
		timer := time.NewTimer(h.keepAliveAfter)
		defer timer.Stop()
		select {
		case o := <-done:
			if o.err != nil {
				return h.wireError(w, r, o.err)
			}
			return writeXML(w, http.StatusOK, o.v)
		case <-timer.C:
		}
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	w.Write([]byte(xml.Header))
	rc.Flush()
	tick := time.NewTicker(h.keepAliveEvery)
	defer tick.Stop()
	for {
		select {
		case o := <-done:
			return h.finishLong(w, r, o.v, o.err)
		case <-tick.C:
			w.Write([]byte(" "))
			rc.Flush()
		}
	}
}

// finishLong writes the outcome into a committed 200 response.
func (h *Handler) finishLong(w http.ResponseWriter, r *request, v any, err error) error {
	if err != nil {
		e, ok := h.wireError(w, r, err).(*awserr.Error)
		if !ok {
			e = awserr.Wrap(awserr.InternalError, err)
		}
		req := api.FromContext(r.Context())
		doc := struct {
			XMLName   xml.Name `xml:"Error"`
			Code      string   `xml:"Code"`
			Message   string   `xml:"Message"`
			RequestID string   `xml:"RequestId"`
			HostID    string   `xml:"HostId"`
		}{Code: e.Code.Name, Message: e.Msg(), RequestID: req.ID, HostID: req.HostID}
		out, _ := xml.Marshal(doc)
		w.Write(out)
		if e.Code.Status >= 500 {
			return fmt.Errorf("after keep-alive: %w", err) // logged by the router
		}
		return nil
	}
	out, merr := xml.Marshal(v)
	if merr != nil {
		return fmt.Errorf("encode %T: %w", v, merr)
	}
	w.Write(out)
	return nil
}

package s3api

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/s3"
)

// The parsers of request bodies. Each accepts the document with or without
// S3's namespace and answers MalformedXML for anything else, as S3 does.

func malformedXML() error { return awserr.New(awserr.MalformedXML) }

type completeDoc struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber *string `xml:"PartNumber"`
		ETag       *string `xml:"ETag"`
		checksums
	} `xml:"Part"`
}

// parseComplete parses a CompleteMultipartUpload document.
func parseComplete(body []byte) ([]s3.CompletedPart, error) {
	var doc completeDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, malformedXML()
	}
	if len(doc.Parts) == 0 || len(doc.Parts) > s3.MaxParts {
		return nil, malformedXML()
	}
	parts := make([]s3.CompletedPart, 0, len(doc.Parts))
	for _, p := range doc.Parts {
		if p.PartNumber == nil || p.ETag == nil {
			return nil, malformedXML()
		}
		n, err := strconv.Atoi(strings.TrimSpace(*p.PartNumber))
		if err != nil {
			return nil, malformedXML()
		}
		parts = append(parts, s3.CompletedPart{Number: n, ETag: strings.TrimSpace(*p.ETag), Checksums: p.byAlgorithm()})
	}
	return parts, nil
}

type deleteDoc struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   string   `xml:"Quiet"`
	Objects []struct {
		Key       *string `xml:"Key"`
		VersionID string  `xml:"VersionId"`
	} `xml:"Object"`
}

// parseDelete parses a DeleteObjects document: 1 to 1000 objects, each
// with a Key.
func parseDelete(body []byte) (ids []s3.ObjectIdentifier, quiet bool, err error) {
	var doc deleteDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, false, malformedXML()
	}
	if len(doc.Objects) == 0 || len(doc.Objects) > s3.MaxDeleteObjects {
		return nil, false, malformedXML()
	}
	switch strings.ToLower(strings.TrimSpace(doc.Quiet)) {
	case "true":
		quiet = true
	case "false", "":
	default:
		return nil, false, malformedXML()
	}
	for _, o := range doc.Objects {
		if o.Key == nil {
			return nil, false, malformedXML()
		}
		ids = append(ids, s3.ObjectIdentifier{Key: *o.Key, VersionID: o.VersionID})
	}
	return ids, quiet, nil
}

type taggingDoc struct {
	XMLName xml.Name `xml:"Tagging"`
	TagSet  *struct {
		Tags []struct {
			Key   *string `xml:"Key"`
			Value *string `xml:"Value"`
		} `xml:"Tag"`
	} `xml:"TagSet"`
}

// parseTagging parses a Tagging document (bucket and object tagging).
func parseTagging(body []byte) ([]meta.Tag, error) {
	var doc taggingDoc
	if err := xml.Unmarshal(body, &doc); err != nil || doc.TagSet == nil {
		return nil, malformedXML()
	}
	tags := make([]meta.Tag, 0, len(doc.TagSet.Tags))
	for _, t := range doc.TagSet.Tags {
		if t.Key == nil || t.Value == nil {
			return nil, malformedXML()
		}
		tags = append(tags, meta.Tag{Key: *t.Key, Value: *t.Value})
	}
	return tags, nil
}

type createBucketDoc struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	LocationConstraint string   `xml:"LocationConstraint"`
}

// parseCreateBucket parses an optional CreateBucketConfiguration document
// and returns its LocationConstraint.
func parseCreateBucket(body []byte) (string, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return "", nil
	}
	var doc createBucketDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return "", malformedXML()
	}
	return strings.TrimSpace(doc.LocationConstraint), nil
}

package s3api

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/s3"
)

func isMalformed(err error) bool { return awserr.Is(err, awserr.MalformedXML) }

func TestParseComplete(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []s3.CompletedPart
	}{
		{"namespaced", `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>"e1"</ETag><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><ETag>e2</ETag></Part></CompleteMultipartUpload>`,
			[]s3.CompletedPart{{Number: 1, ETag: `"e1"`, Checksums: map[string]string{"CRC32": "AAAAAA=="}}, {Number: 2, ETag: "e2", Checksums: map[string]string{}}}},
		{"plain", `<CompleteMultipartUpload><Part><PartNumber> 3 </PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>`,
			[]s3.CompletedPart{{Number: 3, ETag: "x", Checksums: map[string]string{}}}},
		{"no parts", `<CompleteMultipartUpload></CompleteMultipartUpload>`, nil},
		{"no etag", `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>`, nil},
		{"bad number", `<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>`, nil},
		{"wrong root", `<Delete><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Delete>`, nil},
		{"not xml", `{"parts":[]}`, nil},
		{"truncated", `<CompleteMultipartUpload><Part>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseComplete([]byte(tt.doc))
			if tt.want == nil {
				if !isMalformed(err) {
					t.Fatalf("parseComplete = %v, %v; want MalformedXML", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseComplete (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDelete(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		want  []s3.ObjectIdentifier
		quiet bool
	}{
		{"quiet", `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>b &amp; c</Key><VersionId>null</VersionId></Object><Quiet>true</Quiet></Delete>`,
			[]s3.ObjectIdentifier{{Key: "a"}, {Key: "b & c", VersionID: "null"}}, true},
		{"verbose", `<Delete><Object><Key>a</Key></Object></Delete>`, []s3.ObjectIdentifier{{Key: "a"}}, false},
		{"empty key is a key", `<Delete><Object><Key></Key></Object></Delete>`, []s3.ObjectIdentifier{{Key: ""}}, false},
		{"no objects", `<Delete><Quiet>true</Quiet></Delete>`, nil, false},
		{"no key", `<Delete><Object><VersionId>x</VersionId></Object></Delete>`, nil, false},
		{"bad quiet", `<Delete><Object><Key>a</Key></Object><Quiet>yes</Quiet></Delete>`, nil, false},
		{"garbage", `<Delete><Object><Key>a</Object></Delete>`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, quiet, err := parseDelete([]byte(tt.doc))
			if tt.want == nil {
				if !isMalformed(err) {
					t.Fatalf("parseDelete = %v, %v; want MalformedXML", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || quiet != tt.quiet {
				t.Errorf("parseDelete quiet=%v (-want +got):\n%s", quiet, diff)
			}
		})
	}
}

func TestParseTagging(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []meta.Tag
	}{
		{"tags", `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>e</Key><Value /></Tag></TagSet></Tagging>`,
			[]meta.Tag{{Key: "k", Value: "v"}, {Key: "e", Value: ""}}},
		{"empty set", `<Tagging><TagSet></TagSet></Tagging>`, []meta.Tag{}},
		{"no tag set", `<Tagging></Tagging>`, nil},
		{"no value", `<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>`, nil},
		{"wrong root", `<Tags><TagSet></TagSet></Tags>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTagging([]byte(tt.doc))
			if tt.want == nil {
				if !isMalformed(err) {
					t.Fatalf("parseTagging = %v, %v; want MalformedXML", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseTagging (-want +got):\n%s", diff)
			}
		})
	}
}

// The fuzz targets check that the body parsers never panic and fail only
// with MalformedXML.

func FuzzParseComplete(f *testing.F) {
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag><ChecksumSHA256>x</ChecksumSHA256></Part></CompleteMultipartUpload>`))
	f.Add([]byte(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><PartNumber>-1</PartNumber><ETag/></Part></CompleteMultipartUpload>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CompleteMultipartUpload/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		parts, err := parseComplete(b)
		if err != nil && !isMalformed(err) {
			t.Fatalf("parseComplete error %v is not MalformedXML", err)
		}
		if err == nil && (len(parts) == 0 || len(parts) > s3.MaxParts) {
			t.Fatalf("parseComplete accepted %d parts", len(parts))
		}
	})
}

func FuzzParseDelete(f *testing.F) {
	f.Add([]byte(`<Delete><Object><Key>a</Key><VersionId>v</VersionId></Object><Quiet>true</Quiet></Delete>`))
	f.Add([]byte(`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>&#0;</Key></Object></Delete>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ids, _, err := parseDelete(b)
		if err != nil && !isMalformed(err) {
			t.Fatalf("parseDelete error %v is not MalformedXML", err)
		}
		if err == nil && (len(ids) == 0 || len(ids) > s3.MaxDeleteObjects) {
			t.Fatalf("parseDelete accepted %d objects", len(ids))
		}
	})
}

func FuzzParseTagging(f *testing.F) {
	f.Add([]byte(`<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`))
	f.Add([]byte(`<Tagging><TagSet><Tag><Key><![CDATA[x]]></Key><Value></Value></Tag></TagSet></Tagging>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := parseTagging(b); err != nil && !isMalformed(err) {
			t.Fatalf("parseTagging error %v is not MalformedXML", err)
		}
	})
}

package e2e

import (
	"encoding/xml"
	"io"
	"net/http"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grantd/grantd/internal/apptest"
)

var listKeys = []string{"a", "b/1", "b/2", "b/c/3", "c", "d/1", "e+f", "sp ace", "z/é", "z/\u00e9\u0301"}

func TestS3Listing(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		c := s3Client(env, env.Root(), pathStyle)
		mustCreateBucket(t, c, "list")
		for _, k := range listKeys {
			mustPut(t, c, "list", k, []byte(k))
		}
		t.Run("V2Pages", func(t *testing.T) { testListV2Pages(t, c) })
		t.Run("V1Pages", func(t *testing.T) { testListV1Pages(t, c) })
		t.Run("Params", func(t *testing.T) { testListParams(t, c) })
		t.Run("EncodingURL", func(t *testing.T) { testListEncoding(t, env) })
		t.Run("Versions", func(t *testing.T) { testListVersions(t, c) })
	})
}

// entries lists every page with delimiter "/" and page size n through the
// SDK's paginator and returns keys and common prefixes in order.
func testListV2Pages(t *testing.T, c *s3.Client) {
	want := []string{"a", "b/", "c", "d/", "e+f", "sp ace", "z/"}
	for _, n := range []int32{1, 2, 3, 1000} {
		var got []string
		pages := 0
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(n)})
		for p.HasMorePages() {
			page, err := p.NextPage(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if int(aws.ToInt32(page.KeyCount)) != len(page.Contents)+len(page.CommonPrefixes) {
				t.Errorf("KeyCount %d for %d entries", aws.ToInt32(page.KeyCount), len(page.Contents)+len(page.CommonPrefixes))
			}
			got = append(got, pageEntries(page.Contents, page.CommonPrefixes)...)
		}
		sort.Strings(got) // a page lists keys, then prefixes
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("max-keys %d (-want +got):\n%s", n, diff)
		}
		if wantPages := (len(want) + int(n) - 1) / int(n); pages != wantPages {
			t.Errorf("max-keys %d: %d pages, want %d", n, pages, wantPages)
		}
	}
}

func pageEntries(objs []types.Object, prefixes []types.CommonPrefix) []string {
	var out []string
	for _, o := range objs {
		out = append(out, aws.ToString(o.Key))
	}
	for _, p := range prefixes {
		out = append(out, aws.ToString(p.Prefix))
	}
	return out
}

func testListV1Pages(t *testing.T, c *s3.Client) {
	var got []string
	marker := ""
	for range 20 {
		out, err := c.ListObjects(t.Context(), &s3.ListObjectsInput{Bucket: aws.String("list"), Marker: aws.String(marker), MaxKeys: aws.Int32(3), Prefix: aws.String("b/")})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, pageEntries(out.Contents, out.CommonPrefixes)...)
		for _, o := range out.Contents {
			if o.Owner == nil || aws.ToString(o.Owner.ID) == "" {
				t.Errorf("ListObjects V1 entry %s has no Owner", aws.ToString(o.Key))
			}
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		if out.NextMarker != nil {
			t.Errorf("NextMarker %q without a delimiter", aws.ToString(out.NextMarker))
		}
		marker = aws.ToString(out.Contents[len(out.Contents)-1].Key)
	}
	if diff := cmp.Diff([]string{"b/1", "b/2", "b/c/3"}, got); diff != "" {
		t.Errorf("V1 pages (-want +got):\n%s", diff)
	}
	// With a delimiter the NextMarker may be a common prefix, and the next
	// page resumes after it.
	out, err := c.ListObjects(t.Context(), &s3.ListObjectsInput{Bucket: aws.String("list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.NextMarker) != "b/" || !aws.ToBool(out.IsTruncated) {
		t.Fatalf("first page NextMarker %q truncated %v", aws.ToString(out.NextMarker), aws.ToBool(out.IsTruncated))
	}
	out, err = c.ListObjects(t.Context(), &s3.ListObjectsInput{Bucket: aws.String("list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2), Marker: out.NextMarker})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c", "d/"}, pageEntries(out.Contents, out.CommonPrefixes)); diff != "" {
		t.Errorf("page after NextMarker b/ (-want +got):\n%s", diff)
	}
}

func testListParams(t *testing.T, c *s3.Client) {
	ctx := t.Context()
	tests := []struct {
		name string
		in   s3.ListObjectsV2Input
		want []string
	}{
		{"prefix", s3.ListObjectsV2Input{Prefix: aws.String("b/")}, []string{"b/1", "b/2", "b/c/3"}},
		{"prefix and delimiter", s3.ListObjectsV2Input{Prefix: aws.String("b/"), Delimiter: aws.String("/")}, []string{"b/1", "b/2", "b/c/"}},
		{"start-after", s3.ListObjectsV2Input{StartAfter: aws.String("d/1")}, []string{"e+f", "sp ace", "z/é", "z/\u00e9\u0301"}},
		{"other delimiter", s3.ListObjectsV2Input{Delimiter: aws.String("1")}, []string{"a", "b/2", "b/c/3", "c", "e+f", "sp ace", "z/é", "z/\u00e9\u0301", "b/1", "d/1"}},
		{"max-keys 0", s3.ListObjectsV2Input{MaxKeys: aws.Int32(0)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Bucket = aws.String("list")
			out, err := c.ListObjectsV2(ctx, &in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, pageEntries(out.Contents, out.CommonPrefixes), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if aws.ToBool(out.IsTruncated) {
				t.Error("IsTruncated")
			}
		})
	}
	owned, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), FetchOwner: aws.Bool(true), MaxKeys: aws.Int32(1)})
	if err != nil || owned.Contents[0].Owner == nil {
		t.Errorf("fetch-owner: %+v, %v", owned, err)
	}
	plain, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), MaxKeys: aws.Int32(1)})
	if err != nil || plain.Contents[0].Owner != nil {
		t.Errorf("without fetch-owner: %+v, %v", plain, err)
	}
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), ContinuationToken: aws.String("!!not a token!!")})
	wantAPIError(t, err, "InvalidArgument", http.StatusBadRequest)
}

// testListEncoding checks encoding-type=url on the wire: keys are
// URL-encoded so that any key survives XML.
func testListEncoding(t *testing.T, env *apptest.Env) {
	resp := rawRequest(t, env, env.Root(), "GET", "/list?list-type=2&encoding-type=url&prefix=sp", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	var doc struct {
		Keys         []string `xml:"Contents>Key"`
		EncodingType string   `xml:"EncodingType"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if doc.EncodingType != "url" || len(doc.Keys) != 1 || doc.Keys[0] != "sp+ace" {
		t.Errorf("encoding-type=url listing: %+v", doc)
	}
}

func TestS3DeleteObjects(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "del")
	for _, k := range []string{"a", "b", "c"} {
		mustPut(t, c, "del", k, []byte(k))
	}
	ids := []types.ObjectIdentifier{{Key: aws.String("a")}, {Key: aws.String("missing")}, {Key: aws.String("b"), VersionId: aws.String("v123")}}
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("del"), Delete: &types.Delete{Objects: ids}})
	if err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, d := range out.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	if diff := cmp.Diff([]string{"a", "missing"}, deleted); diff != "" {
		t.Errorf("Deleted (-want +got):\n%s", diff)
	}
	if len(out.Errors) != 1 || aws.ToString(out.Errors[0].Key) != "b" || aws.ToString(out.Errors[0].Code) != "NoSuchVersion" {
		t.Errorf("Errors = %+v", out.Errors)
	}
	quiet, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("del"), Delete: &types.Delete{Quiet: aws.Bool(true),
		Objects: []types.ObjectIdentifier{{Key: aws.String("b")}, {Key: aws.String("c")}}}})
	if err != nil || len(quiet.Deleted) != 0 || len(quiet.Errors) != 0 {
		t.Errorf("quiet DeleteObjects = %+v, %v", quiet, err)
	}
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("del")})
	if err != nil || len(list.Contents) != 0 {
		t.Errorf("objects left: %+v, %v", list.Contents, err)
	}
}

// testListVersions pages through ListObjectVersions: each object is its
// one version, "null", as in a bucket that never had versioning.
func testListVersions(t *testing.T, c *s3.Client) {
	var got []string
	in := &s3.ListObjectVersionsInput{Bucket: aws.String("list"), MaxKeys: aws.Int32(4)}
	for range 10 {
		out, err := c.ListObjectVersions(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range out.Versions {
			if aws.ToString(v.VersionId) != "null" || !aws.ToBool(v.IsLatest) {
				t.Errorf("version %+v", v)
			}
			got = append(got, aws.ToString(v.Key))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
	if diff := cmp.Diff(listKeys, got); diff != "" {
		t.Errorf("ListObjectVersions pages (-want +got):\n%s", diff)
	}
}

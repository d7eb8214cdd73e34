package s3api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/s3"
)

// encoder applies encoding-type=url to the keys of a listing.
type encoder bool

func (e encoder) enc(s string) string {
	if e {
		return url.QueryEscape(s)
	}
	return s
}

func encodingType(r *request) (encoder, error) {
	switch v := r.get("encoding-type"); v {
	case "":
		return false, nil
	case "url":
		return true, nil
	default:
		return false, awserr.Newf(awserr.InvalidArgument, "Invalid Encoding Method specified in Request").
			With("ArgumentName", "encoding-type").With("ArgumentValue", v)
	}
}

func (h *Handler) listObjects(w http.ResponseWriter, r *request) error {
	enc, err := encodingType(r)
	if err != nil {
		return err
	}
	in := s3.ListObjectsInput{Bucket: r.bucket, Prefix: r.get("prefix"), Delimiter: r.get("delimiter"),
		V2: r.get("list-type") == "2", Marker: r.get("marker"), StartAfter: r.get("start-after"),
		ContinuationToken: r.get("continuation-token"), FetchOwner: r.get("fetch-owner") == "true"}
	if r.has("continuation-token") && in.ContinuationToken == "" {
		return awserr.Newf(awserr.InvalidArgument, "The continuation token provided is incorrect").
			With("ArgumentName", "continuation-token")
	}
	if v := r.get("max-keys"); r.has("max-keys") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return awserr.Newf(awserr.InvalidArgument, "Provided max-keys not an integer or within integer range").
				With("ArgumentName", "max-keys").With("ArgumentValue", v)
		}
		in.MaxKeys, in.MaxKeysSet = n, true
	}
	out, err := h.svc.ListObjects(r.Context(), in)
	if err != nil {
		return err
	}
	res := listBucketResult{Name: r.bucket, Prefix: enc.enc(in.Prefix), Delimiter: enc.enc(in.Delimiter),
		MaxKeys: out.MaxKeys, IsTruncated: out.IsTruncated}
	if enc {
		res.EncodingType = "url"
	}
	if in.V2 {
		n := out.KeyCount()
		res.KeyCount = &n
		res.StartAfter = enc.enc(in.StartAfter)
		res.ContinuationToken = in.ContinuationToken
		res.NextContinuationToken = out.NextContinuationToken
	} else {
		m := enc.enc(in.Marker)
		res.Marker = &m
		res.NextMarker = enc.enc(out.NextMarker)
	}
	for _, o := range out.Objects {
		e := objectEntry{Key: enc.enc(o.Key), LastModified: timestamp(o.LastModified), ETag: `"` + o.ETag + `"`,
			Size: o.Size, StorageClass: storageClass(o.Attrs.StorageClass),
			ChecksumAlgorithm: o.Checksum.Algorithm, ChecksumType: o.Checksum.Type}
		if out.Owner != nil {
			ow := owner(*out.Owner)
			e.Owner = &ow
		}
		res.Contents = append(res.Contents, e)
	}
	for _, p := range out.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{enc.enc(p)})
	}
	return writeXML(w, http.StatusOK, res)
}

func (h *Handler) listUploads(w http.ResponseWriter, r *request) error {
	enc, err := encodingType(r)
	if err != nil {
		return err
	}
	max, err := intParam(r, "max-uploads")
	if err != nil {
		return err
	}
	in := s3.ListUploadsInput{Bucket: r.bucket, Prefix: r.get("prefix"), Delimiter: r.get("delimiter"),
		KeyMarker: r.get("key-marker"), UploadIDMarker: r.get("upload-id-marker"), MaxUploads: max}
	out, err := h.svc.ListMultipartUploads(r.Context(), in)
	if err != nil {
		return err
	}
	res := listMultipartUploadsResult{Bucket: r.bucket, KeyMarker: enc.enc(in.KeyMarker), UploadIDMarker: in.UploadIDMarker,
		Delimiter: enc.enc(in.Delimiter), Prefix: enc.enc(in.Prefix), MaxUploads: out.MaxUploads, IsTruncated: out.IsTruncated}
	if enc {
		res.EncodingType = "url"
	}
	if out.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = enc.enc(out.NextKeyMarker), out.NextUploadIDMarker
	}
	for _, u := range out.Uploads {
		res.Uploads = append(res.Uploads, uploadEntry{Key: enc.enc(u.Key), UploadID: u.ID,
			Initiator: owner{ID: u.InitiatorARN, DisplayName: u.InitiatorID}, Owner: owner(out.Owner),
			StorageClass: storageClass(u.Attrs.StorageClass), Initiated: timestamp(u.Initiated),
			ChecksumAlgorithm: u.Checksum.Algorithm, ChecksumType: u.Checksum.Type})
	}
	for _, p := range out.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{enc.enc(p)})
	}
	return writeXML(w, http.StatusOK, res)
}

// listVersions serves ListObjectVersions: grantd does not version objects,
// so each object is its one version, "null", as in a bucket that never had
// versioning enabled.
func (h *Handler) listVersions(w http.ResponseWriter, r *request) error {
	enc, err := encodingType(r)
	if err != nil {
		return err
	}
	in := s3.ListObjectsInput{Bucket: r.bucket, Prefix: r.get("prefix"), Delimiter: r.get("delimiter"),
		Marker: r.get("key-marker"), Versions: true}
	if v := r.get("max-keys"); r.has("max-keys") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return awserr.Newf(awserr.InvalidArgument, "Provided max-keys not an integer or within integer range").
				With("ArgumentName", "max-keys").With("ArgumentValue", v)
		}
		in.MaxKeys, in.MaxKeysSet = n, true
	}
	if vm := r.get("version-id-marker"); vm != "" && (vm != "null" || in.Marker == "") {
		return awserr.Newf(awserr.InvalidArgument, "Invalid version id specified").
			With("ArgumentName", "version-id-marker").With("ArgumentValue", vm)
	}
	out, err := h.svc.ListObjects(r.Context(), in)
	if err != nil {
		return err
	}
	res := listVersionsResult{Name: r.bucket, Prefix: enc.enc(in.Prefix), KeyMarker: enc.enc(in.Marker), VersionIDMarker: r.get("version-id-marker"),
		Delimiter: enc.enc(in.Delimiter), MaxKeys: out.MaxKeys, IsTruncated: out.IsTruncated}
	if enc {
		res.EncodingType = "url"
	}
	if out.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = enc.enc(out.NextMarker), "null"
	}
	for _, o := range out.Objects {
		res.Versions = append(res.Versions, versionEntry{Key: enc.enc(o.Key), VersionID: "null", IsLatest: true,
			LastModified: timestamp(o.LastModified), ETag: `"` + o.ETag + `"`, Size: o.Size,
			StorageClass: storageClass(o.Attrs.StorageClass), Owner: owner(*out.Owner),
			ChecksumAlgorithm: o.Checksum.Algorithm, ChecksumType: o.Checksum.Type})
	}
	for _, p := range out.CommonPrefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{enc.enc(p)})
	}
	return writeXML(w, http.StatusOK, res)
}

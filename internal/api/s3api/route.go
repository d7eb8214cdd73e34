package s3api

import (
	"net/http"
)

type handlerFunc func(w http.ResponseWriter, r *request) error

// subresources are the query parameters that select an S3 operation or
// feature. One grantd does not implement makes the request fail with
// NotImplemented rather than be served as the plain operation; other query
// parameters (x-id, response-*, versionId…) are arguments.
var subresources = []string{
	"accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption",
	"intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
	"metadataConfiguration", "metadataTable", "metrics", "notification", "object-lock",
	"ownershipControls", "policy", "policyStatus", "publicAccessBlock", "renameObject",
	"replication", "requestPayment", "restore", "retention", "select", "session",
	"tagging", "torrent", "uploadId", "uploads", "versioning", "versions", "website",
}

// subresource returns the request's subresource, "" when it has none, and
// false when it has several (no S3 operation takes two).
func (r *request) subresource() (string, bool) {
	found := ""
	for _, s := range subresources {
		if r.has(s) {
			if found != "" {
				return "", false
			}
			found = s
		}
	}
	return found, true
}

// route picks the operation.
func (h *Handler) route(r *request) (string, handlerFunc) {
	sub, ok := r.subresource()
	if !ok {
		return "", nil
	}
	switch {
	case r.bucket == "":
		if r.Method == http.MethodGet && sub == "" {
			return "ListBuckets", h.listBuckets
		}
		return "", nil
	case r.key == "":
		return h.bucketRoute(r, sub)
	}
	return h.objectRoute(r, sub)
}

type route struct {
	method, sub string
}

func (h *Handler) bucketRoute(r *request, sub string) (string, handlerFunc) {
	routes := map[route]struct {
		op string
		fn handlerFunc
	}{
		{http.MethodGet, ""}:           {"ListObjects", h.listObjects},
		{http.MethodGet, "location"}:   {"GetBucketLocation", h.getBucketLocation},
		{http.MethodGet, "policy"}:     {"GetBucketPolicy", h.getBucketPolicy},
		{http.MethodGet, "tagging"}:    {"GetBucketTagging", h.getBucketTagging},
		{http.MethodGet, "versioning"}: {"GetBucketVersioning", h.getBucketVersioning},
		{http.MethodGet, "acl"}:        {"GetBucketAcl", h.getBucketACL},
		{http.MethodGet, "uploads"}:    {"ListMultipartUploads", h.listUploads},
		{http.MethodGet, "versions"}:   {"ListObjectVersions", h.listVersions},
		{http.MethodHead, ""}:          {"HeadBucket", h.headBucket},
		{http.MethodPut, ""}:           {"CreateBucket", h.createBucket},
		{http.MethodPut, "policy"}:     {"PutBucketPolicy", h.putBucketPolicy},
		{http.MethodPut, "tagging"}:    {"PutBucketTagging", h.putBucketTagging},
		{http.MethodDelete, ""}:        {"DeleteBucket", h.deleteBucket},
		{http.MethodDelete, "policy"}:  {"DeleteBucketPolicy", h.deleteBucketPolicy},
		{http.MethodDelete, "tagging"}: {"DeleteBucketTagging", h.deleteBucketTagging},
		{http.MethodPost, "delete"}:    {"DeleteObjects", h.deleteObjects},
	}
	rt, ok := routes[route{r.Method, sub}]
	if !ok {
		return "", nil
	}
	if rt.op == "ListObjects" && r.get("list-type") == "2" {
		rt.op = "ListObjectsV2"
	}
	return rt.op, rt.fn
}

func (h *Handler) objectRoute(r *request, sub string) (string, handlerFunc) {
	switch r.Method + " " + sub {
	case "GET ":
		return "GetObject", h.getObject
	case "HEAD ":
		return "HeadObject", h.getObject
	case "GET tagging":
		return "GetObjectTagging", h.getObjectTagging
	case "GET acl":
		return "GetObjectAcl", h.getObjectACL
	case "GET uploadId":
		return "ListParts", h.listParts
	case "PUT ":
		if r.Header.Get("x-amz-copy-source") != "" {
			return "CopyObject", h.copyObject
		}
		return "PutObject", h.putObject
	case "PUT tagging":
		return "PutObjectTagging", h.putObjectTagging
	case "PUT uploadId":
		if r.Header.Get("x-amz-copy-source") != "" {
			return "UploadPartCopy", h.uploadPartCopy
		}
		return "UploadPart", h.uploadPart
	case "DELETE ":
		return "DeleteObject", h.deleteObject
	case "DELETE tagging":
		return "DeleteObjectTagging", h.deleteObjectTagging
	case "DELETE uploadId":
		return "AbortMultipartUpload", h.abortUpload
	case "POST uploads":
		return "CreateMultipartUpload", h.createUpload
	case "POST uploadId":
		return "CompleteMultipartUpload", h.completeUpload
	}
	return "", nil
}

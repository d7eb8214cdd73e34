package s3

import (
	"context"

	"github.com/grantd/grantd/internal/meta"
)

// ListPartsInput is a ListParts request.
type ListPartsInput struct {
	Bucket           string
	Key              string
	UploadID         string
	PartNumberMarker int
	// MaxParts is 0 for the default of 1000.
	MaxParts int
}

// ListPartsOutput is one page of an upload's parts.
type ListPartsOutput struct {
	Upload               meta.Upload
	Owner                Owner
	Parts                []meta.Part
	IsTruncated          bool
	NextPartNumberMarker int
	MaxParts             int
}

// ListParts lists the parts of a multipart upload in progress.
func (s *Service) ListParts(ctx context.Context, in ListPartsInput) (*ListPartsOutput, error) {
	if in.MaxParts < 0 || in.PartNumberMarker < 0 {
		return nil, invalidArgument("Argument max-parts must be an integer between 0 and 2147483647", "max-parts", itoa(in.MaxParts))
	}
	b, u, err := s.upload(ctx, in.Bucket, in.Key, in.UploadID, ActionListMultipartUploadParts)
	if err != nil {
		return nil, err
	}
	limit := in.MaxParts
	if limit == 0 || limit > MaxListKeys {
		limit = MaxListKeys
	}
	parts, err := s.store.ListParts(ctx, u.ID, in.PartNumberMarker, limit+1)
	if err != nil {
		return nil, internal(err, "list parts of %s", u.ID)
	}
	out := &ListPartsOutput{Upload: *u, Owner: s.owner(ctx, b.AccountID), MaxParts: limit}
	if len(parts) > limit {
		parts = parts[:limit]
		out.IsTruncated = true
	}
	out.Parts = parts
	if n := len(parts); n > 0 {
		out.NextPartNumberMarker = parts[n-1].Number
	}
	return out, nil
}

// ListUploadsInput is a ListMultipartUploads request.
type ListUploadsInput struct {
	Bucket         string
	Prefix         string
	Delimiter      string
	KeyMarker      string
	UploadIDMarker string
	// MaxUploads is 0 for the default of 1000.
	MaxUploads int
}

// ListUploadsOutput is one page of a bucket's uploads in progress.
type ListUploadsOutput struct {
	Uploads            []meta.Upload
	CommonPrefixes     []string
	IsTruncated        bool
	NextKeyMarker      string
	NextUploadIDMarker string
	MaxUploads         int
	Owner              Owner
}

// ListMultipartUploads lists the uploads in progress, grouped like
// ListObjects when a delimiter is given.
func (s *Service) ListMultipartUploads(ctx context.Context, in ListUploadsInput) (*ListUploadsOutput, error) {
	b, err := s.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	if in.MaxUploads < 0 {
		return nil, invalidArgument("Argument max-uploads must be an integer between 0 and 2147483647", "max-uploads", itoa(in.MaxUploads))
	}
	if err := s.authorize(ctx, ActionListBucketMultipartUploads, b, "", nil); err != nil {
		return nil, err
	}
	limit := in.MaxUploads
	if limit == 0 || limit > MaxListKeys {
		limit = MaxListKeys
	}
	out := &ListUploadsOutput{MaxUploads: limit, Owner: s.owner(ctx, b.AccountID)}
	q := meta.KeyRange{Prefix: in.Prefix, After: in.KeyMarker}
	// As S3: without an upload-id-marker the key marker's own uploads are
	// skipped; with one, those after it come first.
	if in.UploadIDMarker != "" && in.KeyMarker != "" {
		q.AfterID = in.UploadIDMarker
	}
	if cp, ok := commonPrefix(in.KeyMarker, in.Prefix, in.Delimiter); ok {
		if q.From, ok = prefixEnd(cp); !ok {
			return out, nil
		}
		q.AfterID = ""
	}
	if err := s.uploadsPage(ctx, b.ID, in, q, limit, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) uploadsPage(ctx context.Context, bucketID string, in ListUploadsInput, q meta.KeyRange, limit int, out *ListUploadsOutput) error {
	count := func() int { return len(out.Uploads) + len(out.CommonPrefixes) }
	for {
		q.Limit = limit - count() + 1
		page, err := s.store.ListUploads(ctx, bucketID, q)
		if err != nil {
			return internal(err, "list uploads")
		}
		jumped := false
		for _, u := range page {
			if count() == limit {
				out.IsTruncated = true
				return nil
			}
			if cp, grouped := commonPrefix(u.Key, in.Prefix, in.Delimiter); grouped {
				out.CommonPrefixes = append(out.CommonPrefixes, cp)
				out.NextKeyMarker, out.NextUploadIDMarker = cp, ""
				end, ok := prefixEnd(cp)
				if !ok {
					return nil
				}
				q.From, q.After, q.AfterID, jumped = end, "", "", true
				break
			}
			out.Uploads = append(out.Uploads, u)
			out.NextKeyMarker, out.NextUploadIDMarker = u.Key, u.ID
			q.After, q.AfterID = u.Key, u.ID
		}
		if !jumped && len(page) < q.Limit {
			return nil
		}
	}
}

package grants

import (
	"context"

	"github.com/grantd/grantd/internal/meta"
)

// syncStore is the store as the control plane writes to it: each
// successful write is applied to the matching index at once (applyNow).
type syncStore struct {
	Store
	x *indexer
}

// CreateGrantsInstance writes through to the store and then to the index.
func (s syncStore) CreateGrantsInstance(ctx context.Context, inst meta.GrantsInstance, tags []meta.Tag) error {
	err := s.Store.CreateGrantsInstance(ctx, inst, tags)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsInstance, inst.Account, inst.Region, "")
	}
	return err
}

// DeleteGrantsInstance writes through to the store and then to the index.
func (s syncStore) DeleteGrantsInstance(ctx context.Context, account, region string) error {
	err := s.Store.DeleteGrantsInstance(ctx, account, region)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsInstance, account, region, "")
	}
	return err
}

// SetGrantsIdentityCenter writes through to the store and then to the index.
func (s syncStore) SetGrantsIdentityCenter(ctx context.Context, account, region, instanceARN, applicationARN string) error {
	err := s.Store.SetGrantsIdentityCenter(ctx, account, region, instanceARN, applicationARN)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsInstance, account, region, "")
	}
	return err
}

// PutGrantsResourcePolicy writes through to the store and then to the index.
func (s syncStore) PutGrantsResourcePolicy(ctx context.Context, account, region string, p meta.GrantsResourcePolicy) error {
	err := s.Store.PutGrantsResourcePolicy(ctx, account, region, p)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsPolicy, account, region, "")
	}
	return err
}

// DeleteGrantsResourcePolicy writes through to the store and then to the index.
func (s syncStore) DeleteGrantsResourcePolicy(ctx context.Context, account, region string) error {
	err := s.Store.DeleteGrantsResourcePolicy(ctx, account, region)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsPolicy, account, region, "")
	}
	return err
}

// CreateGrantsLocation writes through to the store and then to the index.
func (s syncStore) CreateGrantsLocation(ctx context.Context, loc meta.GrantsLocation, tags []meta.Tag, quota int) error {
	err := s.Store.CreateGrantsLocation(ctx, loc, tags, quota)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsLocation, loc.Account, loc.Region, loc.ID)
	}
	return err
}

// UpdateGrantsLocation writes through to the store and then to the index.
func (s syncStore) UpdateGrantsLocation(ctx context.Context, account, region, id, roleARN string) (meta.GrantsLocation, error) {
	loc, err := s.Store.UpdateGrantsLocation(ctx, account, region, id, roleARN)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsLocation, account, region, id)
	}
	return loc, err
}

// DeleteGrantsLocation writes through to the store and then to the index.
func (s syncStore) DeleteGrantsLocation(ctx context.Context, account, region, id string) error {
	err := s.Store.DeleteGrantsLocation(ctx, account, region, id)
	if err == nil {
		s.x.applyNow(ctx, meta.TopicGrantsLocation, account, region, id)
	}
	return err
}

// CreateGrant writes through to the store and then to the index.
func (s syncStore) CreateGrant(ctx context.Context, g meta.AccessGrant, tags []meta.Tag, quota int) error {
	err := s.Store.CreateGrant(ctx, g, tags, quota)
	if ix := s.x.loaded(g.Account, g.Region); err == nil && ix != nil {
		ix.mu.Lock()
		ix.putGrant(g)
		ix.mu.Unlock()
	}
	return err
}

// DeleteGrant writes through to the store and then to the index.
func (s syncStore) DeleteGrant(ctx context.Context, account, region, id string) error {
	err := s.Store.DeleteGrant(ctx, account, region, id)
	if ix := s.x.loaded(account, region); err == nil && ix != nil {
		ix.mu.Lock()
		ix.removeGrant(id)
		ix.mu.Unlock()
	}
	return err
}

// TagGrantsResource and UntagGrantsResource refresh the instance's tags
// (aws:ResourceTag of requests on the instance).
func (s syncStore) TagGrantsResource(ctx context.Context, r meta.GrantsResource, tags []meta.Tag, max int) error {
	err := s.Store.TagGrantsResource(ctx, r, tags, max)
	if err == nil && r.Kind == meta.GrantsInstanceResource {
		s.x.applyNow(ctx, meta.TopicGrantsInstance, r.Account, r.Region, "")
	}
	return err
}

// UntagGrantsResource writes through to the store and then to the index.
func (s syncStore) UntagGrantsResource(ctx context.Context, r meta.GrantsResource, keys []string) error {
	err := s.Store.UntagGrantsResource(ctx, r, keys)
	if err == nil && r.Kind == meta.GrantsInstanceResource {
		s.x.applyNow(ctx, meta.TopicGrantsInstance, r.Account, r.Region, "")
	}
	return err
}

package auth

import "context"

// SignInWatcher learns that a request is changing what a bearer token
// stands for: a session revoked or shortened, an account disabled, its
// role, scope, institution, grant or password changed. The server's session
// cache is one (accounts.Sessions): it forgets what it holds at once, and
// caches nothing more until the request is over, so that no request of the
// same process sees the old account once the change is committed.
type SignInWatcher interface {
	SignInsChanging()
}

type watcherKey struct{}

// WithSignInWatcher returns ctx telling w about sign-in changes.
func WithSignInWatcher(ctx context.Context, w SignInWatcher) context.Context {
	return context.WithValue(ctx, watcherKey{}, w)
}

// SignInsChanging tells the watcher of ctx, if any, that sign-ins are
// changing (the ent hooks of users and sessions call it). Other processes
// learn it from the auth epoch the same hooks advance in the database.
func SignInsChanging(ctx context.Context) {
	if w, ok := ctx.Value(watcherKey{}).(SignInWatcher); ok {
		w.SignInsChanging()
	}
}

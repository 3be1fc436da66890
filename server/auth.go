package main

import (
	"log/slog"
	"net"
	"net/http"

	"yanzhen/accounts"
	"yanzhen/auth"
	"yanzhen/database"
	"yanzhen/errcode"
)

// authenticate resolves the bearer token of each request and puts the
// viewer in the request context: through the session cache, so a known
// token costs no statement (no token, none either). A missing, unknown,
// expired or revoked token makes the request anonymous: anonymous callers
// read regions and institutions and may sign in, nothing else. The request
// is watched for sign-in changes (logout, revoke, an account changed): the
// cache forgets what it holds at the change and again once it is over.
func authenticate(db *database.DB, sessions *accounts.Sessions, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth.FromContext(r.Context()) != nil {
			next.ServeHTTP(w, r) // authenticated earlier in the chain (uploadsNeedARole)
			return
		}
		v, err := sessions.Authenticate(r.Context(), db.Client, auth.BearerToken(r.Header.Get("Authorization")))
		if err != nil {
			slog.ErrorContext(r.Context(), "resolving a session", "error", err)
			writeError(w, http.StatusServiceUnavailable, errcode.Internal, "the database is unavailable; try again shortly / 数据库暂时不可用，请稍后再试")
			return
		}
		if v == nil {
			v = &auth.Viewer{}
		}
		v.ClientIP = clientIP(r)
		if info := requestInfoFrom(r.Context()); info != nil {
			v.RequestID = info.id
		}
		ctx, done := sessions.Watch(auth.NewContext(r.Context(), v))
		defer done()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// uploadsNeedARole authenticates a multipart POST — an upload: the roster
// import is the one operation that takes a file — from its headers, and
// refuses it before a byte of its body is read unless the viewer may
// import: an admin or a township user. Anonymous callers get 401
// UNAUTHENTICATED, other users 403 FORBIDDEN, and the connection is closed
// rather than drained. Whether the regions the roster names lie in the
// viewer's scope is known only from the file: roster.Import checks it.
func uploadsNeedARole(db *database.DB, sessions *accounts.Sessions, next http.Handler) http.Handler {
	gate := authenticate(db, sessions, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := auth.FromContext(r.Context())
		if v.Is(auth.RoleAdmin, auth.RoleTownship) {
			next.ServeHTTP(w, r)
			return
		}
		status := http.StatusForbidden
		if v.Anonymous() {
			status = http.StatusUnauthorized
		}
		e, _ := errcode.As(auth.Deny(v))
		w.Header().Set("Connection", "close")
		writeError(w, status, e.Code, e.Message())
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && isMultipart(r) {
			gate.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer address. X-Forwarded-For is not trusted: a proxy in
// front must rate-limit logins itself or be configured to pass the address.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

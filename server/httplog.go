package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"careflow/cht"
	"careflow/cht/chthttp"
	"careflow/internal/jsonbody"
	"careflow/internal/reqinfo"
)

// logRequests writes one info line per request: method, path, status, duration and the
// authenticated user. Bodies are never logged, and the path is cut short, so a bad request
// cannot make a huge log line.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, info := reqinfo.With(r.Context())
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			s.Log.Info("request", "method", jsonbody.Short(r.Method, 20), "path", jsonbody.Short(r.URL.Path, 200), "status", status,
				"duration", time.Since(start).Round(time.Microsecond), "user", info.User())
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requireLogin admits any authenticated user (AuthSession cookie or Basic credentials): the
// metrics describe the server, not its data, but are not for the public.
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Users != nil {
			u, err := authenticate(s.Users, r)
			if u != nil {
				next.ServeHTTP(w, r)
				return
			}
			var throttled *cht.ThrottledError
			if errors.As(err, &throttled) {
				w.Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.999)))
				http.Error(w, "too many failed logins", http.StatusTooManyRequests)
				return
			}
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="careflow"`)
		http.Error(w, "login required", http.StatusUnauthorized)
	})
}

// authenticate identifies the caller by the AuthSession cookie or Basic credentials, as the
// CHT API does, counting failures against the name and the client address. A nil user means
// not authenticated; err may then be a *cht.ThrottledError.
func authenticate(users *cht.Users, r *http.Request) (*cht.User, error) {
	var u *cht.User
	var err error
	if c, cerr := r.Cookie("AuthSession"); cerr == nil && c.Value != "" {
		u, _ = users.Session(r.Context(), c.Value)
	}
	if u == nil {
		if name, password, ok := r.BasicAuth(); ok {
			u, err = users.Login(r.Context(), chthttp.ClientAddr(r), name, password)
		}
	}
	if u != nil {
		reqinfo.SetUser(r.Context(), u.Name)
	}
	return u, err
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"careflow/server"
)

func init() {
	register("serve", "run the careflow server", runServe)
}

// env returns the environment variable's value, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// serverFlags declares the flags every command that opens the server's data shares, each with
// its CAREFLOW_* environment fallback.
func serverFlags(fs *flag.FlagSet) *server.Config {
	cfg := &server.Config{}
	fs.StringVar(&cfg.Addr, "addr", env("CAREFLOW_ADDR", "127.0.0.1:8080"), "listen address (CAREFLOW_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", env("CAREFLOW_DATA", "data"), "data folder: SQLite database and secrets key (CAREFLOW_DATA)")
	fs.StringVar(&cfg.DB, "db", env("CAREFLOW_DB", ""), "database: a SQLite file path or a postgres:// URL; default DATA/careflow.db (CAREFLOW_DB)")
	cfg.Options = map[string]string{}
	fs.Func("option", "a module setting NAME=VALUE, repeatable (e.g. outbound.max_age=24h); unset ones fall back to CAREFLOW_NAME in the environment", func(v string) error {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return fmt.Errorf("want NAME=VALUE, got %q", v)
		}
		cfg.Options[name] = value
		return nil
	})
	fs.StringVar(&cfg.SecretKey, "secret-key", env("CAREFLOW_SECRET_KEY", ""), "64 hex characters encrypting credentials; default a key file in DATA (CAREFLOW_SECRET_KEY)")
	return cfg
}

// envBool reads a yes/no environment variable: unset, empty, 0, false, no and off mean no;
// 1, true, yes and on mean yes; anything else is an error rather than a guess.
func envBool(name string) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(os.Getenv(name))); v {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	default:
		return false, fmt.Errorf("%s=%q: want 1 or 0 (true/false, yes/no, on/off)", name, v)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := serverFlags(fs)
	demo, err := envBool("CAREFLOW_DEMO")
	if err != nil {
		return err
	}
	fs.BoolVar(&cfg.Demo, "demo", demo, "load demonstration data into an empty database (CAREFLOW_DEMO=1)")
	level := fs.String("log-level", env("CAREFLOW_LOG_LEVEL", "info"), "debug, info, warn or error (CAREFLOW_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2}
	}
	cfg.Logger = newLogger(stderr, *level)
	cfg.Out = stdout
	srv, err := server.New(ctx, *cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := srv.Listen(); err != nil {
		return err
	}
	return srv.Serve(ctx)
}

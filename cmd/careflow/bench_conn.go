package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// benchConn is the load generator's side of one kept-alive HTTP/1.1 connection: it writes a
// request and reads its response on the calling goroutine. The benchmarks run their clients
// on the same two cores as the server they measure, and net/http's client spends two
// goroutines and several channel hand-offs per request (about a tenth of an inbound run's
// CPU); a client that costs less leaves the cores to the server. Requests and responses are
// still real HTTP on a real socket, parsed by net/http's own reader.
type benchConn struct {
	addr    string // host:port
	timeout time.Duration
	conn    net.Conn
	br      *bufio.Reader
	bw      *bufio.Writer
	head    bytes.Buffer
}

// newBenchConn returns a connection to base ("http://host:port"); it dials on first use.
func newBenchConn(base string) (*benchConn, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("bench: %q is not an http://host:port address", base)
	}
	return &benchConn{addr: u.Host, timeout: time.Minute}, nil
}

// do sends one request with a body (nil: none) and returns the response status, having read
// and dropped the response body. header holds extra "Name: value" lines, each ending in CRLF.
// On any error the connection is closed; the next call dials again.
func (c *benchConn) do(method, path, header string, body []byte) (int, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, c.timeout)
		if err != nil {
			return 0, err
		}
		c.conn, c.br, c.bw = conn, bufio.NewReader(conn), bufio.NewWriter(conn)
	}
	status, err := c.roundTrip(method, path, header, body)
	if err != nil {
		c.close()
	}
	return status, err
}

func (c *benchConn) roundTrip(method, path, header string, body []byte) (int, error) {
	if err := c.conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	h := &c.head
	h.Reset()
	h.WriteString(method + " " + path + " HTTP/1.1\r\nHost: " + c.addr + "\r\n")
	h.WriteString(header)
	h.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	if _, err := c.bw.Write(h.Bytes()); err != nil {
		return 0, err
	}
	if _, err := c.bw.Write(body); err != nil {
		return 0, err
	}
	if err := c.bw.Flush(); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.Close {
		c.close()
	}
	return resp.StatusCode, nil
}

func (c *benchConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

func closeBenchConns(cs []*benchConn) {
	for _, c := range cs {
		c.close()
	}
}

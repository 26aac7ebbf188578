// The HTTP side of `fleetk8s watch --metrics ADDR`: Prometheus scrapes
// GET /metrics and gets the text exposition format. Boost.Beast (and
// Boost.Asio's OpenSSL streams) live here only.
//
// Small on purpose: HTTP/1.1 with keep-alive, GET and HEAD only, requests
// of at most 8 KiB, at most 16 connections at once, a 10 s deadline on
// every read, write and TLS handshake (and 60 s of idle keep-alive): a slow
// or hostile client cannot hold the watch. Use from the executor's thread
// only.
//
// With a WebConfig (web_config.h): HTTPS, its certificate and key re-read
// when either file changes (a renewed certificate needs no restart; one
// that does not load is said and the one before kept), and so is the web
// config file itself; client certificates as client_auth_type says; and
// HTTP basic authentication (401 with
// WWW-Authenticate: Basic otherwise), checked by bcrypt on a thread of its
// own so the watch never waits for it, a success or failure remembered for
// its (user, password) as a SHA-256, for at most 100 pairs.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/http/web_config.h"
#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::http {

// An error unless `address` is what listen() takes (a numeric address and
// a port); whether it is free is not looked at. For checking a setting
// before it is written down (schedule install --watch --metrics).
Result<void> check_listen_address(const std::string& address);

class MetricsServer {
 public:
  // Listens on `address` ("127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464":
  // a numeric address and a port) now, so that a bad or busy address is
  // bad input before any host is contacted. `body` makes the page for each
  // GET /metrics. With `web`: TLS and authentication as it says; a key or
  // certificate that does not load is an error now. `web_file`, the file
  // `web` was read from, is read again when it changes (checked as each
  // connection is accepted). `say` gets a line when a changed file or
  // certificate cannot be used (the ones before stay). Errors: kInvalidInput
  // naming the address or file and the reason.
  static Result<std::unique_ptr<MetricsServer>> listen(boost::asio::any_io_executor ex, const std::string& address,
                                                      std::function<std::string()> body, WebConfig web = {},
                                                      std::function<void(const std::string&)> say = {},
                                                      std::string web_file = "");
  ~MetricsServer();

  // Serves until stop(). REQUIRES: called once.
  void start();
  // Closes the listening socket and every connection.
  void stop();

  // The address and port listened on ("127.0.0.1:9464"; the real port when 0 was asked).
  std::string local_address() const;
  // "http://127.0.0.1:9464/metrics", or https://.
  std::string url() const;

  struct Impl;

 private:
  explicit MetricsServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace fleetk8s::http

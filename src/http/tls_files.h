// The TLS side of the metrics endpoint: an OpenSSL server context made from
// a web config's files (tls_server_config), made again when one of them
// changes, so a renewed certificate needs no restart. Private to src/http.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "fleetk8s/core/file.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/http/web_config.h"

namespace fleetk8s::http {

class TlsFiles {
 public:
  explicit TlsFiles(WebConfig::Tls tls) : tls_(std::move(tls)) {}

  // The context for the next connection. When a file changed since the
  // last load it is loaded again; on failure the last good one stays (null
  // when there never was one) and the error is set once per change, for
  // the caller to say: "cert_file F: cannot load it: ...", "key_file K is
  // not the key of cert_file C".
  std::shared_ptr<boost::asio::ssl::context> current(std::string& error);

 private:
  std::string stamps() const;
  Result<std::shared_ptr<boost::asio::ssl::context>> make() const;

  WebConfig::Tls tls_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  std::string loaded_, failed_;
};

}  // namespace fleetk8s::http

// --metrics-config: the web config file of Prometheus exporters, checked
// before anything is contacted, every error naming file:line and what was
// expected.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fleetk8s/http/web_config.h"

namespace fs = std::filesystem;
using namespace fleetk8s;

namespace {

// bcrypt (cost 4, to keep the test fast) of "scrape-secret".
const std::string kHash = "$2y$04$abcdefghijklmnopqrstuuKLvVYiVwiPwoRaKwUkZKXFafd3RmqEi";

struct Folder {
  fs::path dir;
  Folder() {
    char tmpl[] = "/tmp/fk-webconfig-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~Folder() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
    const fs::path p = dir / name;
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
    return p.string();
  }
  Result<http::WebConfig> load(const std::string& text) const { return http::load_web_config(write("web.yml", text)); }
  std::string error(const std::string& text) const {
    auto r = load(text);
    if (r) return "(no error)";
    return r.error().message().substr(dir.string().size() + 1);  // from "web.yml:..."
  }
};

}  // namespace

TEST_CASE("web config: TLS files from the file's folder, users with bcrypt hashes", "[http][web_config]") {
  Folder f;
  f.write("server.crt", "x");
  f.write("server.key", "x");
  f.write("ca.crt", "x");
  auto c = f.load("tls_server_config:\n  cert_file: server.crt\n  key_file: " + (f.dir / "server.key").string() +
                  "\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  min_version: TLS13\n"
                  "basic_auth_users:\n  prometheus: " + kHash + "\n");
  REQUIRE(c.ok());
  REQUIRE(c->tls);
  CHECK(c->tls->cert_file == (f.dir / "server.crt").string());
  CHECK(c->tls->key_file == (f.dir / "server.key").string());
  CHECK(c->tls->client_ca_file == (f.dir / "ca.crt").string());
  CHECK(c->tls->client_auth_type == "RequireAndVerifyClientCert");
  CHECK(c->tls->tls13_only);
  CHECK(c->basic_auth.at("prometheus") == kHash);
  // An empty file: plain HTTP, nobody asked for a password (as the toolkit).
  auto empty = f.load("");
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->tls);
  CHECK(empty->basic_auth.empty());
}

TEST_CASE("web config: what is wrong is named with file, line and what was expected", "[http][web_config]") {
  Folder f;
  f.write("server.crt", "x");
  f.write("server.key", "x");
  f.write("open.key", "x", 0644);
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n") == "web.yml:2:3: tls_server_config: missing key_file");
  CHECK(f.error("tls_server_config:\n  key_file: server.key\n") == "web.yml:2:3: tls_server_config: missing cert_file");
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n  key_file: open.key\n") ==
        "web.yml:3:13: key_file " + (f.dir / "open.key").string() +
            " is readable by others (mode 644): chmod 600 it, as OpenSSH asks of a private key");
  CHECK(f.error("tls_server_config:\n  cert_file: nothing.crt\n  key_file: server.key\n") ==
        "web.yml:2:3: cert_file " + (f.dir / "nothing.crt").string() + ": No such file or directory");
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Maybe\n") ==
        "web.yml:4:21: client_auth_type Maybe: expected NoClientCert, RequestClientCert, RequireAnyClientCert, "
        "VerifyClientCertIfGiven or RequireAndVerifyClientCert");
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: "
                "RequireAndVerifyClientCert\n") ==
        "web.yml:2:3: client_auth_type RequireAndVerifyClientCert needs client_ca_file (the CA that signs clients)");
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: server.crt\n") ==
        "web.yml:4:19: client_ca_file is set without a client_auth_type that asks for a certificate");
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS10\n") ==
        "web.yml:4:16: min_version TLS10: expected TLS12 or TLS13 (TLS 1.0 and 1.1 are not offered)");
  CHECK(f.error("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: [x]\n") ==
        "web.yml:4:3: tls_server_config.cipher_suites is not supported by fleetk8s (supported: cert_file, key_file, "
        "client_auth_type, client_ca_file, min_version)");
  CHECK(f.error("tls_server_config:\n  cert_fil: server.crt\n") == "web.yml:2:3: unknown key tls_server_config.cert_fil");
  CHECK(f.error("basic_auth_users:\n  prometheus: secret\n") ==
        "web.yml:2:15: basic_auth_users.prometheus: expected a bcrypt hash ($2y$10$ and 53 characters; htpasswd -nBC 10 "
        "\"\" makes one)");
  CHECK(f.error("basic_auth_users:\n  'a:b': " + kHash + "\n") == "web.yml:2:3: a user name must be a string without ':'");
  CHECK(f.error("http_server_config:\n  http2: false\n") ==
        "web.yml:1:1: http_server_config is not supported by fleetk8s (supported: tls_server_config, basic_auth_users)");
  CHECK(f.error("tls_config: {}\n") == "web.yml:1:1: unknown key tls_config (expected tls_server_config, basic_auth_users)");
  CHECK(f.error("- a\n") == "web.yml:1:1: expected a mapping (tls_server_config, basic_auth_users)");
}

TEST_CASE("web config: a password is checked by its bcrypt hash; an unknown user never passes", "[http][web_config]") {
  http::WebConfig c;
  c.basic_auth["prometheus"] = kHash;
  CHECK(http::check_basic_auth(c, "prometheus", "scrape-secret"));
  CHECK_FALSE(http::check_basic_auth(c, "prometheus", "scrape-secreT"));
  CHECK_FALSE(http::check_basic_auth(c, "prometheus", ""));
  CHECK_FALSE(http::check_basic_auth(c, "grafana", "scrape-secret"));
}

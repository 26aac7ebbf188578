// --metrics with --metrics-config: a real HTTPS server on loopback,
// scraped by curl with certificates openssl makes for the test.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "fleetk8s/http/metrics_server.h"

namespace fs = std::filesystem;
using namespace fleetk8s;

namespace {

// bcrypt (cost 4) of "scrape-secret".
const std::string kHash = "$2y$04$abcdefghijklmnopqrstuuKLvVYiVwiPwoRaKwUkZKXFafd3RmqEi";

std::string shell(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

struct Folder {
  fs::path dir;
  Folder() {
    char tmpl[] = "/tmp/fk-metrics-tls-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~Folder() { fs::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  // A self-signed certificate for 127.0.0.1 and its key (0600), as NAME.crt and NAME.key.
  void certificate(const std::string& name, const std::string& cn) const {
    const std::string key = path(name + ".key.new"), crt = path(name + ".crt.new");
    shell("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=" + cn +
          " -addext subjectAltName=IP:127.0.0.1 -keyout '" + key + "' -out '" + crt + "' 2>/dev/null");
    ::chmod(key.c_str(), 0600);
    fs::rename(key, path(name + ".key"));
    fs::rename(crt, path(name + ".crt"));
  }
};

http::WebConfig::Tls tls(const std::string& cert, const std::string& key, const std::string& ca = "",
                         const std::string& type = "NoClientCert") {
  http::WebConfig::Tls t;
  t.cert_file = cert;
  t.key_file = key;
  t.client_ca_file = ca;
  t.client_auth_type = type;
  return t;
}

// The server on its own thread, stopped and joined at the end.
struct Running {
  boost::asio::io_context io;
  std::unique_ptr<http::MetricsServer> server;
  std::thread thread;
  std::mutex m;
  std::vector<std::string> said;
  Running(http::WebConfig web, const std::string& file = "") {
    auto s = http::MetricsServer::listen(
        io.get_executor(), "127.0.0.1:0", [] { return std::string("fleetk8s_cycles_total 7\n"); }, std::move(web),
        [this](const std::string& line) {
          std::lock_guard<std::mutex> lock(m);
          said.push_back(line);
        },
        file);
    REQUIRE(s.ok());
    server = std::move(*s);
    server->start();
    thread = std::thread([this] { io.run(); });
  }
  ~Running() {
    boost::asio::post(io, [this] { server->stop(); });
    thread.join();
  }
  // curl's status code and body: "200 fleetk8s_cycles_total 7\n"; "000 " when it could not connect or shake hands.
  std::string get(const std::string& options) {
    return shell("curl -s --max-time 10 -w '%{http_code} ' -o /dev/null " + options + " '" + server->url() + "'") +
           shell("curl -s --max-time 10 " + options + " '" + server->url() + "'");
  }
};

}  // namespace

TEST_CASE("metrics over HTTPS with basic authentication, as Prometheus scrapes an exporter", "[http][tls]") {
  Folder f;
  f.certificate("server", "fleetk8s-metrics");
  http::WebConfig web;
  web.tls = tls(f.path("server.crt"), f.path("server.key"));
  web.basic_auth["prometheus"] = kHash;
  Running r(web);
  CHECK(r.server->url().rfind("https://127.0.0.1:", 0) == 0);
  const std::string ca = "--cacert '" + f.path("server.crt") + "'";
  CHECK(r.get(ca + " -u prometheus:scrape-secret") == "200 fleetk8s_cycles_total 7\n");
  CHECK(r.get(ca + " -u prometheus:wrong") == "401 Unauthorized\n");
  CHECK(r.get(ca + " -u grafana:scrape-secret") == "401 Unauthorized\n");
  CHECK(r.get(ca) == "401 Unauthorized\n");
  CHECK(shell("curl -s -D - -o /dev/null " + ca + " '" + r.server->url() + "'").find("WWW-Authenticate: Basic\r\n") !=
        std::string::npos);
  // Plain HTTP to the TLS port gets no page.
  std::string plain = r.server->url();
  plain.replace(0, 5, "http");
  CHECK(shell("curl -s --max-time 10 -o /dev/null -w '%{http_code}' -u prometheus:scrape-secret '" + plain + "'") ==
        "000");
}

TEST_CASE("metrics over HTTPS: a renewed certificate is served without a restart; a broken one is said and not used",
          "[http][tls]") {
  Folder f;
  f.certificate("server", "first");
  fs::copy_file(f.path("server.crt"), f.path("first.crt"));  // (to trust once the server's files change)
  http::WebConfig web;
  web.tls = tls(f.path("server.crt"), f.path("server.key"));
  Running r(web);
  CHECK(r.get("--cacert '" + f.path("first.crt") + "'") == "200 fleetk8s_cycles_total 7\n");
  f.certificate("server", "second");  // renewed: new key, new certificate
  CHECK(r.get("--cacert '" + f.path("server.crt") + "'") == "200 fleetk8s_cycles_total 7\n");
  CHECK(r.get("--cacert '" + f.path("first.crt") + "'") == "000 ");
  // A certificate that does not load: said once, the one before kept.
  const std::string second = f.path("server.crt");
  fs::copy_file(second, f.path("second.crt"));
  std::ofstream(f.path("server.crt")) << "not a certificate\n";
  CHECK(r.get("--cacert '" + f.path("second.crt") + "'") == "200 fleetk8s_cycles_total 7\n");
  CHECK(r.get("--cacert '" + f.path("second.crt") + "'") == "200 fleetk8s_cycles_total 7\n");
  std::lock_guard<std::mutex> lock(r.m);
  REQUIRE(r.said.size() == 1);
  CHECK(r.said[0].rfind("metrics: cert_file " + f.path("server.crt") + ": cannot load it: ", 0) == 0);
  CHECK(r.said[0].find("(the certificate loaded before stays in use)") != std::string::npos);
}

TEST_CASE("metrics over HTTPS: client certificates as client_auth_type says", "[http][tls]") {
  Folder f;
  f.certificate("server", "server");
  f.certificate("client", "scraper");
  f.certificate("stranger", "stranger");
  http::WebConfig web;
  web.tls = tls(f.path("server.crt"), f.path("server.key"), f.path("client.crt"), "RequireAndVerifyClientCert");
  Running r(web);
  const std::string ca = "--cacert '" + f.path("server.crt") + "'";
  CHECK(r.get(ca + " --cert '" + f.path("client.crt") + "' --key '" + f.path("client.key") + "'") ==
        "200 fleetk8s_cycles_total 7\n");
  CHECK(r.get(ca) == "000 ");
  CHECK(r.get(ca + " --cert '" + f.path("stranger.crt") + "' --key '" + f.path("stranger.key") + "'") == "000 ");
}

TEST_CASE("metrics over HTTPS: a key that is not the certificate's is bad input at start", "[http][tls]") {
  Folder f;
  f.certificate("a", "a");
  f.certificate("b", "b");
  boost::asio::io_context io;
  http::WebConfig web;
  web.tls = tls(f.path("a.crt"), f.path("b.key"));
  auto s = http::MetricsServer::listen(io.get_executor(), "127.0.0.1:0", [] { return std::string(); }, web);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message() == "--metrics-config: key_file " + f.path("b.key") + " is not the key of cert_file " +
                                   f.path("a.crt"));
}

TEST_CASE("metrics: the web config file is read again when it changes; one that does not read is said, the last kept",
          "[http][tls]") {
  Folder f;
  f.certificate("server", "server");
  const std::string file = f.path("web.yml");
  auto write = [&](const std::string& users) {
    std::ofstream(file + ".new") << "tls_server_config: {cert_file: server.crt, key_file: server.key}\n"
                                 << "basic_auth_users:\n" << users;
    fs::rename(file + ".new", file);
  };
  write("  prometheus: " + kHash + "\n");
  auto web = http::load_web_config(file);
  REQUIRE(web.ok());
  Running r(*web, file);
  const std::string ca = "--cacert '" + f.path("server.crt") + "'";
  CHECK(r.get(ca + " -u prometheus:scrape-secret") == "200 fleetk8s_cycles_total 7\n");
  write("  grafana: " + kHash + "\n");  // the user renamed
  CHECK(r.get(ca + " -u prometheus:scrape-secret") == "401 Unauthorized\n");
  CHECK(r.get(ca + " -u grafana:scrape-secret") == "200 fleetk8s_cycles_total 7\n");
  write("  grafana: scrape-secret\n");  // a password where its hash belongs
  CHECK(r.get(ca + " -u grafana:scrape-secret") == "200 fleetk8s_cycles_total 7\n");
  CHECK(r.get(ca + " -u grafana:scrape-secret") == "200 fleetk8s_cycles_total 7\n");
  std::lock_guard<std::mutex> lock(r.m);
  REQUIRE(r.said.size() == 1);
  CHECK(r.said[0] == "metrics: " + file + ":3:12: basic_auth_users.grafana: expected a bcrypt hash ($2y$10$ and 53 "
                     "characters; htpasswd -nBC 10 \"\" makes one) (the configuration read before stays in use)");
}

TEST_CASE("metrics: a kept-alive scraper gets the users of the file as it is now", "[http]") {
  Folder f;
  const std::string file = f.path("web.yml");
  auto write = [&](const std::string& user) {
    std::ofstream(file + ".new") << "basic_auth_users:\n  " << user << ": " << kHash << "\n";
    fs::rename(file + ".new", file);
  };
  write("prometheus");
  auto web = http::load_web_config(file);
  REQUIRE(web.ok());
  Running r(*web, file);
  CHECK(r.server->url().rfind("http://", 0) == 0);
  const std::string address = r.server->local_address();
  boost::asio::io_context client;
  boost::asio::ip::tcp::socket sock(client);
  sock.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                              static_cast<unsigned short>(std::stoi(address.substr(10)))));
  const std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic cHJvbWV0aGV1czpzY3JhcGUtc2VjcmV0\r\n\r\n";
  auto status = [&] {
    boost::asio::write(sock, boost::asio::buffer(get));
    boost::asio::streambuf buf;
    boost::asio::read_until(sock, buf, "\r\n\r\n");
    std::string head(boost::asio::buffers_begin(buf.data()), boost::asio::buffers_end(buf.data()));
    const size_t at = head.find("Content-Length: ");
    const size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 16));
    const size_t header_end = head.find("\r\n\r\n") + 4;
    if (head.size() < header_end + length) boost::asio::read(sock, buf, boost::asio::transfer_exactly(header_end + length - head.size()));
    return head.substr(0, head.find("\r\n"));
  };
  CHECK(status() == "HTTP/1.1 200 OK");
  write("grafana");  // prometheus removed, on the same connection
  CHECK(status() == "HTTP/1.1 401 Unauthorized");
}

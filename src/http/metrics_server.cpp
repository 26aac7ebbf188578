#include "fleetk8s/http/metrics_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

namespace fleetk8s::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::seconds kIoDeadline{10};
constexpr std::chrono::seconds kIdleDeadline{60};
constexpr size_t kMaxConnections = 16;
constexpr std::uint32_t kMaxRequest = 8192;

// "HOST:PORT" with a numeric host ("[v6]" for IPv6) and a port 0-65535.
Result<tcp::endpoint> parse_address(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kInvalidInput,
                 "--metrics " + text + ": expected ADDRESS:PORT with a numeric address (127.0.0.1:9464, [::1]:9464), " + why);
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad("the address or port is missing");
  std::string host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535)
    return bad("the port is not a number from 0 to 65535");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return bad(host + " is not a numeric IPv4 or IPv6 address");
  return tcp::endpoint(address, static_cast<unsigned short>(std::stoul(port)));
}

// A file's modification time and size: a file written again differs
// ("none" when there is no file, "" when no path).
std::string file_stamp(const std::string& path) {
  struct stat st {};
  if (path.empty()) return "";
  if (::stat(path.c_str(), &st) != 0) return "none";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" + std::to_string(st.st_size);
}

// The TLS side: the context made from the files, remade when one changes.
class TlsFiles {
 public:
  explicit TlsFiles(WebConfig::Tls tls) : tls_(std::move(tls)) {}

  // The context for the next connection. When a file changed since the
  // last load it is loaded again; on failure the last good one stays and
  // the error is returned once (for the caller to say).
  std::shared_ptr<ssl::context> current(std::string& error) {
    const std::string stamp = stamps();
    if (context_ && stamp == loaded_) return context_;
    auto made = make();
    if (made) {
      context_ = std::move(*made);
    } else if (stamp != failed_) {
      error = made.error().message();
      failed_ = stamp;
    }
    loaded_ = stamp;
    return context_;
  }

 private:
  std::string stamps() const {
    return file_stamp(tls_.cert_file) + ";" + file_stamp(tls_.key_file) + ";" + file_stamp(tls_.client_ca_file);
  }

  Result<std::shared_ptr<ssl::context>> make() const {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    auto fail = [](const std::string& what, const std::string& file, const boost::system::error_code& ec) {
      return Error(ErrorKind::kInvalidInput, what + " " + file + ": cannot load it: " + ec.message());
    };
    boost::system::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                     ec);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), tls_.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION);
    ctx->use_certificate_chain_file(tls_.cert_file, ec);
    if (ec) return fail("cert_file", tls_.cert_file, ec);
    ctx->use_private_key_file(tls_.key_file, ssl::context::pem, ec);
    if ((ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) ||
        (!ec && SSL_CTX_check_private_key(ctx->native_handle()) != 1))
      return Error(ErrorKind::kInvalidInput,
                   "key_file " + tls_.key_file + " is not the key of cert_file " + tls_.cert_file);
    if (ec) return fail("key_file", tls_.key_file, ec);
    const std::string& type = tls_.client_auth_type;
    if (!tls_.client_ca_file.empty()) {
      ctx->load_verify_file(tls_.client_ca_file, ec);
      if (ec) return fail("client_ca_file", tls_.client_ca_file, ec);
      if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls_.client_ca_file.c_str()))
        SSL_CTX_set_client_CA_list(ctx->native_handle(), names);  // (the names a client is told to pick from)
    }
    if (type == "RequestClientCert" || type == "RequireAnyClientCert") {
      // Asked for (required for Any) but not verified, as Go's crypto/tls does.
      ctx->set_verify_mode(ssl::verify_peer | (type == "RequireAnyClientCert" ? ssl::verify_fail_if_no_peer_cert : 0));
      ctx->set_verify_callback([](bool, ssl::verify_context&) { return true; });
    } else if (type == "VerifyClientCertIfGiven") {
      ctx->set_verify_mode(ssl::verify_peer);
    } else if (type == "RequireAndVerifyClientCert") {
      ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    } else {
      ctx->set_verify_mode(ssl::verify_none);
    }
    return ctx;
  }

  WebConfig::Tls tls_;
  std::shared_ptr<ssl::context> context_;
  std::string loaded_, failed_;
};

// RFC 4648 base64 with padding; nothing when malformed.
std::optional<std::string> base64_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = in[i + j];
      if (c == '=' && i + 4 == in.size() && j >= 2) {
        v[j] = 0;
        ++pad;
      } else if (pad > 0 || (v[j] = value(c)) < 0) {
        return std::nullopt;
      }
    }
    const unsigned n = static_cast<unsigned>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out += static_cast<char>(n >> 16);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

// SHA-256 of the parts, each ended by a NUL: the cache's key, so no
// password is kept in memory as it was typed.
std::string digest(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (auto p : parts) {
    joined.append(p);
    joined += '\0';
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(joined.data(), joined.size(), md, &len, EVP_sha256(), nullptr);
  OPENSSL_cleanse(joined.data(), joined.size());
  return std::string(reinterpret_cast<char*>(md), len);
}

// Spawned on the bcrypt thread, with copies (the file may be read again
// meanwhile); the caller's co_await returns on its own executor.
asio::awaitable<bool> bcrypt_check(std::string hash, std::string password) {
  const bool ok = bcrypt_matches(hash, password);
  OPENSSL_cleanse(password.data(), password.size());
  co_return ok;
}


}  // namespace

Result<void> check_listen_address(const std::string& address) {
  auto endpoint = parse_address(address);
  if (!endpoint) return endpoint.error();
  return {};
}

struct MetricsServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor ex, std::function<std::string()> b, WebConfig w, std::string file,
       std::function<void(const std::string&)> s)
      : acceptor(ex), body(std::move(b)), web(std::move(w)), web_file(std::move(file)), say(std::move(s)) {
    if (web.tls) tls.emplace(*web.tls);
    web_stamp = file_stamp(web_file);
  }
  ~Impl() { bcrypt_pool.join(); }
  tcp::acceptor acceptor;
  std::function<std::string()> body;
  WebConfig web;
  std::string web_file, web_stamp, web_failed;  // the file, as read last; a stamp whose reading failed
  std::function<void(const std::string&)> say;
  std::optional<TlsFiles> tls;
  asio::thread_pool bcrypt_pool{1};     // one bcrypt at a time, as the toolkit's mutex
  std::map<std::string, bool> checked;  // digest(user, hash, password) -> whether it was right
  std::set<beast::tcp_stream*> open;  // to close on stop()
  size_t active = 0;                  // connections accepted and not yet closed (counted before they start)
  bool stopped = false;

  // The web config file again when it changed since it was read (as the
  // toolkit reads it for each request; here one stat per connection and
  // request): users, TLS and its files, TLS for the connections to come.
  // One that does not read is said once, and what was read before stays.
  void refresh_web_config() {
    const std::string stamp = file_stamp(web_file);
    if (web_file.empty() || stamp == web_stamp || stamp == web_failed) return;
    auto read = load_web_config(web_file);
    if (!read) {
      web_failed = stamp;
      if (say) say("metrics: " + read.error().message() + " (the configuration read before stays in use)");
      return;
    }
    std::optional<TlsFiles> next;
    if (read->tls) {
      next.emplace(*read->tls);
      std::string error;
      if (!next->current(error)) {
        web_failed = stamp;
        if (say) say("metrics: " + web_file + ": " + error + " (the configuration read before stays in use)");
        return;
      }
    }
    web = std::move(*read);
    tls = std::move(next);
    checked.clear();
    web_stamp = stamp;
    web_failed.clear();
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopped) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopped || ec == asio::error::operation_aborted) co_return;
        continue;  // (a client that went away while being accepted)
      }
      if (active >= kMaxConnections) continue;  // closed at once: the scraper tries again
      ++active;
      refresh_web_config();
      if (tls) {
        std::string error;
        auto context = tls->current(error);
        if (!error.empty() && say) say("metrics: " + error + " (the certificate loaded before stays in use)");
        asio::co_spawn(acceptor.get_executor(), serve_tls(std::move(socket), std::move(context)), asio::detached);
      } else {
        asio::co_spawn(acceptor.get_executor(), serve_plain(std::move(socket)), asio::detached);
      }
    }
  }

  asio::awaitable<void> serve_plain(tcp::socket socket) {
    auto self = shared_from_this();
    beast::tcp_stream stream(std::move(socket));
    open.insert(&stream);
    co_await serve(stream);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    open.erase(&stream);
    --active;
  }

  asio::awaitable<void> serve_tls(tcp::socket socket, std::shared_ptr<ssl::context> context) {
    auto self = shared_from_this();
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *context);
    beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
    open.insert(&tcp_layer);
    tcp_layer.expires_after(kIoDeadline);
    boost::system::error_code ec;
    if (!stopped)  // (stop() may have come between the accept and this start)
      co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !stopped) {
      co_await serve(stream);
      tcp_layer.expires_after(kIoDeadline);
      co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    }
    boost::system::error_code ignored;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_layer.close();
    open.erase(&tcp_layer);
    --active;
  }

  // Whether the request's Authorization names a user of the file with the
  // right password (true when the file has no users).
  asio::awaitable<bool> authorized(const bhttp::request<bhttp::empty_body>& req) {
    if (web.basic_auth.empty()) co_return true;
    const auto header = req[bhttp::field::authorization];
    if (header.size() < 6 || !beast::iequals(header.substr(0, 6), "Basic ")) co_return false;
    auto decoded = base64_decode(std::string_view(header.data() + 6, header.size() - 6));
    if (!decoded) co_return false;
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos) co_return false;
    std::string user = decoded->substr(0, colon), password = decoded->substr(colon + 1);
    OPENSSL_cleanse(decoded->data(), decoded->size());
    const bool known = web.basic_auth.count(user) != 0;
    std::string hash = basic_auth_hash(web, user);
    const std::string key = digest({user, hash, password});
    if (auto it = checked.find(key); it != checked.end()) co_return it->second;
    const bool matches = co_await asio::co_spawn(bcrypt_pool.get_executor(), bcrypt_check(hash, password),
                                                 asio::use_awaitable);
    const bool ok = matches && known;
    OPENSSL_cleanse(password.data(), password.size());
    if (checked.size() >= 100) checked.clear();
    checked[key] = ok;
    co_return ok;
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer(kMaxRequest);
    bool first = true;
    while (!stopped) {
      bhttp::request_parser<bhttp::empty_body> parser;
      parser.header_limit(kMaxRequest);
      parser.body_limit(0);
      beast::get_lowest_layer(stream).expires_after(first ? kIoDeadline : kIdleDeadline);
      first = false;
      boost::system::error_code ec;
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const auto& req = parser.get();
      refresh_web_config();  // (a kept-alive scraper gets the users of the file as it is now)
      const bool allowed = co_await authorized(req);
      if (stopped) break;
      bhttp::response<bhttp::string_body> res;
      res.version(req.version());
      res.set(bhttp::field::server, "fleetk8s");
      res.keep_alive(req.keep_alive());
      res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
      if (!allowed) {
        res.result(bhttp::status::unauthorized);
        res.set(bhttp::field::www_authenticate, "Basic");
        res.body() = "Unauthorized\n";
      } else if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
        res.result(bhttp::status::method_not_allowed);
        res.set(bhttp::field::allow, "GET, HEAD");
        res.body() = "only GET and HEAD\n";
      } else if (req.target() != "/metrics") {
        res.result(bhttp::status::not_found);
        res.body() = "fleetk8s watch serves /metrics only\n";
      } else {
        res.result(bhttp::status::ok);
        res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.body() = body();
      }
      res.prepare_payload();
      if (req.method() == bhttp::verb::head) res.body().clear();  // (Content-Length stays the GET's)
      beast::get_lowest_layer(stream).expires_after(kIoDeadline);
      co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !res.keep_alive()) break;
    }
  }
};

Result<std::unique_ptr<MetricsServer>> MetricsServer::listen(asio::any_io_executor ex, const std::string& address,
                                                            std::function<std::string()> body, WebConfig web,
                                                            std::function<void(const std::string&)> say,
                                                            std::string web_file) {
  auto endpoint = parse_address(address);
  if (!endpoint) return endpoint.error();
  auto impl = std::make_shared<Impl>(ex, std::move(body), std::move(web), std::move(web_file), std::move(say));
  if (impl->tls) {  // a certificate or key that does not load is bad input now, not at the first scrape
    std::string error;
    if (!impl->tls->current(error)) return Error(ErrorKind::kInvalidInput, "--metrics-config: " + error);
  }
  boost::system::error_code ec;
  impl->acceptor.open(endpoint->protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(*endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(ErrorKind::kInvalidInput, "--metrics " + address + ": cannot listen there: " + ec.message());
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

MetricsServer::~MetricsServer() { stop(); }

void MetricsServer::start() { asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(), asio::detached); }

void MetricsServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  for (auto* s : impl_->open) s->socket().close(ec);
}

std::string MetricsServer::local_address() const {
  boost::system::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  if (ec) return "";
  const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
  return host + ":" + std::to_string(ep.port());
}

std::string MetricsServer::url() const { return (impl_->tls ? "https://" : "http://") + local_address() + "/metrics"; }

}  // namespace fleetk8s::http

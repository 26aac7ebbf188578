#include "fleetk8s/http/metrics_server.h"

#include <openssl/crypto.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "basic_auth.h"
#include "tls_files.h"

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
        if (!context) {  // (never: a TlsFiles is kept only once it loaded)
          --active;
          continue;
        }
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
    auto credentials = basic_credentials(std::string_view(header.data(), header.size()));
    if (!credentials) co_return false;
    std::string user = std::move(credentials->first), password = std::move(credentials->second);
    const bool known = web.basic_auth.count(user) != 0;
    std::string hash = basic_auth_hash(web, user);
    const std::string key = credentials_digest({user, hash, password});
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

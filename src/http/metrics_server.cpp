#include "fleetk8s/http/metrics_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <set>

namespace fleetk8s::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
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

}  // namespace

Result<void> check_listen_address(const std::string& address) {
  auto endpoint = parse_address(address);
  if (!endpoint) return endpoint.error();
  return {};
}

struct MetricsServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor ex, std::function<std::string()> b) : acceptor(ex), body(std::move(b)) {}
  tcp::acceptor acceptor;
  std::function<std::string()> body;
  std::set<std::shared_ptr<beast::tcp_stream>> open;
  bool stopped = false;

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopped) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopped || ec == asio::error::operation_aborted) co_return;
        continue;  // (a client that went away while being accepted)
      }
      if (open.size() >= kMaxConnections) continue;  // closed at once: the scraper tries again
      auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      open.insert(stream);
      asio::co_spawn(acceptor.get_executor(), serve(stream), asio::detached);
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<beast::tcp_stream> stream) {
    auto self = shared_from_this();
    beast::flat_buffer buffer(kMaxRequest);
    bool first = true;
    while (!stopped) {
      bhttp::request_parser<bhttp::empty_body> parser;
      parser.header_limit(kMaxRequest);
      parser.body_limit(0);
      stream->expires_after(first ? kIoDeadline : kIdleDeadline);
      first = false;
      boost::system::error_code ec;
      co_await bhttp::async_read(*stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const auto& req = parser.get();
      bhttp::response<bhttp::string_body> res;
      res.version(req.version());
      res.set(bhttp::field::server, "fleetk8s");
      res.keep_alive(req.keep_alive());
      if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
        res.result(bhttp::status::method_not_allowed);
        res.set(bhttp::field::allow, "GET, HEAD");
        res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
        res.body() = "only GET and HEAD\n";
      } else if (req.target() != "/metrics") {
        res.result(bhttp::status::not_found);
        res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
        res.body() = "fleetk8s watch serves /metrics only\n";
      } else {
        res.result(bhttp::status::ok);
        res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res.body() = body();
      }
      res.prepare_payload();
      if (req.method() == bhttp::verb::head) res.body().clear();  // (Content-Length stays the GET's)
      stream->expires_after(kIoDeadline);
      co_await bhttp::async_write(*stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !res.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->close();
    open.erase(stream);
  }
};

Result<std::unique_ptr<MetricsServer>> MetricsServer::listen(asio::any_io_executor ex, const std::string& address,
                                                            std::function<std::string()> body) {
  auto endpoint = parse_address(address);
  if (!endpoint) return endpoint.error();
  auto impl = std::make_shared<Impl>(ex, std::move(body));
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
  for (const auto& s : impl_->open) s->socket().close(ec);
}

std::string MetricsServer::local_address() const {
  boost::system::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  if (ec) return "";
  const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
  return host + ":" + std::to_string(ep.port());
}

}  // namespace fleetk8s::http

// The metrics endpoint's address is checked before anything is contacted.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "fleetk8s/http/metrics_server.h"

using namespace fleetk8s;

TEST_CASE("the metrics address: a numeric address and a port, else an error naming what was expected", "[http]") {
  boost::asio::io_context io;
  auto page = [] { return std::string("x 1\n"); };
  for (const char* bad : {"9464", ":9464", "localhost:9464", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536",
                          "127.0.0.1:-1", "[::1:9464", "127.0.0.1:9464;rm"}) {
    INFO(bad);
    auto s = http::MetricsServer::listen(io.get_executor(), bad, page);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message().find(std::string("--metrics ") + bad + ": expected ADDRESS:PORT") == 0);
  }
  auto ok = http::MetricsServer::listen(io.get_executor(), "127.0.0.1:0", page);
  REQUIRE(ok.ok());
  CHECK((*ok)->local_address().rfind("127.0.0.1:", 0) == 0);
  // The same address and port again: busy, said.
  auto busy = http::MetricsServer::listen(io.get_executor(), (*ok)->local_address(), page);
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.error().message().find("cannot listen there") != std::string::npos);
}

TEST_CASE("the metrics endpoint holds at most 16 connections; the 17th is closed at once", "[http]") {
  boost::asio::io_context io;
  auto s = http::MetricsServer::listen(io.get_executor(), "127.0.0.1:0", [] { return std::string("x 1\n"); });
  REQUIRE(s.ok());
  (*s)->start();
  std::thread server([&io] { io.run(); });
  const std::string address = (*s)->local_address();
  const auto endpoint = boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                       static_cast<unsigned short>(std::stoi(address.substr(10))));
  boost::asio::io_context client;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> idle;
  for (int i = 0; i < 16; ++i) {  // all at once, before the server has read from any
    idle.push_back(std::make_unique<boost::asio::ip::tcp::socket>(client));
    idle.back()->connect(endpoint);
  }
  // Reads one answer (or the close) with a 5 s limit.
  auto answer = [](boost::asio::ip::tcp::socket& sock) {
    timeval tv{5, 0};
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    const ssize_t n = ::recv(sock.native_handle(), buf, sizeof buf, 0);
    return n < 0 ? std::string("(timeout)") : std::string(buf, static_cast<size_t>(n));
  };
  boost::asio::ip::tcp::socket extra(client);
  extra.connect(endpoint);
  CHECK(answer(extra).empty());  // closed by the server, not left waiting
  const std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(*idle.front(), boost::asio::buffer(get));
  CHECK(answer(*idle.front()).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  idle.clear();  // the 16 closed: room again
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  boost::asio::ip::tcp::socket again(client);
  again.connect(endpoint);
  boost::asio::write(again, boost::asio::buffer(get));
  CHECK(answer(again).rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  boost::asio::post(io, [&] { (*s)->stop(); });
  server.join();
}

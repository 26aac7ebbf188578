// The metrics endpoint's address is checked before anything is contacted.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

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

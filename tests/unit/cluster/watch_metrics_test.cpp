// The Prometheus text `fleetk8s watch --metrics` serves.
#include <catch2/catch.hpp>

#include "fleetk8s/cluster/watch.h"

using namespace fleetk8s;

TEST_CASE("watch metrics: one sample per host and family, counters and gauges typed", "[cluster][watch]") {
  std::map<std::string, cluster::HostWatch> hosts;
  hosts["cp1"] = {true, 0, 1796636883.5, 0};
  hosts["web3"] = {false, 2, 0, 3};
  const std::string text = cluster::prometheus_text(hosts, 0.25, 7);
  CHECK(text.find("# TYPE fleetk8s_host_up gauge\nfleetk8s_host_up{host=\"cp1\"} 1\nfleetk8s_host_up{host=\"web3\"} 0\n") !=
        std::string::npos);
  CHECK(text.find("fleetk8s_host_drifted_tasks{host=\"web3\"} 2\n") != std::string::npos);
  CHECK(text.find("fleetk8s_host_last_check_timestamp_seconds{host=\"cp1\"} 1796636883.5\n") != std::string::npos);
  CHECK(text.find("fleetk8s_host_last_check_timestamp_seconds{host=\"web3\"} 0\n") != std::string::npos);
  CHECK(text.find("# TYPE fleetk8s_fixes_total counter\n") != std::string::npos);
  CHECK(text.find("fleetk8s_fixes_total{host=\"web3\"} 3\n") != std::string::npos);
  CHECK(text.find("fleetk8s_cycle_duration_seconds 0.25\n") != std::string::npos);
  CHECK(text.find("fleetk8s_cycles_total 7\n") != std::string::npos);
  CHECK(text.back() == '\n');
  // Shortest digits, as Go's client writes (strconv 'g', -1), not 0.10000000000000001.
  CHECK(cluster::prometheus_text(hosts, 0.1, 7).find("fleetk8s_cycle_duration_seconds 0.1\n") != std::string::npos);
}

TEST_CASE("watch metrics: a host name cannot break out of its label", "[cluster][watch][hostile]") {
  std::map<std::string, cluster::HostWatch> hosts;
  hosts["a\"} 1\nfleetk8s_fake 9\\"] = {true, 0, 0, 0};
  const std::string text = cluster::prometheus_text(hosts, 0, 0);
  CHECK(text.find("fleetk8s_host_up{host=\"a\\\"} 1\\nfleetk8s_fake 9\\\\\"} 1\n") != std::string::npos);
  CHECK(text.find("\nfleetk8s_fake") == std::string::npos);
}

#include <catch2/catch.hpp>

#include "jump_pool.h"

using namespace fleetk8s::ssh;

TEST_CASE("hosts share a jump session only when they would verify it alike", "[ssh][jump]") {
  ConnectOptions a;
  a.user = "admin";
  a.address = "bastion";
  a.port = 22;
  a.known_hosts_file = "/kh/fleet";
  ConnectOptions same = a;
  CHECK(jump_key(a) == jump_key(same));
  ConnectOptions lax = a;
  lax.host_key_policy = HostKeyPolicy::kOff;
  CHECK(jump_key(a) != jump_key(lax));
  ConnectOptions other_file = a;
  other_file.known_hosts_file = "/kh/other";
  CHECK(jump_key(a) != jump_key(other_file));
}

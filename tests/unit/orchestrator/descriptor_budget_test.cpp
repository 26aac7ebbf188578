// The open-files budget (descriptor_budget.h): what a run holds per host,
// per jump session, and how far exec's forks fit in a limit.
#include <catch2/catch.hpp>

#include "fleetk8s/orchestrator/descriptor_budget.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {

ExecTarget direct(const std::string& name) {
  ExecTarget t;
  t.connect.name = name;
  t.connect.address = name;
  return t;
}

ExecTarget behind(const std::string& name, std::vector<std::string> jumps) {
  ExecTarget t = direct(name);
  for (const auto& j : jumps) {
    ssh::ConnectOptions hop;
    hop.name = hop.address = j;
    hop.user = "root";
    t.connect.jump_hosts.push_back(hop);
  }
  return t;
}

std::vector<ExecTarget> fleet(int n) {
  std::vector<ExecTarget> out;
  for (int i = 0; i < n; ++i) out.push_back(direct("h" + std::to_string(i)));
  return out;
}

}  // namespace

TEST_CASE("a host holds its socket (a tunnel's socketpair behind a jump host) and its run folder log") {
  CHECK(descriptors_per_host(direct("a"), false) == 1);
  CHECK(descriptors_per_host(direct("a"), true) == 2);
  CHECK(descriptors_per_host(behind("a", {"bastion"}), true) == 3);
}

TEST_CASE("jump sessions are counted once per distinct chain, however many hosts share them") {
  CHECK(jump_session_descriptors(fleet(3)) == 0);
  CHECK(jump_session_descriptors({behind("a", {"b1"}), behind("c", {"b1"}), behind("d", {"b2"})}) == 2);
  // b1 > b2: b1's socket, then b2's session through a tunnel of b1's (a socketpair).
  CHECK(jump_session_descriptors({behind("a", {"b1", "b2"}), behind("c", {"b1", "b2"}), behind("d", {"b1"})}) == 3);
}

TEST_CASE("a playbook run holds every host's session whatever the forks; exec only its forks' hosts") {
  // 1,000 hosts with a run folder: 2,000, the base, and 16 logins' agent sockets.
  CHECK(descriptors_for_engine(fleet(1000), 16, true) == kBaseDescriptors + 2000 + 16);
  CHECK(descriptors_for_engine(fleet(10), 0, false) == kBaseDescriptors + 10 + 10);
  CHECK(descriptors_for_exec(fleet(1000), 50, 16) == kBaseDescriptors + 50 + 16);
  CHECK(descriptors_for_exec(fleet(10), 50, 16) == kBaseDescriptors + 10 + 10);
}

TEST_CASE("exec's forks are lowered to what the limit holds, or to 0 when not one host fits") {
  const auto hosts = fleet(1000);
  CHECK(exec_forks_within(hosts, 500, 16, 1 << 20) == 500);
  // 1024: the base and 16 logins leave 944 for hosts.
  CHECK(exec_forks_within(hosts, 2000, 16, 1024) == 944);
  CHECK(descriptors_for_exec(hosts, 944, 16) == 1024);
  CHECK(exec_forks_within(hosts, 10, 16, 1024) == 10);
  CHECK(exec_forks_within(hosts, 500, 16, kBaseDescriptors + 1) == 0);
  CHECK(exec_forks_within({}, 500, 16, 10) == 500);
}

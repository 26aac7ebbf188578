#include "sandbox.h"

#include <catch2/catch.hpp>

namespace fleetk8s::testing {

std::string sandbox_dir() {
  const char* d = std::getenv("FLEETK8S_SANDBOX");
  if (!d || !*d) FAIL("FLEETK8S_SANDBOX is not set: run these tests through ctest (the fixture starts the fleet)");
  return d;
}

ssh::ConnectOptions sandbox_host(const std::string& name) {
  static auto inv = inventory::Inventory::load(sandbox_dir() + "/inventory.ini");
  REQUIRE(inv.ok());
  auto c = inventory::connection_for(*inv, name);
  REQUIRE(c.ok());
  ssh::ConnectOptions o;
  o.name = c->name;
  o.address = c->address;
  o.port = c->port;
  o.user = c->user;
  o.auth.use_agent = false;
  if (c->private_key_file) o.auth.identity_files = {*c->private_key_file};
  o.known_hosts_file = c->known_hosts_file.value_or(sandbox_dir() + "/known_hosts");
  o.connect_timeout = std::chrono::seconds(10);
  return o;
}

int shell(const std::string& script) {
  int rc = std::system(("bash -c " + ssh::shell_quote(script)).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace fleetk8s::testing

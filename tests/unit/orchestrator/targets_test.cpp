// Where each connection setting comes from: inventory variables, then
// command-line flags, then the inventory's ssh args, then ssh_config.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "fleetk8s/orchestrator/targets.h"
#include "jump_spec.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;
using ssh::HostKeyPolicy;

namespace {

inventory::Inventory inv(const std::string& text) {
  auto r = inventory::Inventory::parse_ini(text, "inv.ini");
  if (!r.ok()) FAIL(r.error().message());
  return std::move(*r);
}

std::shared_ptr<const sshconfig::SshConfig> config(const std::string& text) {
  auto r = sshconfig::SshConfig::parse(text, "ssh_config", "/nonexistent");
  if (!r.ok()) FAIL(r.error().message());
  return std::make_shared<sshconfig::SshConfig>(std::move(*r));
}

Result<ssh::ConnectOptions> target(const std::string& inventory, const ConnectionDefaults& d,
                                   const std::string& host = "web1") {
  auto i = inv(inventory);
  auto t = make_targets(i, {host}, d);
  if (!t) return t.error();
  return t->front().connect;
}

ssh::ConnectOptions must(const Result<ssh::ConnectOptions>& r) {
  if (!r.ok()) FAIL(r.error().message());
  return *r;
}

const char* kConfig =
    "Host web*\n"
    "  HostName web1.internal\n"
    "  User cfguser\n"
    "  Port 2200\n"
    "  IdentityFile /keys/cfg_key\n"
    "  IdentitiesOnly yes\n"
    "  UserKnownHostsFile /kh/first /kh/second\n"
    "  StrictHostKeyChecking accept-new\n"
    "  ConnectTimeout 7\n";

}  // namespace

TEST_CASE("ssh_config fills what the inventory leaves out", "[orchestrator][targets]") {
  ::setenv("USER", "localme", 1);
  ConnectionDefaults d;
  d.ssh_config = config(kConfig);
  auto o = must(target("web1\n", d));
  CHECK(o.address == "web1.internal");
  CHECK(o.user == "cfguser");
  CHECK(o.port == 2200);
  CHECK(o.auth.identity_files == std::vector<std::string>{"/keys/cfg_key"});
  CHECK_FALSE(o.auth.use_agent);  // IdentitiesOnly
  CHECK(o.known_hosts_file == "/kh/first");
  CHECK(o.host_key_policy == HostKeyPolicy::kAcceptNew);
  CHECK(o.connect_timeout == std::chrono::seconds(7));
  CHECK(o.jump_hosts.empty());
}

TEST_CASE("without ssh_config the built-in defaults apply", "[orchestrator][targets]") {
  ::setenv("USER", "localme", 1);
  auto o = must(target("web1\n", ConnectionDefaults()));
  CHECK(o.address == "web1");
  CHECK(o.user == "localme");
  CHECK(o.port == 22);
  CHECK(o.auth.identity_files.empty());
  CHECK(o.auth.use_agent);
  CHECK(o.known_hosts_file.empty());
  CHECK(o.host_key_policy == HostKeyPolicy::kStrict);
  CHECK(o.connect_timeout == std::chrono::seconds(10));
}

TEST_CASE("inventory variables win over ssh_config", "[orchestrator][targets]") {
  ConnectionDefaults d;
  d.ssh_config = config(kConfig);
  auto o = must(target(
      "web1 ansible_user=invuser ansible_port=2222 ansible_ssh_private_key_file=/keys/inv_key "
      "fleetk8s_known_hosts=/kh/inv ansible_host_key_checking=false ansible_ssh_timeout=3\n",
      d));
  CHECK(o.user == "invuser");
  CHECK(o.port == 2222);
  CHECK(o.auth.identity_files == std::vector<std::string>{"/keys/inv_key"});
  CHECK(o.known_hosts_file == "/kh/inv");
  CHECK(o.host_key_policy == HostKeyPolicy::kOff);
  CHECK(o.connect_timeout == std::chrono::seconds(3));
  CHECK(o.address == "web1.internal");  // ansible_host not set: HostName still applies
}

TEST_CASE("ssh_config is looked up by ansible_host when it is set", "[orchestrator][targets]") {
  ConnectionDefaults d;
  d.ssh_config = config("Host 10.0.0.*\n  User byaddress\nHost web1\n  User byname\n");
  CHECK(must(target("web1 ansible_host=10.0.0.5\n", d)).user == "byaddress");
  CHECK(must(target("web1 ansible_host=10.0.0.5\n", d)).address == "10.0.0.5");
  CHECK(must(target("web1\n", d)).user == "byname");
}

TEST_CASE("flags sit between inventory variables and ssh args / ssh_config", "[orchestrator][targets]") {
  ConnectionDefaults d;
  d.ssh_config = config(kConfig);
  d.user = "flaguser";
  d.private_key_file = "/keys/flag_key";
  d.known_hosts_file = "/kh/flag";
  d.host_key_policy = HostKeyPolicy::kStrict;
  d.connect_timeout = std::chrono::seconds(4);
  const std::string args = "web1 ansible_ssh_common_args='-o User=arguser -o IdentityFile=/keys/arg_key'\n";
  auto o = must(target(args, d));
  CHECK(o.user == "flaguser");
  CHECK(o.auth.identity_files == std::vector<std::string>{"/keys/flag_key"});
  CHECK(o.known_hosts_file == "/kh/flag");
  CHECK(o.host_key_policy == HostKeyPolicy::kStrict);
  CHECK(o.connect_timeout == std::chrono::seconds(4));
  CHECK(must(target("web1 ansible_user=invuser\n", d)).user == "invuser");
}

TEST_CASE("ssh args in the inventory win over ssh_config", "[orchestrator][targets]") {
  ConnectionDefaults d;
  d.ssh_config = config(kConfig);
  auto o = must(target(
      "web1 ansible_ssh_common_args='-o User=arguser -p 2300 -o StrictHostKeyChecking=no' "
      "ansible_ssh_extra_args='-o User=later -o ConnectTimeout=9 -o UserKnownHostsFile=/kh/arg'\n",
      d));
  CHECK(o.user == "arguser");  // common args come first: the first value wins
  CHECK(o.port == 2300);
  // OpenSSH's "no" would go on past a changed key; fleetk8s accepts only new ones.
  CHECK(o.host_key_policy == HostKeyPolicy::kAcceptNew);
  CHECK(o.connect_timeout == std::chrono::seconds(9));
  CHECK(o.known_hosts_file == "/kh/arg");
}

TEST_CASE("ProxyJump from ssh_config, each jump host resolved through it", "[orchestrator][targets]") {
  ::setenv("USER", "localme", 1);
  ConnectionDefaults d;
  d.ssh_config = config(
      "Host bastion\n  HostName 192.0.2.1\n  Port 2022\n  User jumper\n  StrictHostKeyChecking yes\n"
      "Host web*\n  ProxyJump bastion\n");
  auto o = must(target("web1 fleetk8s_known_hosts=/kh/inv ansible_ssh_private_key_file=/keys/k\n", d));
  REQUIRE(o.jump_hosts.size() == 1);
  const auto& j = o.jump_hosts[0];
  CHECK(j.name == "bastion");
  CHECK(j.address == "192.0.2.1");
  CHECK(j.port == 2022);
  CHECK(j.user == "jumper");
  CHECK(j.known_hosts_file == "/kh/inv");  // inherited from the host behind it
  CHECK(j.auth.identity_files == std::vector<std::string>{"/keys/k"});
  CHECK(j.host_key_policy == HostKeyPolicy::kStrict);
}

TEST_CASE("the --jump flag applies to every host, chains in order, beats the inventory's", "[orchestrator][targets]") {
  ::setenv("USER", "localme", 1);
  ConnectionDefaults d;
  d.jump = "ops@outer:2201,ssh://inner";
  auto o = must(target("web1 ansible_ssh_common_args='-J other'\n", d));
  REQUIRE(o.jump_hosts.size() == 2);
  CHECK(o.jump_hosts[0].address == "outer");
  CHECK(o.jump_hosts[0].user == "ops");
  CHECK(o.jump_hosts[0].port == 2201);
  CHECK(o.jump_hosts[1].address == "inner");
  CHECK(o.jump_hosts[1].user == "localme");
  CHECK(o.jump_hosts[1].port == 22);
  d.jump = "none";
  CHECK(must(target("web1 ansible_ssh_common_args='-J other'\n", d)).jump_hosts.empty());
}

TEST_CASE("ProxyJump and ProxyCommand in ansible_ssh_common_args", "[orchestrator][targets]") {
  ConnectionDefaults d;
  auto o = must(target("web1 ansible_ssh_common_args='-o ProxyJump=admin@b1:2222'\n", d));
  REQUIRE(o.jump_hosts.size() == 1);
  CHECK(o.jump_hosts[0].user == "admin");
  CHECK(o.jump_hosts[0].address == "b1");
  CHECK(o.jump_hosts[0].port == 2222);

  o = must(target(
      "web1 ansible_ssh_common_args='-o ProxyCommand=\"ssh -W %h:%p -q -i /keys/jump -p 2022 admin@b2\"'\n", d));
  REQUIRE(o.jump_hosts.size() == 1);
  CHECK(o.jump_hosts[0].user == "admin");
  CHECK(o.jump_hosts[0].address == "b2");
  CHECK(o.jump_hosts[0].port == 2022);
  CHECK(o.jump_hosts[0].auth.identity_files == std::vector<std::string>{"/keys/jump"});

  auto bad = target("web1 ansible_ssh_common_args='-o ProxyCommand=\"nc -X 5 -x proxy:1080 %h %p\"'\n", d);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message().find("web1: ansible_ssh_common_args") == 0);
  CHECK(bad.error().message().find("runs no local command") != std::string::npos);

  auto spec = target("web1 ansible_ssh_common_args='-J user@'\n", d);
  REQUIRE_FALSE(spec.ok());
  CHECK(spec.error().message().find("web1: ") == 0);
  CHECK(spec.error().message().find("expected [user@]host[:port]") != std::string::npos);
}

TEST_CASE("jump specifications", "[orchestrator][targets]") {
  auto hops = parse_jump_spec("a,u@b:2,ssh://c:3,[2001:db8::1]:4,u@[::1]");
  REQUIRE(hops.ok());
  REQUIRE(hops->size() == 5);
  CHECK((*hops)[0].host == "a");
  CHECK_FALSE((*hops)[0].port);
  CHECK((*hops)[1].user == "u");
  CHECK((*hops)[1].port == 2);
  CHECK((*hops)[2].host == "c");
  CHECK((*hops)[2].port == 3);
  CHECK((*hops)[3].host == "2001:db8::1");
  CHECK((*hops)[3].port == 4);
  CHECK((*hops)[4].host == "::1");
  CHECK(parse_jump_spec("none")->empty());
  for (const char* bad : {"", "a,", "h:", "h:99999", "h:x", "@h", "[::1", "a b"}) {
    INFO(bad);
    CHECK_FALSE(parse_jump_spec(bad).ok());
  }
}

TEST_CASE("ssh_config ProxyCommand: an ssh jump is a jump, anything else an error", "[orchestrator][targets]") {
  ConnectionDefaults d;
  d.ssh_config = config("Host web1\n  ProxyCommand ssh -q -W %h:%p jumper@b3\nHost web2\n  ProxyCommand nc %h %p\n");
  auto o = must(target("web1\n", d));
  REQUIRE(o.jump_hosts.size() == 1);
  CHECK(o.jump_hosts[0].user == "jumper");
  CHECK(o.jump_hosts[0].address == "b3");
  auto bad = target("web2\n", d, "web2");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message().find("web2: ProxyJump in ssh_config: ProxyCommand 'nc %h %p' is not supported") == 0);
}

TEST_CASE("one host's relaxed key checking never relaxes the bastion it shares", "[orchestrator][targets]") {
  ConnectionDefaults d;
  auto lax = must(target("web1 ansible_host_key_checking=false ansible_ssh_common_args='-J admin@b1'\n", d));
  CHECK(lax.host_key_policy == HostKeyPolicy::kOff);
  REQUIRE(lax.jump_hosts.size() == 1);
  CHECK(lax.jump_hosts[0].host_key_policy == HostKeyPolicy::kStrict);
  // The run's own --host-key-checking applies to bastions as to hosts.
  d.host_key_policy = HostKeyPolicy::kAcceptNew;
  auto run_wide = must(target("web1 ansible_ssh_common_args='-J admin@b1'\n", d));
  CHECK(run_wide.jump_hosts[0].host_key_policy == HostKeyPolicy::kAcceptNew);
  // StrictHostKeyChecking=no anywhere is never "off".
  ConnectionDefaults none;
  auto no = must(target("web1 ansible_ssh_common_args='-o StrictHostKeyChecking=no -J admin@b1'\n", none));
  CHECK(no.host_key_policy == HostKeyPolicy::kAcceptNew);
  CHECK(no.jump_hosts[0].host_key_policy == HostKeyPolicy::kStrict);
}

TEST_CASE("HostKeyAlias from ssh_config reaches the host and its bastion", "[orchestrator][targets]") {
  ConnectionDefaults d;
  d.ssh_config = config("Host web1\n  HostKeyAlias web1.lab\n  ProxyJump b1\nHost b1\n  HostKeyAlias gate.lab\n");
  auto o = must(target("web1\n", d));
  CHECK(o.host_key_alias == "web1.lab");
  REQUIRE(o.jump_hosts.size() == 1);
  CHECK(o.jump_hosts[0].host_key_alias == "gate.lab");
  CHECK(must(target("web2\n", d, "web2")).host_key_alias.empty());
}

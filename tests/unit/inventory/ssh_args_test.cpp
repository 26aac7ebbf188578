#include <catch2/catch.hpp>

#include "fleetk8s/inventory/ssh_args.h"

using fleetk8s::inventory::parse_ssh_args;
using fleetk8s::inventory::SshArgs;

namespace {

SshArgs parsed(const std::string& text) {
  SshArgs a;
  auto r = parse_ssh_args(text, a, "web1: ansible_ssh_common_args");
  if (!r.ok()) FAIL(r.error().message());
  return a;
}

std::string error_of(const std::string& text) {
  SshArgs a;
  auto r = parse_ssh_args(text, a, "web1: ansible_ssh_common_args");
  return r.ok() ? "" : r.error().message();
}

}  // namespace

TEST_CASE("ssh args: -o options in their spellings; the first value wins", "[inventory][ssh_args]") {
  auto a = parsed(
      "-o User=u1 -oPort=2200 -o 'UserKnownHostsFile /kh/a /kh/b' -o StrictHostKeyChecking=false "
      "-o User=u2 -l u3 -o ConnectTimeout=5 -o IdentitiesOnly=yes -i /k1 -o IdentityFile=/k2 -o ControlMaster=auto");
  CHECK(a.user == "u1");
  CHECK(a.port == 2200);
  CHECK(a.known_hosts_file == "/kh/a");
  CHECK(a.strict_host_key_checking == "no");
  CHECK(a.connect_timeout == 5);
  CHECK(a.identities_only == true);
  CHECK(a.identity_files == std::vector<std::string>{"/k1", "/k2"});
  CHECK(a.ignored.empty());
}

TEST_CASE("ssh args: unsupported options are listed for a warning", "[inventory][ssh_args]") {
  auto a = parsed("-C -q -A -o ForwardAgent=yes -c aes128-ctr");
  CHECK(a.ignored == std::vector<std::string>{"-A", "-o ForwardAgent=yes", "-c aes128-ctr"});
}

TEST_CASE("ssh args: jumps from -J, ProxyJump and ssh ProxyCommands", "[inventory][ssh_args]") {
  CHECK(parsed("-J a@b:2").proxy_jump == "a@b:2");
  CHECK(parsed("-o ProxyJump=x,y").proxy_jump == "x,y");
  // ssh reads options after the destination too.
  auto w = parsed("-o ProxyCommand=\"ssh -W %h:%p -q ops@bastion -o StrictHostKeyChecking=no\"");
  CHECK(w.proxy_jump == "ops@bastion");
  REQUIRE(w.jump_settings);
  CHECK(w.jump_settings->strict_host_key_checking == "no");
  auto p = parsed("-o 'ProxyCommand=/usr/bin/ssh -o StrictHostKeyChecking=no -i /kj -l ops -p 2022 -W [%h]:%p b1'");
  CHECK(p.proxy_jump == "ops@b1:2022");
  REQUIRE(p.jump_settings);
  CHECK(p.jump_settings->strict_host_key_checking == "no");
  CHECK(p.jump_settings->identity_files == std::vector<std::string>{"/kj"});
  CHECK(parsed("-o 'ProxyCommand=ssh -q admin@b2 nc %h %p'").proxy_jump == "admin@b2");
  CHECK(parsed("-o 'ProxyCommand=ssh -J first -W %h:%p second'").proxy_jump == "first,second");
}

TEST_CASE("ssh args: errors name host, variable and what was expected", "[inventory][ssh_args]") {
  CHECK(error_of("-o ProxyCommand='nc -x proxy:1080 %h %p'").find("web1: ansible_ssh_common_args: ") == 0);
  CHECK(error_of("-o ProxyCommand='nc %h %p'").find("runs no local command") != std::string::npos);
  CHECK(error_of("-o Port=http").find("expected a port number") != std::string::npos);
  CHECK(error_of("-p").find("-p needs a value") != std::string::npos);
  CHECK(error_of("-o StrictHostKeyChecking=maybe").find("expected yes, accept-new, no or ask") != std::string::npos);
  CHECK(error_of("-o 'NoValue'").find("expected Key=Value") != std::string::npos);
  CHECK(error_of("-o 'ProxyCommand=ssh -W %h:%p'").find("not supported") != std::string::npos);
  CHECK(error_of("-o \"unclosed").find("No closing quotation") != std::string::npos);
}

// ~ and %-tokens in IdentityFile and UserKnownHostsFile, expanded with the
// final values of the host's settings, as ssh expands them.
#include <pwd.h>
#include <unistd.h>

#include "test_util.h"

using namespace fleetk8s::sshconfig;
using test::parse_error;
using test::parse_ok;

namespace {

std::string home() { return ::getpwuid(::getuid())->pw_dir; }

std::string local_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

TEST_CASE("tokens take the host's final settings", "[sshconfig]") {
  auto c = parse_ok(R"(
Host web1
  IdentityFile %d/.ssh/%h-%p-%r-%u-%n
  UserKnownHostsFile ~/kh/%h:%p %%literal
Host *
  HostName Web1.Example.COM
  Port 2200
  User deploy
)");
  auto x = c.lookup("web1", "alice");
  CHECK(x.identity_files == std::vector<std::string>{home() + "/.ssh/web1.example.com-2200-deploy-alice-web1"});
  CHECK(x.user_known_hosts_files == std::vector<std::string>{home() + "/kh/web1.example.com:2200", "%literal"});
}

TEST_CASE("tokens default to the host as given, port 22 and the local user", "[sshconfig]") {
  auto c = parse_ok("IdentityFile /k/%h_%p_%r_%n_%k\n");
  CHECK(c.lookup("Web1", "alice").identity_files == std::vector<std::string>{"/k/web1_22_alice_Web1_Web1"});
}

TEST_CASE("%i %l %L %k %j and ${VAR}", "[sshconfig]") {
  ::setenv("FLEETK8S_SSHCONFIG_TEST", "envvalue", 1);
  auto c = parse_ok(R"(Host x
  HostKeyAlias thealias
  ProxyJump j1
  IdentityFile /k/%i/%l/%L/%k/%j/${FLEETK8S_SSHCONFIG_TEST}
)");
  const std::string l = local_host();
  CHECK(c.lookup("x", "me").identity_files ==
        std::vector<std::string>{"/k/" + std::to_string(::getuid()) + "/" + l + "/" + l.substr(0, l.find('.')) +
                                 "/thealias/j1/envvalue"});
}

TEST_CASE("~ is the home directory, ~user that user's", "[sshconfig]") {
  auto c = parse_ok("IdentityFile ~/.ssh/id_ed25519\nIdentityFile ~root/.ssh/k\nIdentityFile /abs/~x\n");
  CHECK(c.lookup("x", "me").identity_files ==
        std::vector<std::string>{home() + "/.ssh/id_ed25519", std::string(::getpwnam("root")->pw_dir) + "/.ssh/k",
                                 "/abs/~x"});
}

TEST_CASE("HostName expands %h only", "[sshconfig]") {
  auto c = parse_ok("Host *.lan\n  HostName %h.example.com\nHost pct\n  HostName a%%b\n");
  CHECK(c.lookup("db.lan", "me").hostname == "db.lan.example.com");
  CHECK(c.lookup("pct", "me").hostname == "a%b");
  CHECK(parse_error("HostName %p.example\n") ==
        "config:1: HostName: unknown or unsupported token %p in \"%p.example\" (known here: %h %%)");
}

TEST_CASE("unknown tokens are errors when the file is read", "[sshconfig]") {
  CHECK(parse_error("Host x\n  IdentityFile ~/.ssh/%C\n").rfind(
            "config:2: IdentityFile: unknown or unsupported token %C in \"~/.ssh/%C\"", 0) == 0);
  CHECK(parse_error("UserKnownHostsFile /kh/%j\n").rfind("config:1: UserKnownHostsFile: unknown or unsupported token %j", 0) == 0);
  CHECK(parse_error("IdentityFile /k/${FLEETK8S_SSHCONFIG_UNSET_VAR}\n") ==
        "config:1: IdentityFile: environment variable ${FLEETK8S_SSHCONFIG_UNSET_VAR} is not set (used in "
        "\"/k/${FLEETK8S_SSHCONFIG_UNSET_VAR}\")");
}

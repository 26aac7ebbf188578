// Host patterns and Match criteria, as OpenSSH 9.2 matches them.
#include "test_util.h"

using namespace fleetk8s::sshconfig;
using test::parse_error;
using test::parse_ok;

TEST_CASE("Host patterns: * and ?", "[sshconfig]") {
  auto c = parse_ok("Host web?? *.prod.example.com\n  User hit\n");
  CHECK(c.lookup("web01", "me").user == "hit");
  CHECK(c.lookup("db.prod.example.com", "me").user == "hit");
  CHECK_FALSE(c.lookup("web1", "me").user);
  CHECK_FALSE(c.lookup("web001", "me").user);
  CHECK_FALSE(c.lookup("prod.example.com", "me").user);
}

TEST_CASE("Host patterns: a negated match excludes the host whatever the order", "[sshconfig]") {
  auto c = parse_ok("Host web* !web3 !*.test\n  User hit\nHost *\n  User rest\n");
  CHECK(c.lookup("web1", "me").user == "hit");
  CHECK(c.lookup("web3", "me").user == "rest");
  CHECK(c.lookup("web9.test", "me").user == "rest");
  auto only_negated = parse_ok("Host !web1\n  User hit\n");
  CHECK_FALSE(only_negated.lookup("db", "me").user);  // a negation alone matches nothing
  CHECK_FALSE(only_negated.lookup("web1", "me").user);
  auto negated_first = parse_ok("Host !web3 web*\n  User hit\n");
  CHECK_FALSE(negated_first.lookup("web3", "me").user);
  CHECK(negated_first.lookup("web4", "me").user == "hit");
}

TEST_CASE("Host patterns are case-sensitive, as in ssh", "[sshconfig]") {
  // ssh -G: `Host Foo` applies to `ssh Foo`, not to `ssh foo` or `ssh FOO`.
  auto c = parse_ok("Host Foo\n  User upper\n");
  CHECK(c.lookup("Foo", "me").user == "upper");
  CHECK_FALSE(c.lookup("foo", "me").user);
  CHECK_FALSE(c.lookup("FOO", "me").user);
}

TEST_CASE("Match host: case-insensitive, against HostName once set", "[sshconfig]") {
  auto c = parse_ok(R"(
Match host FOO
  User m1
Host alias
  HostName Real.Example
Match host real.example
  User viahostname
  Port 99
Match originalhost ALIAS
  IdentityFile /k/orig
)");
  CHECK(c.lookup("foo", "me").user == "m1");
  auto a = c.lookup("alias", "me");
  CHECK(a.hostname == "real.example");
  CHECK(a.user == "viahostname");
  CHECK(a.port == 99);
  CHECK(a.identity_files == std::vector<std::string>{"/k/orig"});
}

TEST_CASE("Match: pattern lists, negation, several criteria", "[sshconfig]") {
  auto c = parse_ok(R"(
Match host web*,!web3 user deploy
  Port 2200
Match !host db*
  IdentitiesOnly yes
Match localuser alice
  ConnectTimeout 7
)");
  auto web1 = c.lookup("web1", "alice");
  CHECK_FALSE(web1.port);  // user is alice here (no User set): `user deploy` does not hold
  CHECK(web1.identities_only == true);
  CHECK(web1.connect_timeout == std::chrono::seconds(7));
  auto as_deploy = parse_ok("Host web*\n  User deploy\n").lookup("web1", "alice");
  CHECK(as_deploy.user == "deploy");
  SshConfig both = parse_ok("Host web*\n  User deploy\n");
  both.append(c);
  CHECK(both.lookup("web1", "alice").port == 2200);
  CHECK_FALSE(both.lookup("web3", "alice").port);
  CHECK_FALSE(c.lookup("db1", "bob").identities_only);
  CHECK_FALSE(c.lookup("db1", "bob").connect_timeout);
}

TEST_CASE("Match all, canonical and final apply to every host", "[sshconfig]") {
  auto c = parse_ok("Host x\n  User x\nMatch all\n  Port 2022\nMatch final\n  IdentityFile /f\nMatch canonical all\n  User c\n");
  CHECK(c.lookup("y", "me").port == 2022);
  CHECK(c.lookup("y", "me").identity_files == std::vector<std::string>{"/f"});
  CHECK(c.lookup("y", "me").user == "c");
  CHECK(c.lookup("x", "me").user == "x");
}

TEST_CASE("Match criteria fleetk8s cannot evaluate are refused with the line", "[sshconfig]") {
  CHECK(parse_error("Host x\n  User a\nMatch exec \"test -f /tmp/x\"\n  User b\n") ==
        "config:3: Match exec is not supported by fleetk8s (it supports all, host, originalhost, user, localuser, "
        "canonical, final)");
  CHECK(parse_error("Match localnetwork 10.0.0.0/8\n") .rfind("config:1: Match localnetwork is not supported", 0) == 0);
  CHECK(parse_error("Match color blue\n") == "config:1: Unsupported Match attribute color");
  CHECK(parse_error("Match host\n") == "config:1: Missing Match criteria for host");
  CHECK(parse_error("Match all host x\n") == "config:1: 'all' cannot be combined with other Match attributes");
  CHECK(parse_error("Match host x all\n") == "config:1: 'all' cannot be combined with other Match attributes");
  CHECK(parse_error("Match\n") == "config:1: no argument after keyword \"match\"");
}

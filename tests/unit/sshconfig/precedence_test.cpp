// The first value obtained wins, as in ssh: specific Host blocks first,
// defaults (Host *) last; IdentityFile accumulates.
#include "test_util.h"

using namespace fleetk8s::sshconfig;
using test::parse_ok;

TEST_CASE("first value wins across matching blocks", "[sshconfig]") {
  auto c = parse_ok(R"(
Host web1
  User deploy
  Port 2201
Host web*
  User webadmin
  Port 2200
  HostName %h.example.com
Host *
  User fallback
  Port 22
  ConnectTimeout 5
)");
  auto web1 = c.lookup("web1", "me");
  CHECK(web1.user == "deploy");
  CHECK(web1.port == 2201);
  CHECK(web1.hostname == "web1.example.com");
  CHECK(web1.connect_timeout == std::chrono::seconds(5));
  auto web2 = c.lookup("web2", "me");
  CHECK(web2.user == "webadmin");
  CHECK(web2.port == 2200);
  auto db = c.lookup("db", "me");
  CHECK(db.user == "fallback");
  CHECK(db.port == 22);
  CHECK_FALSE(db.hostname);
}

TEST_CASE("a setting repeated in one block keeps its first value", "[sshconfig]") {
  auto c = parse_ok("Host x\n  User a\n  User b\n  StrictHostKeyChecking yes\n  StrictHostKeyChecking no\n");
  auto x = c.lookup("x", "me");
  CHECK(x.user == "a");
  CHECK(x.strict_host_key_checking == "yes");
}

TEST_CASE("settings before the first Host apply to every host", "[sshconfig]") {
  auto c = parse_ok("User everyone\nHost x\n  User late\n");
  CHECK(c.lookup("x", "me").user == "everyone");
  CHECK(c.lookup("y", "me").user == "everyone");
}

TEST_CASE("nothing said leaves every field unset", "[sshconfig]") {
  auto c = parse_ok("Host other\n  User u\n  Port 1\n  IdentityFile /k\n");
  auto x = c.lookup("x", "me");
  CHECK_FALSE(x.hostname);
  CHECK_FALSE(x.user);
  CHECK_FALSE(x.port);
  CHECK(x.identity_files.empty());
  CHECK(x.user_known_hosts_files.empty());
  CHECK_FALSE(x.strict_host_key_checking);
  CHECK_FALSE(x.proxy_jump);
  CHECK_FALSE(x.connect_timeout);
  CHECK_FALSE(x.identities_only);
}

TEST_CASE("IdentityFile accumulates in order, without duplicates", "[sshconfig]") {
  auto c = parse_ok(R"(
Host x
  IdentityFile /keys/a
  IdentityFile /keys/b
Host *
  IdentityFile /keys/a
  IdentityFile /keys/c
)");
  CHECK(c.lookup("x", "me").identity_files == std::vector<std::string>{"/keys/a", "/keys/b", "/keys/c"});
  CHECK(c.lookup("y", "me").identity_files == std::vector<std::string>{"/keys/a", "/keys/c"});
}

TEST_CASE("UserKnownHostsFile: several paths on one line, the first line wins", "[sshconfig]") {
  auto c = parse_ok("Host x\n  UserKnownHostsFile /a/one /a/two\nHost *\n  UserKnownHostsFile /b/three\n");
  CHECK(c.lookup("x", "me").user_known_hosts_files == std::vector<std::string>{"/a/one", "/a/two"});
  CHECK(c.lookup("y", "me").user_known_hosts_files == std::vector<std::string>{"/b/three"});
}

TEST_CASE("ProxyJump: first wins, none disables a later one", "[sshconfig]") {
  auto c = parse_ok(R"(
Host inside
  ProxyJump none
Host db*
  ProxyJump admin@bastion:2222,jump2 # two hops
Host *
  ProxyJump gateway
)");
  CHECK(c.lookup("inside", "me").proxy_jump == "none");
  CHECK(c.lookup("db1", "me").proxy_jump == "admin@bastion:2222,jump2");
  CHECK(c.lookup("web", "me").proxy_jump == "gateway");
}

TEST_CASE("whichever of ProxyCommand and ProxyJump comes first wins", "[sshconfig]") {
  auto c = parse_ok(R"(
Host a
  ProxyCommand nc -X connect %h %p
Host b
  ProxyJump j1
Host *
  ProxyJump j2
  ProxyCommand other
)");
  auto a = c.lookup("a", "me");
  CHECK(a.proxy_command == "nc -X connect %h %p");
  CHECK_FALSE(a.proxy_jump);
  auto b = c.lookup("b", "me");
  CHECK(b.proxy_jump == "j1");
  CHECK_FALSE(b.proxy_command);
  CHECK(c.lookup("z", "me").proxy_jump == "j2");
  CHECK_FALSE(c.lookup("z", "me").proxy_command);
  // ProxyJump none stops a later ProxyJump, not a later ProxyCommand (ssh -G).
  auto none = parse_ok("Host x\n  ProxyJump none\nHost *\n  ProxyJump j\n  ProxyCommand nc %h %p\n");
  CHECK(none.lookup("x", "me").proxy_jump == "none");
  CHECK(none.lookup("x", "me").proxy_command == "nc %h %p");
}

TEST_CASE("append: the user file wins over the system file", "[sshconfig]") {
  auto user = parse_ok("Host x\n  User fromuser\nHost y\n  Port 1\n");
  auto system = parse_ok("User fromsystem\nPort 2\nIdentityFile /sys/key\n", "/etc/ssh");
  user.append(system);
  auto x = user.lookup("x", "me");
  CHECK(x.user == "fromuser");
  CHECK(x.port == 2);  // the system file starts active again, whatever the user file's last Host was
  CHECK(x.identity_files == std::vector<std::string>{"/sys/key"});
  CHECK(user.lookup("y", "me").port == 1);
}

TEST_CASE("copies are independent", "[sshconfig]") {
  auto a = parse_ok("Host x\n  User a\n");
  SshConfig b = a;
  b.append(parse_ok("Host y\n  User b\n"));
  CHECK_FALSE(a.lookup("y", "me").user);
  CHECK(b.lookup("y", "me").user == "b");
  CHECK(a.host_blocks().size() == 1);
  CHECK(b.host_blocks().size() == 2);
}

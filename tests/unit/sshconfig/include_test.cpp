// Include: globs, relative paths, the state an included file inherits,
// loops and depth.
#include "test_util.h"

using namespace fleetk8s::sshconfig;
using test::parse_error;
using test::parse_ok;
using test::ScratchDir;

TEST_CASE("Include with a glob, relative to the include directory, in file order", "[sshconfig]") {
  ScratchDir d;
  d.write("conf.d/20-web.conf", "Host web*\n  User webuser\n");
  d.write("conf.d/10-db.conf", "Host db*\n  User dbuser\n  Port 5432\n");
  d.write("conf.d/README", "not a config: not included");
  auto c = parse_ok("Include conf.d/*.conf\nHost *\n  User other\n  Port 22\n", d.path());
  CHECK(c.lookup("web1", "me").user == "webuser");
  CHECK(c.lookup("db1", "me").user == "dbuser");
  CHECK(c.lookup("db1", "me").port == 5432);
  CHECK(c.lookup("x", "me").user == "other");
  auto blocks = c.host_blocks();
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].patterns == std::vector<std::string>{"db*"});  // glob results are sorted
  CHECK(blocks[0].file == d.path() + "/conf.d/10-db.conf");
  CHECK(blocks[0].line == 1);
  CHECK(blocks[2].file == "config");
  CHECK(blocks[2].line == 2);
}

TEST_CASE("an included file inherits the Include line's state, which comes back after it", "[sshconfig]") {
  // As ssh -G shows: x gets the included User (active at the Include), then
  // the Port of the second file; the Host y inside the first file does not
  // leak out; y, inactive at the Include, matches nothing inside.
  ScratchDir d;
  d.write("inc/a.conf", "User fromincl\nHost y\n  User ybyincl\n");
  d.write("inc/b.conf", "Port 2022\n");
  auto c = parse_ok("Host x\nInclude " + d.path() + "/inc/*.conf\nHost *\n  User fallback\n", d.path());
  CHECK(c.lookup("x", "me").user == "fromincl");
  CHECK(c.lookup("x", "me").port == 2022);
  CHECK(c.lookup("y", "me").user == "fallback");
  CHECK_FALSE(c.lookup("y", "me").port);
}

TEST_CASE("Include that matches nothing is fine; ~ is the home directory", "[sshconfig]") {
  CHECK(parse_ok("Include /nonexistent/dir/*.conf nonexistent.conf\nUser u\n").lookup("x", "me").user == "u");
  ScratchDir d;
  d.write(".ssh/extra.conf", "User fromhome\n");
  const char* old = std::getenv("HOME");
  const std::string saved = old ? old : "";
  ::setenv("HOME", d.path().c_str(), 1);
  auto c = SshConfig::parse("Include ~/.ssh/extra.conf\n", "config", "/x");
  if (old) ::setenv("HOME", saved.c_str(), 1); else ::unsetenv("HOME");
  REQUIRE(c);
  CHECK(c->lookup("x", "me").user == "fromhome");
}

TEST_CASE("load(): a user file's relative Include is under $HOME/.ssh", "[sshconfig]") {
  ScratchDir d;
  d.write(".ssh/rel.conf", "Port 2345\n");
  const std::string main = d.write("elsewhere/config", "Include rel.conf\n");
  const char* old = std::getenv("HOME");
  const std::string saved = old ? old : "";
  ::setenv("HOME", d.path().c_str(), 1);
  auto c = SshConfig::load(main);
  if (old) ::setenv("HOME", saved.c_str(), 1); else ::unsetenv("HOME");
  REQUIRE(c);
  CHECK(c->lookup("x", "me").port == 2345);
}

TEST_CASE("load(): a missing file is kNotFound", "[sshconfig]") {
  auto c = SshConfig::load("/nonexistent/ssh_config");
  REQUIRE_FALSE(c);
  CHECK(c.error().kind() == fleetk8s::ErrorKind::kNotFound);
}

TEST_CASE("~ in an Include of the system file is refused", "[sshconfig]") {
  CHECK(parse_error("Include ~/x.conf\n", "/etc/ssh") == "config:1: bad include path ~/x.conf (no ~ in the system file)");
}

TEST_CASE("an Include loop is an error naming the loop", "[sshconfig]") {
  ScratchDir d;
  const std::string a = d.write("a.conf", "Include b.conf\n");
  const std::string b = d.write("b.conf", "User u\nInclude a.conf\n");
  auto c = SshConfig::parse("Include a.conf\n", d.path() + "/config", d.path());
  REQUIRE_FALSE(c);
  CHECK(c.error().message() == b + ":2: Include loop: " + a + " -> " + b + " -> " + a);
}

TEST_CASE("Includes nest at most 16 deep", "[sshconfig]") {
  ScratchDir d;
  for (int i = 1; i <= 17; ++i)
    d.write("f" + std::to_string(i) + ".conf", i < 17 ? "Include f" + std::to_string(i + 1) + ".conf\n" : "User deep\n");
  auto c = SshConfig::parse("Include f1.conf\n", "config", d.path());
  REQUIRE_FALSE(c);
  CHECK(c.error().message() == d.path() + "/f16.conf:1: Include " + d.path() +
                                   "/f17.conf: nested more than 16 deep (OpenSSH's limit)");
  // 16 deep is fine.
  d.write("f16.conf", "User deep\n");
  auto ok = SshConfig::parse("Include f1.conf\n", "config", d.path());
  REQUIRE(ok);
  CHECK(ok->lookup("x", "me").user == "deep");
}

TEST_CASE("errors inside an included file name that file", "[sshconfig]") {
  ScratchDir d;
  d.write("bad.conf", "Host x\n\n  Bogus 1\n");
  auto c = SshConfig::parse("Include bad.conf\n", "config", d.path());
  REQUIRE_FALSE(c);
  CHECK(c.error().message() == d.path() + "/bad.conf:3: Bad configuration option: bogus");
}

// Line syntax and value checks, with OpenSSH's messages and FILE:LINE.
#include "test_util.h"

using namespace fleetk8s::sshconfig;
using test::parse_error;
using test::parse_ok;

TEST_CASE("Key=Value, Key Value, any case, quotes and comments", "[sshconfig]") {
  auto c = parse_ok(R"(# a comment
   # an indented comment

Host=x # trailing comment
  USER = "bob smith"
  port=2222
	hostNAME	real.example
  IdentityFile "/keys/with space"  # comment after a quoted argument
  UserKnownHostsFile '/kh/one' /kh/two
Host  = y
  user=al=ice
  Port 22 # ok
)");
  auto x = c.lookup("x", "me");
  CHECK(x.user == "bob smith");
  CHECK(x.port == 2222);
  CHECK(x.hostname == "real.example");
  CHECK(x.identity_files == std::vector<std::string>{"/keys/with space"});
  CHECK(x.user_known_hosts_files == std::vector<std::string>{"/kh/one", "/kh/two"});
  CHECK(c.lookup("y", "me").user == "al=ice");
}

TEST_CASE("backslash escapes in arguments", "[sshconfig]") {
  auto c = parse_ok(R"(Host x
  IdentityFile /keys/a\ b
  User "say \"hi\""
)");
  CHECK(c.lookup("x", "me").identity_files == std::vector<std::string>{"/keys/a b"});
  CHECK(c.lookup("x", "me").user == "say \"hi\"");
}

TEST_CASE("a # inside a word is not a comment", "[sshconfig]") {
  CHECK(parse_ok("Host x\n  User \"a#b\"\n").lookup("x", "me").user == "a#b");
  CHECK(parse_ok("Host x\n  User a#b\n").lookup("x", "me").user == "a#b");
}

TEST_CASE("CRLF line endings", "[sshconfig]") {
  CHECK(parse_ok("Host x\r\n  User crlf\r\n").lookup("x", "me").user == "crlf");
}

TEST_CASE("StrictHostKeyChecking spellings are normalised", "[sshconfig]") {
  const std::pair<const char*, const char*> cases[] = {
      {"yes", "yes"}, {"true", "yes"},  {"YES", "yes"},        {"no", "no"},   {"off", "no"},
      {"false", "no"}, {"ask", "ask"}, {"accept-new", "accept-new"}, {"Accept-New", "accept-new"},
  };
  for (const auto& [written, normalised] : cases) {
    INFO(written);
    auto c = parse_ok(std::string("StrictHostKeyChecking ") + written + "\n");
    CHECK(c.lookup("x", "me").strict_host_key_checking == normalised);
  }
  CHECK(parse_error("Host x\n  StrictHostKeyChecking maybe\n") ==
        "config:2: unsupported option \"maybe\" (expected yes, no, accept-new or ask)");
}

TEST_CASE("ConnectTimeout in seconds, with OpenSSH's time units", "[sshconfig]") {
  const std::pair<const char*, long> cases[] = {{"10", 10}, {"0", 0}, {"1m30s", 90}, {"5m30", 330}, {"10s5", 15},
                                                {"1h", 3600}, {"1H", 3600}, {"2d", 172800}, {"1w", 604800}};
  for (const auto& [written, seconds] : cases) {
    INFO(written);
    auto c = parse_ok(std::string("ConnectTimeout ") + written + "\n");
    CHECK(c.lookup("x", "me").connect_timeout == std::chrono::seconds(seconds));
  }
  // "none" sets nothing: a later value still applies.
  CHECK(parse_ok("Host x\n  ConnectTimeout none\nHost *\n  ConnectTimeout 5\n").lookup("x", "me").connect_timeout ==
        std::chrono::seconds(5));
  CHECK(parse_error("ConnectTimeout -1\n") == "config:1: invalid time value \"-1\"");
  CHECK(parse_error("ConnectTimeout 5x\n") == "config:1: invalid time value \"5x\"");
  CHECK(parse_error("ConnectTimeout abc\n") == "config:1: invalid time value \"abc\"");
}

TEST_CASE("Port: a number from 1 to 65535 or a service name", "[sshconfig]") {
  CHECK(parse_ok("Port 65535\n").lookup("x", "me").port == 65535);
  CHECK(parse_ok("Port ssh\n").lookup("x", "me").port == 22);
  CHECK(parse_error("Host x\n  Port 0\n") == "config:2: Bad port '0'");
  CHECK(parse_error("Port 65536\n") == "config:1: Bad port '65536'");
  CHECK(parse_error("Port nosuchservice\n") == "config:1: Bad port 'nosuchservice'");
}

TEST_CASE("IdentitiesOnly: yes/no/true/false", "[sshconfig]") {
  CHECK(parse_ok("IdentitiesOnly yes\n").lookup("x", "me").identities_only == true);
  CHECK(parse_ok("IdentitiesOnly FALSE\n").lookup("x", "me").identities_only == false);
  CHECK(parse_error("IdentitiesOnly 1\n") == "config:1: unsupported option \"1\" (expected yes or no)");
}

TEST_CASE("an unknown keyword is an error, as in ssh", "[sshconfig]") {
  CHECK(parse_error("Host x\n  User a\n  Foo bar\n") == "config:3: Bad configuration option: foo");
  // even in a block that matches nothing
  CHECK(parse_error("Host nothing\n  PasswordAuthentication no\n  Frobnicate yes\n") ==
        "config:3: Bad configuration option: frobnicate");
}

TEST_CASE("IgnoreUnknown lets later unknown keywords through", "[sshconfig]") {
  auto c = parse_ok("IgnoreUnknown UseKeychain,AddKeysToAgent\nHost x\n  UseKeychain yes\n  User a\n");
  CHECK(c.lookup("x", "me").user == "a");
  CHECK(parse_error("Host x\n  UseKeychain yes\nIgnoreUnknown UseKeychain\n") ==
        "config:2: Bad configuration option: usekeychain");
}

TEST_CASE("syntax errors name the file and line", "[sshconfig]") {
  CHECK(parse_error("Host x\n  User \"unterminated\n") == "config:2: invalid quotes");
  CHECK(parse_error("Host x\n  HostName\n") == "config:2: no argument after keyword \"hostname\"");
  CHECK(parse_error("Host\n") == "config:1: no argument after keyword \"host\"");
  CHECK(parse_error("Host \"\"\n") == "config:1: keyword host empty argument");
  CHECK(parse_error("Host x\n  User a b\n") == "config:2: keyword user extra arguments at end of line");
  CHECK(parse_error("Host x\n  Port 22 23\n") == "config:2: keyword port extra arguments at end of line");
  CHECK(parse_error("Host x\n  IdentityFile a b\n") == "config:2: keyword identityfile extra arguments at end of line");
  CHECK(parse_error("Host x\n  ProxyJump bad:port:x\n") == "config:2: Invalid ProxyJump \"bad:port:x\"");
  CHECK(parse_error("ProxyJump user@:22\n") == "config:1: Invalid ProxyJump \"user@:22\"");
  CHECK(parse_error("ProxyJump a,,b\n") == "config:1: Invalid ProxyJump \"a,,b\"");
  CHECK(parse_error("Host x\n  SendEnv\n") == "config:2: no argument after keyword \"sendenv\"");
}

TEST_CASE("ProxyJump forms OpenSSH accepts", "[sshconfig]") {
  for (const char* v : {"bastion", "u@bastion", "u@bastion:2222", "[2001:db8::1]:22", "ssh://u@bastion:2200",
                        "a,b@c:3,ssh://d"}) {
    INFO(v);
    CHECK(parse_ok(std::string("ProxyJump ") + v + "\n").lookup("x", "me").proxy_jump == v);
  }
  CHECK(parse_ok("ProxyJump NONE\n").lookup("x", "me").proxy_jump == "none");
}

TEST_CASE("keywords OpenSSH knows but fleetk8s does not use are accepted", "[sshconfig]") {
  auto c = parse_ok(R"(Host *
  SendEnv LANG LC_*
  ForwardAgent yes
  LogLevel FATAL
  PasswordAuthentication no
  PubkeyAcceptedKeyTypes +ssh-rsa
  PubkeyAcceptedAlgorithms +ssh-rsa
  HostKeyAlgorithms +ssh-rsa
  ServerAliveInterval 30
  ServerAliveCountMax 3
  ControlMaster auto
  ControlPath ~/.ssh/cm-%r@%h:%p
  ControlPersist 10m
  AddKeysToAgent yes
  Compression yes
  GSSAPIAuthentication yes
  HashKnownHosts yes
  VisualHostKey no
  ForwardX11 no
  RequestTTY auto
  SetEnv FOO=bar
  CanonicalizeHostname no
  UpdateHostKeys yes
  KexAlgorithms +diffie-hellman-group14-sha1
  ObscureKeystrokeTiming no
  User stays
)");
  CHECK(c.lookup("anything", "me").user == "stays");
}

// RSA keys and unusable key types against the machine's OpenSSH (9.2:
// rsa-sha2 only, no ssh-rsa SHA-1 signatures, no DSA). What works depends
// on the libssh2 this binary runs with: 1.11 and later must succeed, 1.10
// must say plainly why not (its messages are asserted instead).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "fleetk8s/ssh/library.h"
#include "sandbox.h"

using namespace fleetk8s;
using testing::connect_only;
using testing::run_once;
using testing::sandbox_dir;
using testing::sandbox_host;
using testing::shell;
using testing::tmp_path;

namespace {

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// A second sshd inside host `name`'s namespace, on the fleet's port + 1,
// serving only a fresh RSA host key and otherwise the host's own settings
// (OpenSSH's defaults for algorithms). The fleet's hosts stay as they are.
class RsaOnlyServer {
 public:
  explicit RsaOnlyServer(const std::string& name) : options_(sandbox_host(name)), dir_(tmp_path("rsa-sshd")) {
    options_.port += 1;
    const std::string fleet = std::string(FLEETK8S_SOURCE_DIR) + "/scripts/sandbox-fleet";
    const std::string config = dir_ + "/sshd_config";
    REQUIRE(shell("set -e; rm -rf " + dir_ + "; mkdir -p " + dir_ + "; cd " + dir_ +
                  "; ssh-keygen -q -t rsa -b 3072 -N '' -f host_rsa </dev/null"
                  "; sed -e '/^ListenAddress /d' -e '/^HostKey /d' -e '/^PidFile /d' " +
                  sandbox_dir() + "/hosts/" + name + "/sshd_config > " + config + "; printf '%s\\n' 'ListenAddress " +
                  options_.address + ":" + std::to_string(options_.port) + "' 'HostKey " + dir_ +
                  "/host_rsa' 'PidFile " + dir_ + "/sshd.pid' >> " + config + "; " + fleet + " exec " +
                  sandbox_dir() + " " + name + " /usr/sbin/sshd -f " + config + " -E " + dir_ +
                  "/sshd.log; for i in $(seq 100); do [ -s sshd.pid ] && break; sleep 0.05; done; [ -s sshd.pid ]") ==
            0);
    host_key_ = first_line(dir_ + "/host_rsa.pub");
    host_key_ = host_key_.substr(0, host_key_.rfind(' '));  // "ssh-rsa AAAA...", no comment
  }
  ~RsaOnlyServer() { shell("kill $(cat " + dir_ + "/sshd.pid) 2>/dev/null"); }
  RsaOnlyServer(const RsaOnlyServer&) = delete;
  RsaOnlyServer& operator=(const RsaOnlyServer&) = delete;

  // Connect options for this server, with the fleet's client key.
  const ssh::ConnectOptions& options() const { return options_; }
  // Its known_hosts name: "[ADDR]:PORT".
  std::string known_name() const { return "[" + options_.address + "]:" + std::to_string(options_.port); }
  // Its public host key as known_hosts holds it: "ssh-rsa AAAA...".
  const std::string& host_key() const { return host_key_; }
  std::string log() const {
    std::ifstream in(dir_ + "/sshd.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  ssh::ConnectOptions options_;
  std::string dir_;
  std::string host_key_;
};

}  // namespace

TEST_CASE("the SSH library reports its version and crypto backend", "[ssh][rsa]") {
  const ssh::SshLibrary lib = ssh::ssh_library();
  INFO(ssh::ssh_library_text());
  CHECK_THAT(lib.version, Catch::StartsWith("1."));
  CHECK(lib.crypto_backend == "OpenSSL");
  CHECK((lib.origin == "system" || lib.origin == "bundled"));
  CHECK(lib.rsa_sha2 == (lib.version.rfind("1.10", 0) != 0 && lib.version.rfind("1.9", 0) != 0));
}

TEST_CASE("RSA user keys log in with libssh2 1.11; 1.10 says why not", "[ssh][auth][rsa]") {
  const ssh::SshLibrary lib = ssh::ssh_library();
  INFO(ssh::ssh_library_text());
  const std::string rsa_key = sandbox_dir() + "/keys/id_rsa";
  auto o = sandbox_host("cp1");

  auto check = [&](const Result<CommandResult>& r) {
    if (lib.rsa_sha2) {
      REQUIRE(r.ok());
      CHECK(r->out == "rsa\n");
    } else {
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().kind() == ErrorKind::kAuth);
      CHECK_THAT(r.error().message(), Catch::Contains("RSA keys cannot work here") &&
                                          Catch::Contains("libssh2 " + lib.version) &&
                                          Catch::Contains("ssh-keygen -t ed25519") &&
                                          Catch::Contains("FLEETK8S_LIBSSH2=bundled"));
    }
  };
  SECTION("from a key file") {
    o.auth.identity_files = {rsa_key};
    check(run_once(o, "echo rsa"));
  }
  SECTION("from ssh-agent") {
    testing::ScopedAgent agent(rsa_key);
    o.auth.use_agent = true;
    o.auth.identity_files = {sandbox_dir() + "/keys/does-not-exist"};
    check(run_once(o, "echo rsa"));
  }
  SECTION("an RSA key the host does not know is simply rejected") {
    const std::string other = tmp_path("id_rsa_other");
    REQUIRE(shell("ssh-keygen -q -t rsa -b 2048 -N '' -f " + other + " </dev/null") == 0);
    o.auth.identity_files = {other};
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kAuth);
    CHECK_THAT(r.error().message(), Catch::Contains(other + " (ssh-rsa, rejected)"));
    // 1.11 signs correctly: a rejection is about the key, not the library.
    CHECK((r.error().message().find("RSA keys cannot work here") == std::string::npos) == lib.rsa_sha2);
  }
}

TEST_CASE("a host with only an RSA host key is verified against known_hosts", "[ssh][hostkey][rsa]") {
  const ssh::SshLibrary lib = ssh::ssh_library();
  INFO(ssh::ssh_library_text());
  RsaOnlyServer server("worker01");
  auto o = server.options();
  const std::string kh = tmp_path("known_hosts-rsa");
  o.known_hosts_file = kh;

  if (!lib.rsa_sha2) {
    std::ofstream(kh) << server.known_name() << " " << server.host_key() << "\n";
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message(), Catch::Contains("only an RSA host key cannot be reached with libssh2 " +
                                                    lib.version));
    return;
  }
  SECTION("its entry matches, and commands run") {
    std::ofstream(kh) << server.known_name() << " " << server.host_key() << "\n";
    auto r = run_once(o, "hostname");
    INFO(server.log());
    REQUIRE(r.ok());
    CHECK(r->out == "worker01\n");
    CHECK_THAT(server.log(), Catch::Contains("Accepted publickey for root"));
  }
  SECTION("another RSA key under its name is refused as changed") {
    const std::string other = tmp_path("other_host_rsa");
    REQUIRE(shell("ssh-keygen -q -t rsa -b 2048 -N '' -f " + other + " </dev/null") == 0);
    const std::string pub = first_line(other + ".pub");
    std::ofstream(kh) << server.known_name() << " " << pub.substr(0, pub.rfind(' ')) << "\n";
    for (auto policy : {ssh::HostKeyPolicy::kStrict, ssh::HostKeyPolicy::kAcceptNew}) {
      o.host_key_policy = policy;
      auto r = connect_only(o);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().kind() == ErrorKind::kHostKeyChanged);
      CHECK_THAT(r.error().message(), Catch::Contains("ssh-rsa key SHA256:"));
    }
  }
  SECTION("an unknown host is refused under strict checking") {
    std::ofstream(kh) << "";
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kHostKeyUnknown);
    CHECK_THAT(r.error().message(), Catch::Contains("ssh-rsa key SHA256:"));
  }
}

TEST_CASE("key files no SSH server here accepts say so", "[ssh][auth][rsa]") {
  auto o = sandbox_host("cp1");
  SECTION("a DSA key") {
    const std::string dsa = tmp_path("id_dsa");
    REQUIRE(shell("ssh-keygen -q -t dsa -N '' -f " + dsa + " </dev/null") == 0);
    o.auth.identity_files = {dsa};
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kAuth);
    // libssh2 1.10 loads it and the server rejects it; 1.11 cannot load it.
    CHECK_THAT(r.error().message(), Catch::Contains("key " + dsa + " (") &&
                                        Catch::Contains("DSA keys (ssh-dss) are refused by OpenSSH") &&
                                        Catch::Contains("ssh-keygen -t ed25519"));
  }
  SECTION("a file that is no key") {
    const std::string junk = tmp_path("id_junk");
    std::ofstream(junk) << "this is not a private key\n";
    o.auth.identity_files = {junk};
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kAuth);
    CHECK_THAT(r.error().message(), Catch::Contains("key " + junk + " (cannot load"));
  }
}

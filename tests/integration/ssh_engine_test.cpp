// The SSH engine against real OpenSSH sshd processes of the sandbox fleet.
// Fleet layout: cp1, worker01..worker03 (see scripts/sandbox-fleet).
#include <catch2/catch.hpp>

#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <sstream>
#include <thread>

#include "fleetk8s/ssh/remote_command.h"
#include "sandbox.h"

using namespace fleetk8s;
using namespace std::chrono_literals;
using testing::connect_only;
using testing::run_async;
using testing::run_once;
using testing::sandbox_dir;
using testing::sandbox_host;
using testing::tmp_path;

namespace {

using Exec = boost::asio::any_io_executor;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The known_hosts line of host `name` in the fleet's known_hosts file.
std::string known_hosts_line(const ssh::ConnectOptions& o) {
  std::istringstream in(read_file(o.known_hosts_file));
  std::string line;
  const std::string prefix = "[" + o.address + "]:" + std::to_string(o.port) + " ";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  FAIL("no known_hosts line for " + prefix);
  return "";
}

}  // namespace

TEST_CASE("a command runs and returns stdout, stderr and exit status separately", "[ssh]") {
  auto r = run_once(sandbox_host("cp1"), "hostname; echo oops >&2; exit 3");
  REQUIRE(r.ok());
  CHECK(r->out == "cp1\n");
  CHECK(r->err == "oops\n");
  CHECK(r->exit_status == 3);
  CHECK(r->exit_signal.empty());
}

TEST_CASE("a command killed by a signal reports the signal", "[ssh]") {
  auto r = run_once(sandbox_host("cp1"), "kill -TERM $$");
  REQUIRE(r.ok());
  CHECK(r->exit_signal == "TERM");
  CHECK_FALSE(r->success());
}

TEST_CASE("every host answers with its own name", "[ssh]") {
  for (std::string h : {"cp1", "worker01", "worker02"}) {
    auto r = run_once(sandbox_host(h), "hostname");
    REQUIRE(r.ok());
    CHECK(r->out == h + "\n");
  }
}

TEST_CASE("10 MB of stdout and 1 MB of stderr arrive complete", "[ssh]") {
  auto r = run_once(sandbox_host("cp1"),
                    "head -c 1048576 /dev/zero | tr '\\0' e >&2 & head -c 10485760 /dev/zero | tr '\\0' o; wait");
  REQUIRE(r.ok());
  CHECK(r->out.size() == 10485760);
  CHECK(r->err.size() == 1048576);
  CHECK(r->out.find_first_not_of('o') == std::string::npos);
  CHECK(r->err.find_first_not_of('e') == std::string::npos);
}

TEST_CASE("output beyond max_output is cut and flagged", "[ssh]") {
  ssh::ExecOptions eo;
  eo.max_output = 1000;
  auto r = run_once(sandbox_host("cp1"), "head -c 5000 /dev/zero", eo);
  REQUIRE(r.ok());
  CHECK(r->out.size() == 1000);
  CHECK(r->out_truncated);
  CHECK(r->exit_status == 0);
}

TEST_CASE("stdin data reaches the command", "[ssh]") {
  ssh::ExecOptions eo;
  eo.stdin_data.assign(300000, 'x');
  eo.stdin_data += "END";  // not string(...) + "END": GCC 12 takes that move for an out-of-bounds copy
  auto r = run_once(sandbox_host("cp1"), "wc -c; ", eo);
  REQUIRE(r.ok());
  CHECK(r->out == "300003\n");
}

TEST_CASE("many commands share one session concurrently", "[ssh]") {
  const auto start = std::chrono::steady_clock::now();
  auto outs = run_async<std::vector<std::string>>([&](Exec ex) -> ssh::Task<std::vector<std::string>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("cp1"));
    REQUIRE(c.ok());
    std::vector<std::string> got(12);
    int pending = 12;
    boost::asio::steady_timer done(ex, std::chrono::steady_clock::time_point::max());
    for (int i = 0; i < 12; ++i) {
      boost::asio::co_spawn(
          ex,
          [&, i]() -> ssh::Task<void> {
            // Named arguments: GCC 12 mishandles non-trivial temporaries in co_await expressions.
            std::string command = "sleep 0.5; echo " + std::to_string(i) + "; head -c 200000 /dev/zero";
            ssh::ExecOptions options;
            auto r = co_await (*c)->exec(command, options);
            got[i] = r ? r->out.substr(0, r->out.find('\n')) + ":" + std::to_string(r->out.size())
                       : r.error().message();
            if (--pending == 0) done.cancel();
          },
          boost::asio::detached);
    }
    boost::system::error_code ec;
    co_await done.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    co_await (*c)->close();
    co_return got;
  });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (int i = 0; i < 12; ++i) CHECK(outs[i] == std::to_string(i) + ":" + std::to_string(200000 + 1 + std::to_string(i).size()));
  CHECK(secs < 4.0);  // 12 x 0.5 s serially would be 6 s; 8 channels at a time take 2 rounds
}

TEST_CASE("a command that exceeds its timeout is stopped and reported", "[ssh]") {
  ssh::ExecOptions eo;
  eo.timeout = 1s;
  const auto start = std::chrono::steady_clock::now();
  // An unusual duration: the sandbox shares the machine's process table.
  auto r = run_once(sandbox_host("cp1"), "sleep 31.73 & sleep 31.73; echo never", eo);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kCommandTimeout);
  CHECK_THAT(r.error().message(), Catch::Contains("timed out after 1 s"));
  CHECK(secs < 6.0);
  // Nothing of it keeps running on the host.
  auto ps = run_once(sandbox_host("cp1"), "pgrep -f 'sleep 31[.]73' || true");
  REQUIRE(ps.ok());
  CHECK(ps->out.empty());
}

TEST_CASE("upload writes content with mode, atomically", "[ssh][upload]") {
  std::string content;
  for (int i = 0; i < 70000; ++i) content += static_cast<char>((i * 7919) % 256);
  auto r = run_async<Result<CommandResult>>([&](Exec ex) -> ssh::Task<Result<CommandResult>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("worker01"));
    if (!c) co_return c.error();
    auto up = co_await (*c)->upload(content, "/etc/fleetk8s-upload-test.bin", 0640, {});
    if (!up) co_return up.error();
    auto again = co_await (*c)->upload("second", "/etc/fleetk8s-upload-test.bin", 0600, {});
    if (!again) co_return again.error();
    auto check = co_await (*c)->exec(
        "stat -c %a /etc/fleetk8s-upload-test.bin; cat /etc/fleetk8s-upload-test.bin; echo; ls -a /etc | grep -c fleetk8s", {});
    co_await (*c)->close();
    co_return check;
  });
  REQUIRE(r.ok());
  CHECK(r->out == "600\nsecond\n1\n");
  auto bin = run_async<Result<CommandResult>>([&](Exec ex) -> ssh::Task<Result<CommandResult>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("worker01"));
    if (!c) co_return c.error();
    auto up = co_await (*c)->upload(content, "/var/tmp/blob", 0640, {});
    if (!up) co_return up.error();
    auto back = co_await (*c)->exec("cat /var/tmp/blob; stat -c %a /var/tmp/blob >&2", {});
    co_await (*c)->close();
    co_return back;
  });
  REQUIRE(bin.ok());
  CHECK(bin->out == content);
  CHECK(bin->err == "640\n");
}

TEST_CASE("upload into a missing directory fails with the reason", "[ssh][upload]") {
  auto r = run_async<Result<void>>([&](Exec ex) -> ssh::Task<Result<void>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("worker01"));
    if (!c) co_return c.error();
    auto up = co_await (*c)->upload("x", "/nonexistent/dir/file", 0644, {});
    co_await (*c)->close();
    co_return up;
  });
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message(), Catch::Contains("upload to /nonexistent/dir/file failed"));
}

TEST_CASE("key types: ed25519, ECDSA and passphrase-protected keys work", "[ssh][auth]") {
  const std::string keys = sandbox_dir() + "/keys/";
  auto o = sandbox_host("cp1");

  SECTION("ECDSA") {
    o.auth.identity_files = {keys + "id_ecdsa"};
    auto r = run_once(o, "echo ok");
    REQUIRE(r.ok());
    CHECK(r->out == "ok\n");
  }
  SECTION("encrypted ed25519 with its passphrase") {
    o.auth.identity_files = {keys + "id_ed25519_pass"};
    o.auth.key_passphrase = "fleet-passphrase";
    auto r = run_once(o, "echo ok");
    REQUIRE(r.ok());
    CHECK(r->out == "ok\n");
  }
  SECTION("encrypted key without a passphrase") {
    o.auth.identity_files = {keys + "id_ed25519_pass"};
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kAuth);
    CHECK_THAT(r.error().message(), Catch::Contains("encrypted; no passphrase given"));
  }
  SECTION("encrypted key with a wrong passphrase") {
    o.auth.identity_files = {keys + "id_ed25519_pass"};
    o.auth.key_passphrase = "wrong";
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kAuth);
    CHECK_THAT(r.error().message(), Catch::Contains("wrong passphrase"));
  }
  SECTION("no usable key lists what was tried") {
    o.auth.identity_files = {keys + "does-not-exist"};
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kAuth);
    CHECK_THAT(r.error().message(), Catch::Contains("does-not-exist (no such file)") &&
                                        Catch::Contains("server offers: publickey,password"));
  }
}

TEST_CASE("password authentication", "[ssh][auth]") {
  auto o = sandbox_host("cp1");
  o.user = "ops";
  o.auth.identity_files = {sandbox_dir() + "/keys/does-not-exist"};
  o.auth.password = "ops-sandbox-pw";
  auto r = run_once(o, "id -un");
  REQUIRE(r.ok());
  CHECK(r->out == "ops\n");

  o.auth.password = "wrong";
  auto bad = connect_only(o);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kAuth);
  CHECK_THAT(bad.error().message(), Catch::Contains("password (rejected)"));
}

TEST_CASE("ssh-agent keys are tried first", "[ssh][auth]") {
  testing::ScopedAgent agent(sandbox_dir() + "/keys/id_ecdsa");
  auto o = sandbox_host("cp1");
  o.auth.use_agent = true;
  o.auth.identity_files = {sandbox_dir() + "/keys/does-not-exist"};
  auto r = run_once(o, "echo via-agent");
  REQUIRE(r.ok());
  CHECK(r->out == "via-agent\n");
}

TEST_CASE("host key policies", "[ssh][hostkey]") {
  auto o = sandbox_host("worker02");
  const std::string line = known_hosts_line(o);
  const std::string kh = tmp_path("known_hosts");

  SECTION("strict refuses an unknown host and says how to add it") {
    std::ofstream(kh) << "";
    o.known_hosts_file = kh;
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kHostKeyUnknown);
    CHECK_THAT(r.error().message(), Catch::Contains("is not in " + kh) && Catch::Contains("SHA256:") &&
                                        Catch::Contains("ssh-keyscan"));
  }
  SECTION("a missing known_hosts file is an unknown host, not a crash") {
    o.known_hosts_file = tmp_path("no-such-known-hosts");
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kHostKeyUnknown);
  }
  SECTION("accept-new adds the key once, then it is verified") {
    std::ofstream(kh) << "";
    o.known_hosts_file = kh;
    o.host_key_policy = ssh::HostKeyPolicy::kAcceptNew;
    std::vector<std::string> notices;
    REQUIRE(connect_only(o, &notices).ok());
    CHECK(read_file(kh) == line + "\n");
    REQUIRE(notices.size() == 1);
    CHECK_THAT(notices[0], Catch::Contains("permanently added"));
    o.host_key_policy = ssh::HostKeyPolicy::kStrict;
    CHECK(connect_only(o).ok());
  }
  SECTION("a changed key is refused loudly, also under accept-new") {
    // worker02's address recorded with cp1's key: what a changed key looks like.
    const std::string cp1_line = known_hosts_line(sandbox_host("cp1"));
    const std::string fake = line.substr(0, line.find(' ')) + cp1_line.substr(cp1_line.find(' '));
    std::ofstream(kh) << fake << "\n";
    o.known_hosts_file = kh;
    for (auto policy : {ssh::HostKeyPolicy::kStrict, ssh::HostKeyPolicy::kAcceptNew}) {
      o.host_key_policy = policy;
      auto r = connect_only(o);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().kind() == ErrorKind::kHostKeyChanged);
      CHECK_THAT(r.error().message(), Catch::Contains("REMOTE HOST IDENTIFICATION HAS CHANGED") &&
                                          Catch::Contains(o.address) && Catch::Contains("ssh-ed25519 key SHA256:"));
    }
    CHECK(read_file(kh) == fake + "\n");  // never rewritten
  }
  SECTION("hashed entries match") {
    std::ofstream(kh) << line << "\n";
    REQUIRE(testing::shell("ssh-keygen -q -H -f " + kh + " >/dev/null 2>&1 && ! grep -q 127.0.77 " + kh) == 0);
    o.known_hosts_file = kh;
    CHECK(connect_only(o).ok());
  }
  SECTION("a plain entry without the port does not match a non-22 port") {
    std::ofstream(kh) << o.address << line.substr(line.find(' ')) << "\n";
    o.known_hosts_file = kh;
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kHostKeyUnknown);
  }
  SECTION("@revoked keys are refused") {
    std::ofstream(kh) << line << "\n@revoked * " << line.substr(line.find(' ') + 1) << "\n";
    o.known_hosts_file = kh;
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kHostKeyRevoked);
  }
  SECTION("off connects without checking, with a warning") {
    o.known_hosts_file = tmp_path("no-such-known-hosts");
    o.host_key_policy = ssh::HostKeyPolicy::kOff;
    std::vector<std::string> notices;
    REQUIRE(connect_only(o, &notices).ok());
    REQUIRE(notices.size() == 1);
    CHECK_THAT(notices[0], Catch::Contains("host key checking is off"));
  }
}

TEST_CASE("become with sudo", "[ssh][become]") {
  auto o = sandbox_host("cp1");
  ssh::ExecOptions eo;
  eo.become.enabled = true;

  SECTION("passwordless sudo") {
    o.user = "deploy";
    auto r = run_once(o, "id -un", eo);
    REQUIRE(r.ok());
    CHECK(r->out == "root\n");
  }
  SECTION("sudo with a password sent on stdin, command stdin intact") {
    o.user = "ops";
    eo.become.password = "ops-sandbox-pw";
    eo.stdin_data = "payload";
    auto r = run_once(o, "id -un; cat", eo);
    REQUIRE(r.ok());
    CHECK(r->out == "root\npayload");
    CHECK(r->err.find(ssh::kSudoPrompt) == std::string::npos);
  }
  SECTION("passwordless sudo given a password: it never reaches the command's stdin") {
    o.user = "deploy";
    eo.become.password = "pw;touch /tmp/fk-canary-exec";
    eo.stdin_data = "payload";
    auto r = run_once(o, "cat", eo);
    REQUIRE(r.ok());
    CHECK(r->out == "payload");
    CHECK(r->err.empty());
  }
  SECTION("passwordless sudo given a password, command without stdin") {
    o.user = "deploy";
    eo.become.password = "pw";
    auto r = run_once(o, "cat; id -un", eo);
    REQUIRE(r.ok());
    CHECK(r->out == "root\n");
  }
  SECTION("a wrong sudo password is a become error") {
    o.user = "ops";
    eo.become.password = "wrong";
    auto r = run_once(o, "id -un", eo);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kBecome);
    CHECK_THAT(r.error().message(), Catch::Contains("rejected the become password"));
  }
  SECTION("sudo that needs a password and got none") {
    o.user = "ops";
    auto r = run_once(o, "id -un", eo);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kBecome);
    CHECK_THAT(r.error().message(), Catch::Contains("sudo needs a password"));
  }
  SECTION("become to another user") {
    o.user = "deploy";
    eo.become.user = "ops";
    auto r = run_once(o, "id -un", eo);
    REQUIRE(r.ok());
    CHECK(r->out == "ops\n");
  }
}

TEST_CASE("connection failures are classified", "[ssh][errors]") {
  SECTION("refused") {
    auto o = sandbox_host("cp1");
    o.address = "127.0.77.250";
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kConnectRefused);
    CHECK_THAT(r.error().message(), Catch::Contains("connection refused by 127.0.77.250"));
  }
  SECTION("a server that accepts but never speaks times out") {
    // A listener that never answers: the SSH banner never comes.
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acc(io, {boost::asio::ip::make_address("127.0.77.251"), 0});
    auto o = sandbox_host("cp1");
    o.address = "127.0.77.251";
    o.port = acc.local_endpoint().port();
    o.connect_timeout = 700ms;
    const auto start = std::chrono::steady_clock::now();
    auto r = connect_only(o);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kTimeout);
    CHECK_THAT(r.error().message(), Catch::Contains("timed out"));
    CHECK(secs < 3.0);
  }
}

TEST_CASE("a host whose sshd dies mid-command is reported as lost", "[ssh][errors]") {
  const std::string fleet = std::string(FLEETK8S_SOURCE_DIR) + "/scripts/sandbox-fleet";
  auto r = run_async<Result<CommandResult>>([&](Exec ex) -> ssh::Task<Result<CommandResult>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("worker03"));
    if (!c) co_return c.error();
    std::thread killer([&] {
      std::this_thread::sleep_for(500ms);
      testing::shell(fleet + " stop-host " + sandbox_dir() + " worker03 >/dev/null");
    });
    auto res = co_await (*c)->exec("sleep 20", {});
    killer.join();
    co_await (*c)->close();
    co_return res;
  });
  REQUIRE(testing::shell(fleet + " start-host " + sandbox_dir() + " worker03 >/dev/null") == 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kConnectionLost);
  CHECK(is_unreachable(r.error().kind()));
  // The restarted host serves again.
  auto again = run_once(sandbox_host("worker03"), "hostname");
  REQUIRE(again.ok());
  CHECK(again->out == "worker03\n");
}

TEST_CASE("a stream finds an answer that arrived while the next request was still being sent", "[ssh][stream]") {
  // The stall under load: the answer to a request was read into out()
  // during write() (here: a 3 MB request waits for window adjustments while
  // the first line's echo comes back), and it is as long as the previous
  // answer. read_until must still find its marker.
  auto got = run_async<std::string>([&](Exec ex) -> ssh::Task<std::string> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host("cp1"));
    if (!c) co_return "connect: " + c.error().message();
    auto s = co_await (*c)->open_stream("read -r a; echo \"$a\"; read -r b; echo \"$b\"; cat >/dev/null", {});
    if (!s) co_return "open: " + s.error().message();
    auto& stream = **s;
    std::string log;
    if (auto w = co_await stream.write("1234567890-A\n"); !w) co_return "write A: " + w.error().message();
    auto a = co_await stream.read_until("-A\n", std::chrono::seconds(10));
    if (!a) co_return "read A: " + a.error().message();
    stream.out().erase(0, *a);
    if (auto w = co_await stream.write("1234567890-B\n" + std::string(3 << 20, 'x') + "\n"); !w) {
      co_return "write B: " + w.error().message();
    }
    log += "before=" + std::to_string(stream.out().size()) + " ";
    auto b = co_await stream.read_until("-B\n", std::chrono::seconds(5));
    log += b ? "found at " + std::to_string(*b) : "read B: " + b.error().message();
    (void)co_await stream.close();
    co_await (*c)->close();
    co_return log;
  });
  CHECK_THAT(got, Catch::EndsWith("found at 13"));
}

TEST_CASE("HostKeyAlias: the key is looked up and recorded under the alias, without a port", "[ssh][hostkey]") {
  auto o = sandbox_host("worker02");
  const std::string line = known_hosts_line(o);
  const std::string key = line.substr(line.find(' ') + 1);
  const std::string kh = tmp_path("known_hosts-alias");
  o.host_key_alias = "worker02.lab";
  o.known_hosts_file = kh;
  SECTION("an entry under the alias matches") {
    std::ofstream(kh) << "worker02.lab " << key << "\n";
    CHECK(connect_only(o).ok());
  }
  SECTION("an entry under the address does not") {
    std::ofstream(kh) << line << "\n";
    auto r = connect_only(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind() == ErrorKind::kHostKeyUnknown);
    CHECK_THAT(r.error().message(), Catch::Contains("HostKeyAlias worker02.lab"));
  }
  SECTION("accept-new records it under the alias") {
    std::ofstream(kh) << "";
    o.host_key_policy = ssh::HostKeyPolicy::kAcceptNew;
    REQUIRE(connect_only(o).ok());
    CHECK(read_file(kh) == "worker02.lab " + key + "\n");
  }
}

// Host-side modules run through a RemoteShell on sandbox hosts: first run
// changes, second run changes nothing, check mode changes nothing.
#include <catch2/catch.hpp>

#include "fleetk8s/modules/module.h"
#include "fleetk8s/ssh/remote_shell.h"
#include "sandbox.h"

using namespace fleetk8s;
using namespace std::chrono_literals;
using testing::run_async;
using testing::sandbox_host;

namespace {

using Exec = boost::asio::any_io_executor;

struct Step {
  std::string module;
  Value::Object args;
  modules::RunMode mode;
};

// Runs each step (a module, or "sh" for a raw check script) on `host`.
std::vector<modules::Outcome> run_steps(const std::string& host, const std::vector<Step>& steps) {
  return run_async<std::vector<modules::Outcome>>([&](Exec ex) -> ssh::Task<std::vector<modules::Outcome>> {
    std::vector<modules::Outcome> got;
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(sandbox_host(host));
    REQUIRE(c.ok());
    ssh::BecomeOptions become;
    auto shell = co_await ssh::RemoteShell::start(**c, become, 10s);
    REQUIRE(shell.ok());
    for (const auto& st : steps) {
      const modules::Module* m = modules::find_module(st.module);
      REQUIRE(m != nullptr);
      auto script = m->script(st.args, st.mode);
      REQUIRE(script.ok());
      auto ran = co_await (*shell)->run(*script, 30s);
      REQUIRE(ran.ok());
      got.push_back(m->interpret(*ran, st.args, st.mode));
    }
    auto closed = co_await (*shell)->close();
    (void)closed;
    co_await (*c)->close();
    co_return got;
  });
}

Value::Object args(std::initializer_list<std::pair<const std::string, Value>> kv) { return Value::Object(kv); }

std::string shell_out(const std::string& host, const std::string& cmd) {
  auto o = run_steps(host, {{"shell", args({{"_raw_params", cmd}}), {}}});
  return o[0].result["stdout"].to_display();
}

}  // namespace

TEST_CASE("copy writes once, then is idempotent; check and diff change nothing", "[modules]") {
  const std::string f = "/etc/fleetk8s-copy-test.conf";
  auto copy = [&](std::string content, bool check = false, bool diff = false) {
    return Step{"copy", args({{"dest", f}, {"content", content}, {"mode", "0640"}}), {check, diff}};
  };
  shell_out("worker01", "rm -f " + f);  // tests may run again on the same fleet
  auto o = run_steps("worker01", {copy("a=1\n"), copy("a=1\n"), copy("a=2\n", true, true), copy("a=2\n", false, true)});
  CHECK(o[0].changed);
  CHECK_FALSE(o[0].failed);
  CHECK_FALSE(o[1].changed);
  CHECK(o[2].changed);                               // would change
  CHECK_THAT(o[2].diff, Catch::Contains("-a=1") && Catch::Contains("+a=2"));
  CHECK(o[3].changed);
  CHECK(shell_out("worker01", "cat " + f + "; stat -c %a " + f) == "a=2\n640");
  // No temporary file is left next to it.
  CHECK(shell_out("worker01", "ls -a /etc | grep -c fleetk8s.tmp || true") == "0");
}

TEST_CASE("copy in check mode leaves the file alone", "[modules]") {
  const std::string f = "/etc/fleetk8s-check-test.conf";
  shell_out("worker02", "rm -f " + f);
  auto o = run_steps("worker02", {{"copy", args({{"dest", f}, {"content", "x\n"}}), {true, false}}});
  CHECK(o[0].changed);
  CHECK(shell_out("worker02", "test -e " + f + " && echo present || echo absent") == "absent");
}

// A check must not touch what it looks at: a temporary file made and removed
// in the destination's directory changes that directory's ctime and mtime
// (what inotify watchers, backups and `fleetk8s watch`'s fingerprints see).
TEST_CASE("check mode leaves the destination's directory untouched (copy, sysctl, modprobe)", "[modules]") {
  const std::string d = "/etc/fleetk8s-check-dir";
  shell_out("worker02", "rm -rf " + d + " && mkdir -p " + d + " && printf 'a=1\\n' > " + d + "/x.conf");
  const std::string stamp = "stat -c '%z %y' " + d + " /etc/modules-load.d";
  const std::string before = shell_out("worker02", stamp);
  auto o = run_steps("worker02", {
      {"copy", args({{"dest", d + "/x.conf"}, {"content", "a=2\n"}, {"mode", "0640"}}), {true, true}},
      {"sysctl", args({{"name", "kernel.fk_check"}, {"value", "1"}, {"sysctl_file", d + "/s.conf"}, {"reload", false}}),
       {true, false}},
      {"modprobe", args({{"name", "overlay"}, {"persistent", "present"}}), {true, false}},
  });
  CHECK(o[0].changed);
  CHECK_THAT(o[0].diff, Catch::Contains("+a=2"));
  CHECK(o[1].changed);
  CHECK_FALSE(o[2].failed);
  CHECK(shell_out("worker02", stamp) == before);
  CHECK(shell_out("worker02", "ls -A " + d + "; rm -rf " + d) == "x.conf");
}

TEST_CASE("copy fixes a drifted mode alone", "[modules]") {
  const std::string f = "/etc/fleetk8s-mode-test.conf";
  Step s{"copy", args({{"dest", f}, {"content", "y\n"}, {"mode", "0600"}}), {}};
  shell_out("worker02", "rm -f " + f);
  auto o = run_steps("worker02", {s, {"shell", args({{"_raw_params", "chmod 0644 " + f}}), {}}, s, s});
  CHECK(o[0].changed);
  CHECK(o[2].changed);
  CHECK_FALSE(o[3].changed);
  CHECK(shell_out("worker02", "stat -c %a " + f) == "600");
}

TEST_CASE("file manages directories, links and removal idempotently", "[modules]") {
  const std::string d = "/var/lib/fleetk8s-file-test";
  shell_out("worker03", "rm -rf " + d);
  auto o = run_steps("worker03", {
                                     {"file", args({{"path", d}, {"state", "directory"}, {"mode", "0750"}}), {}},
                                     {"file", args({{"path", d}, {"state", "directory"}, {"mode", "0750"}}), {}},
                                     {"file", args({{"path", d + "/l"}, {"src", "/etc/hostname"}, {"state", "link"}}), {}},
                                     {"file", args({{"path", d + "/l"}, {"src", "/etc/hostname"}, {"state", "link"}}), {}},
                                     {"file", args({{"path", d}, {"state", "absent"}}), {true, false}},
                                     {"file", args({{"path", d}, {"state", "absent"}}), {}},
                                     {"file", args({{"path", d}, {"state", "absent"}}), {}},
                                     {"file", args({{"path", "/nonexistent-x"}}), {}},
                                 });
  CHECK(o[0].changed);
  CHECK_FALSE(o[1].changed);
  CHECK(o[2].changed);
  CHECK_FALSE(o[3].changed);
  CHECK(o[4].changed);  // check mode: would remove
  CHECK(o[5].changed);
  CHECK_FALSE(o[6].changed);
  CHECK(o[7].failed);
  CHECK_THAT(o[7].msg, Catch::Contains("is absent"));
}

TEST_CASE("command and shell report rc and output; creates skips", "[modules]") {
  auto o = run_steps("cp1", {
                                {"command", args({{"_raw_params", "echo hello"}}), {}},
                                {"shell", args({{"_raw_params", "echo out; echo err >&2; exit 3"}}), {}},
                                {"command", args({{"_raw_params", "echo never"}, {"creates", "/etc/hostname"}}), {}},
                                {"command", args({{"_raw_params", "echo never"}}), {true, false}},
                            });
  CHECK(o[0].changed);
  CHECK(o[0].result["stdout"] == Value("hello"));
  CHECK(o[0].result["rc"] == Value(0));
  CHECK(o[1].failed);
  CHECK(o[1].result["rc"] == Value(3));
  CHECK(o[1].result["stderr"] == Value("err"));
  CHECK_FALSE(o[2].changed);
  CHECK_FALSE(o[2].skipped);
  CHECK(o[2].msg == "skipped, since /etc/hostname exists");
  CHECK(o[3].skipped);
}

// The OS modules drive the sandbox hosts' stand-ins for RHEL tools (dnf,
// systemctl, sysctl, modprobe, getenforce), which behave like the real ones.
TEST_CASE("the Kubernetes host preparation converges and then stays put", "[modules][os]") {
  const std::vector<Step> prepare = {
      {"selinux", args({{"state", "permissive"}, {"policy", "targeted"}}), {}},
      {"modprobe", args({{"name", "br_netfilter"}, {"persistent", "present"}}), {}},
      {"sysctl", args({{"name", "net.bridge.bridge-nf-call-iptables"}, {"value", "1"}, {"sysctl_file", "/etc/sysctl.d/k8s.conf"},
                       {"sysctl_set", true}}), {}},
      {"sysctl", args({{"name", "net.ipv4.ip_forward"}, {"value", "1"}, {"sysctl_file", "/etc/sysctl.d/k8s.conf"},
                       {"sysctl_set", true}}), {}},
      {"yum_repository", args({{"name", "kubernetes"}, {"description", "Kubernetes"},
                               {"baseurl", "https://pkgs.k8s.io/core:/stable:/v1.30/rpm/"},
                               {"gpgkey", "https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key"},
                               {"gpgcheck", true}, {"exclude", Value::Array{"kubelet", "kubeadm", "kubectl"}}}), {}},
      {"dnf", args({{"name", Value::Array{"kubelet", "kubeadm", "kubectl"}}, {"disable_excludes", "kubernetes"}}), {}},
      {"systemd", args({{"name", "firewalld"}, {"state", "stopped"}, {"enabled", false}}), {}},
  };
  auto first = run_steps("worker03", prepare);
  for (size_t i = 0; i < first.size(); ++i) {
    INFO("step " << i << ": " << first[i].msg);
    CHECK_FALSE(first[i].failed);
    CHECK(first[i].changed);
  }
  std::vector<Step> again = prepare;
  for (auto& st : again) st.mode.check = true;
  auto check = run_steps("worker03", again);
  for (size_t i = 0; i < check.size(); ++i) {
    INFO("step " << i << ": " << check[i].msg);
    CHECK_FALSE(check[i].failed);
    CHECK_FALSE(check[i].changed);
  }
  auto second = run_steps("worker03", prepare);
  for (size_t i = 0; i < second.size(); ++i) {
    INFO("step " << i << ": " << second[i].msg);
    CHECK_FALSE(second[i].changed);
  }
  CHECK(shell_out("worker03", "getenforce; sysctl -n net.ipv4.ip_forward; cat /etc/modules-load.d/br_netfilter.conf; "
                              "rpm -q kubeadm >/dev/null && echo kubeadm; systemctl is-active firewalld") ==
        "Permissive\n1\nbr_netfilter\nkubeadm\ninactive");
}

TEST_CASE("OS modules fail like the real tools", "[modules][os]") {
  auto o = run_steps("worker02", {
      {"sysctl", args({{"name", "net.bridge.bridge-nf-call-ip6tables"}, {"value", "1"}, {"sysctl_file", "/etc/sysctl.d/x.conf"},
                       {"sysctl_set", true}}), {}},
      {"dnf", args({{"name", "no-such-package"}}), {}},
      {"systemd", args({{"name", "no-such-unit"}, {"state", "started"}}), {}},
      {"modprobe", args({{"name", "no_such_module"}}), {}},
  });
  // (worker02 never loaded br_netfilter)
  CHECK(o[0].failed);
  CHECK_THAT(o[0].msg, Catch::Contains("No such file or directory"));
  CHECK(o[1].failed);
  CHECK(o[2].failed);
  CHECK_THAT(o[2].msg, Catch::Contains("Could not find the requested service"));
  CHECK(o[3].failed);
  CHECK_THAT(o[3].msg, Catch::Contains("not found"));
}

// `fleetk8s check` on a host `up` has not prepared: the unit an earlier
// task's package would bring is drift, not a failure; a real run still fails.
TEST_CASE("systemd in check mode reports a missing unit as drift", "[modules][os]") {
  const Value::Object unit = args({{"name", "fleetk8s-not-installed"}, {"state", "started"}, {"enabled", true}});
  auto o = run_steps("worker02", {{"systemd", unit, {true, false}}, {"systemd", unit, {true, true}}, {"systemd", unit, {}}});
  CHECK(o[0].changed);
  CHECK_FALSE(o[0].failed);
  CHECK(o[0].msg == "unit fleetk8s-not-installed.service not found (an earlier task would install it)");
  CHECK(o[1].changed);
  CHECK(o[1].diff.empty());
  CHECK(o[2].failed);
  CHECK_THAT(o[2].msg, Catch::Contains("Could not find the requested service"));
}

TEST_CASE("sysctl writes values literally, escapes and globs included", "[modules][os]") {
  const std::string f = "/etc/sysctl.d/fleetk8s-literal-test.conf";
  shell_out("worker02", "rm -f " + f);
  auto o = run_steps("worker02", {
      {"sysctl", args({{"name", "kernel.fk_a"}, {"value", "1\\nkernel.core_pattern=|/tmp/x"}, {"sysctl_file", f},
                       {"reload", false}}), {}},
      {"sysctl", args({{"name", "kernel.fk_b"}, {"value", "*"}, {"sysctl_file", f}, {"reload", false}}), {}},
      {"sysctl", args({{"name", "kernel.fk_b"}, {"value", "*"}, {"sysctl_file", f}, {"reload", false}}), {}},
  });
  CHECK(o[0].changed);
  CHECK(o[1].changed);
  CHECK_FALSE(o[2].changed);
  CHECK(shell_out("worker02", "cat " + f + "; rm -f " + f) == "kernel.fk_a=1\\nkernel.core_pattern=|/tmp/x\nkernel.fk_b=*");
}

TEST_CASE("sysctl_set: a key the kernel lacks is a change in check mode (as Ansible's sysctl -e), a failure to set",
          "[modules][os]") {
  const std::string f = "/etc/sysctl.d/fleetk8s-absent-key-test.conf";
  const Value::Object a = args({{"name", "net.fleetk8s_absent.key"}, {"value", "1"}, {"sysctl_file", f},
                                {"sysctl_set", true}, {"reload", false}});
  shell_out("worker03", "rm -f " + f);
  auto o = run_steps("worker03", {{"sysctl", a, {true, false}}, {"sysctl", a, {}}});
  CHECK(o[0].changed);
  CHECK_FALSE(o[0].failed);
  CHECK(o[1].failed);
  shell_out("worker03", "rm -f " + f);
}

TEST_CASE("copy in check mode reports a directory an earlier task would create as drift", "[modules]") {
  const Value::Object a = args({{"dest", "/etc/fleetk8s-no-such-dir/x.yaml"}, {"content", "x\n"}, {"mode", "0600"}});
  auto o = run_steps("worker02", {{"copy", a, {true, false}}, {"copy", a, {}}});
  CHECK(o[0].changed);
  CHECK_FALSE(o[0].failed);
  CHECK(o[1].failed);
  CHECK_THAT(o[1].msg, Catch::Contains("Destination directory /etc/fleetk8s-no-such-dir does not exist"));
}

#include <catch2/catch.hpp>

#include <set>

#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/playbook/module_catalog.h"

using fleetk8s::Value;
using namespace fleetk8s::playbook;

namespace {

const std::string kDir = std::string(FLEETK8S_SOURCE_DIR) + "/tests/data/playbooks/";

void collect_modules(const std::vector<Task>& tasks, std::set<std::string>& out) {
  for (const Task& t : tasks) {
    if (t.kind == Task::Kind::kModule) out.insert(t.module);
    collect_modules(t.block, out);
    collect_modules(t.rescue, out);
    collect_modules(t.always, out);
  }
}

const Task& find_task(const std::vector<Task>& tasks, const std::string& name) {
  for (const Task& t : tasks) {
    if (t.name == name) return t;
  }
  FAIL("no task named " << name);
  throw;
}

}  // namespace

TEST_CASE("all-modules.yml loads and uses every module of the catalog", "[playbook][loader]") {
  auto pb = load_playbook(kDir + "all-modules.yml");
  INFO((pb.ok() ? std::string() : pb.error().message()));
  REQUIRE(pb.ok());
  REQUIRE(pb->plays.size() == 1);
  const Play& play = pb->plays[0];
  std::set<std::string> used;
  collect_modules(play.pre_tasks, used);
  collect_modules(play.tasks, used);
  collect_modules(play.handlers, used);
  std::set<std::string> all;
  for (const ModuleSpec& m : module_catalog()) all.insert(m.name);
  CHECK(used == all);
}

TEST_CASE("all-modules.yml: FQCNs and aliases become canonical names", "[playbook][loader]") {
  auto pb = load_playbook(kDir + "all-modules.yml");
  REQUIRE(pb.ok());
  const Play& play = pb->plays[0];
  CHECK(find_task(play.tasks, "Put SELinux in permissive mode").module == "selinux");
  CHECK(find_task(play.tasks, "Let iptables see bridged traffic").module == "sysctl");
  CHECK(find_task(play.tasks, "Load the kernel modules now and at boot").module == "modprobe");
  CHECK(find_task(play.tasks, "Install Kubernetes").module == "yum");
  CHECK(play.handlers[0].module == "systemd");
  CHECK(play.handlers[0].name == "Restart crio");

  const Task& init = find_task(play.tasks, "Initialise the control plane");
  CHECK(init.module == "shell");
  CHECK(init.args == Value::Object{
                         {"_raw_params", "kubeadm init --pod-network-cidr={{ pod_network_cidr }} > /root/kubeadm-init.log 2>&1"},
                         {"creates", "/etc/kubernetes/admin.conf"},
                         {"executable", "/bin/bash"}});
  REQUIRE(init.when.size() == 2);
  CHECK(init.when[1].value == Value("not admin_conf.stat.exists"));
  CHECK(init.when[1].pos.line == 225);
  CHECK(init.when[1].pos.column == 11);

  const Task& swapoff = find_task(play.tasks, "Turn swap off now");
  CHECK(swapoff.args == Value::Object{{"_raw_params", "swapoff -a"}});
  const Task& show = find_task(play.tasks, "Show the pod network");
  CHECK(show.args == Value::Object{{"var", "pod_network_cidr"}});
  const Task& flush = find_task(play.tasks, "Run the handlers now");
  CHECK(flush.args == Value::Object{{"_raw_params", "flush_handlers"}});
}

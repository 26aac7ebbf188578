#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "fleetk8s/orchestrator/node_readiness.h"
#include "fleetk8s/orchestrator/preflight.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {

Value::Object iface(const std::string& device, const std::string& mac, const std::string& address) {
  Value::Object d{{"device", device}, {"macaddress", mac}};
  if (!address.empty()) d["ipv4"] = Value::Object{{"address", address}, {"prefix", "24"}};
  return d;
}

// A Vagrant VM's facts: eth0 NAT (the default route, the same MAC on every VM), eth1 private.
Value::Object vagrant_vm(const std::string& name, const std::string& eth1_mac, const std::string& eth1_ip,
                         const std::string& uuid) {
  return Value::Object{
      {"ansible_nodename", name},
      {"ansible_interfaces", Value::Array{"eth0", "eth1", "lo"}},
      {"ansible_default_ipv4", Value::Object{{"interface", "eth0"}, {"macaddress", "08:00:27:8a:4b:01"}}},
      {"ansible_eth0", iface("eth0", "08:00:27:8a:4b:01", "10.0.2.15")},
      {"ansible_eth1", iface("eth1", eth1_mac, eth1_ip)},
      {"ansible_lo", iface("lo", "00:00:00:00:00:00", "127.0.0.1")},
      {"ansible_product_uuid", uuid},
  };
}

std::string lines(const std::vector<PreflightFinding>& fs) {
  std::string out;
  for (const auto& l : summarize(fs).lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("every check names its severity, and kubeadm's name only where kubeadm runs it") {
  for (const auto& c : preflight_checks()) CHECK(find_preflight_check(c.id) == &c);
  CHECK(find_preflight_check("hostname")->severity == Severity::kWarning);
  CHECK(find_preflight_check("hostname")->kubeadm == "Hostname");
  CHECK(find_preflight_check("node-name")->severity == Severity::kError);
  CHECK(find_preflight_check("memory")->kubeadm == "Mem");
  CHECK(find_preflight_check("cpus")->kubeadm == "NumCPU");
  CHECK(find_preflight_check("made-up") == nullptr);
}

TEST_CASE("the README's preflight table lists every check with its kubeadm name and severity") {
  std::ifstream in(std::string(FLEETK8S_SOURCE_DIR) + "/README.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& c : preflight_checks()) {
    const std::string kubeadm = c.kubeadm.empty() ? "—" : "`" + std::string(c.kubeadm) + "`";
    const std::string row = "| `" + std::string(c.id) + "` | " + kubeadm + " | " +
                            (c.severity == Severity::kError ? "error" : "warning") + " | ";
    INFO(row);
    CHECK(text.str().find(row) != std::string::npos);
  }
}

TEST_CASE("the node interface: node_ip's, else the default route's") {
  const Value::Object vm = vagrant_vm("cp1", "08:00:27:00:00:11", "192.168.56.10", "u1");
  auto by_ip = node_interface(vm, "192.168.56.10");
  REQUIRE(by_ip);
  CHECK(by_ip->device == "eth1");
  CHECK(by_ip->macaddress == "08:00:27:00:00:11");
  auto by_route = node_interface(vm, "");
  REQUIRE(by_route);
  CHECK(by_route->device == "eth0");
  auto nowhere = node_interface(vm, "192.168.56.99");
  REQUIRE_FALSE(nowhere);
  CHECK(nowhere.error().message() ==
        "node_ip 192.168.56.99 is on no interface of this host (eth0 10.0.2.15, eth1 192.168.56.10, lo 127.0.0.1)");
}

TEST_CASE("preflight across hosts: MACs compared on the node interface, product_uuid, node names") {
  const Value::Object ip1{{"preflight_node_ip", "192.168.56.10"}}, ip2{{"preflight_node_ip", "192.168.56.11"}};
  SECTION("Vagrant: the same NAT MAC everywhere is fine when node_ip is on eth1") {
    const auto a = vagrant_vm("cp1", "08:00:27:00:00:11", "192.168.56.10", "u1");
    const auto b = vagrant_vm("w1", "08:00:27:00:00:12", "192.168.56.11", "u2");
    CHECK(preflight_findings({{"cp1", &a, &ip1}, {"w1", &b, &ip2}}).empty());
  }
  SECTION("without node_ip the default route's interface is compared") {
    const auto a = vagrant_vm("cp1", "08:00:27:00:00:11", "192.168.56.10", "u1");
    const auto b = vagrant_vm("w1", "08:00:27:00:00:12", "192.168.56.11", "u2");
    CHECK(lines(preflight_findings({{"cp1", &a, nullptr}, {"w1", &b, nullptr}})) ==
          "[ERROR mac] cp1, w1: same MAC address of the node interface 08:00:27:8a:4b:01 (eth0) (must be unique in a "
          "cluster)\n");
  }
  SECTION("the same MAC on the node interface, the same product_uuid, the same name") {
    const auto a = vagrant_vm("cp1", "08:00:27:00:00:11", "192.168.56.10", "same-uuid");
    const auto b = vagrant_vm("cp1", "08:00:27:00:00:11", "192.168.56.11", "same-uuid");
    CHECK(lines(preflight_findings({{"cp1", &a, &ip1}, {"w1", &b, &ip2}})) ==
          "[ERROR node-name] cp1, w1: same host name cp1 (must be unique in a cluster)\n"
          "[ERROR mac] cp1, w1: same MAC address of the node interface 08:00:27:00:00:11 (eth1) (must be unique in a "
          "cluster)\n"
          "[ERROR product-uuid] cp1, w1: same product_uuid same-uuid (must be unique in a cluster)\n");
  }
  SECTION("an unreadable or missing product_uuid is not compared") {
    auto a = vagrant_vm("cp1", "08:00:27:00:00:11", "192.168.56.10", "NA");
    auto b = vagrant_vm("w1", "08:00:27:00:00:12", "192.168.56.11", "NA");
    b.erase("ansible_product_uuid");
    CHECK(preflight_findings({{"cp1", &a, &ip1}, {"w1", &b, &ip2}}).empty());
  }
}

TEST_CASE("per-host findings: warnings go after errors and do not count as errors") {
  const Value::Object vars{
      {"preflight_findings",
       Value::Array{Value::Object{{"check", "hostname"}, {"message", "hostname \"w1\" could not be reached"}},
                    Value::Object{{"check", "memory"}, {"message", "1024 MB of memory (needs 2 GiB on a worker)"}},
                    Value::Object{{"check", "invented"}, {"message", "an edited playbook's own check"}}}}};
  const auto s = summarize(preflight_findings({{"w1", nullptr, &vars}}));
  CHECK(s.errors == 2);
  CHECK(s.warnings == 1);
  REQUIRE(s.lines.size() == 3);
  CHECK(s.lines[0] == "[ERROR Mem] w1: 1024 MB of memory (needs 2 GiB on a worker)");
  CHECK(s.lines[1] == "[ERROR invented] w1: an edited playbook's own check");
  CHECK(s.lines[2] == "[WARNING Hostname] w1: hostname \"w1\" could not be reached");
}

TEST_CASE("Ready progress: how many, and why the others wait") {
  const auto nodes = parse_node_readiness(
      "cp1\tTrue\tKubeletReady\tkubelet is posting ready status\n"
      "worker01\tFalse\tKubeletNotReady\tcontainer runtime is down\n"
      "worker02\tUnknown\tNodeStatusUnknown\tKubelet stopped posting node status.\n");
  REQUIRE(nodes.size() == 3);
  CHECK(nodes[1].message == "container runtime is down");
  const auto p = readiness_progress({"cp1", "worker01", "worker02", "worker03"}, nodes);
  CHECK(p.ready == 1);
  CHECK_FALSE(p.done());
  CHECK(p.line ==
        "1/4 nodes Ready; waiting for worker01: NotReady, container runtime is down; worker02: NotReady, Kubelet "
        "stopped posting node status.; worker03: not registered yet");
  const auto all = readiness_progress({"cp1"}, nodes);
  CHECK(all.done());
  CHECK(all.line == "1/1 nodes Ready");
  CHECK(parse_node_readiness("").empty());
}

// The cluster's settings are checked before any host is contacted, and a
// bad one is named with the place it was set (issue 10: `-e
// kubernetes_version=banana` used to prepare every host, then fail).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/orchestrator/cluster.h"

using namespace fleetk8s;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kPlaybooks = std::string(FLEETK8S_SOURCE_DIR) + "/playbooks";
const std::string kDefaults = kPlaybooks + "/vars/defaults.yml";

const char* kInventory =
    "[control_plane]\n"
    "cp1 ansible_host=192.168.56.10\n"
    "[workers]\n"
    "w1 ansible_host=192.168.56.11\n"
    "w2 node_ip=192.168.56.12\n";

struct Cluster {
  inventory::Inventory inv;
  orchestrator::ClusterRoles roles;
};

Cluster cluster(const std::string& text = kInventory) {
  auto inv = inventory::Inventory::parse_ini(text, "inv.ini");
  REQUIRE(inv.ok());
  auto roles = orchestrator::cluster_roles(*inv);
  REQUIRE(roles.ok());
  return {std::move(*inv), std::move(*roles)};
}

// The settings with `extra` as -e NAME=VALUE (strings, as the command line gives them).
Result<Value::Object> settings(const Value::Object& extra, const std::string& text = kInventory) {
  Cluster c = cluster(text);
  return orchestrator::cluster_settings(kPlaybooks, c.inv, c.roles, extra);
}

std::string error_of(const Value::Object& extra, const std::string& text = kInventory) {
  auto r = settings(extra, text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kInvalidInput);
  CHECK(r.error().message().find('\n') == std::string::npos);  // one line
  return r.error().message();
}

}  // namespace

TEST_CASE("the shipped defaults pass") {
  auto r = settings({});
  REQUIRE(r.ok());
  CHECK((*r)["kubernetes_version"].as_string() == "1.33");
}

TEST_CASE("issue 10: kubernetes_version=banana is refused before anything runs, naming -e") {
  CHECK(error_of({{"kubernetes_version", Value("banana")}}) ==
        "-e: kubernetes_version is \"banana\": expected a Kubernetes version from 1.24 to 1.35, "
        "a minor (\"1.33\") or a release (\"1.33.5\")");
}

TEST_CASE("a bad value from the inventory names its file and line") {
  const std::string text = std::string(kInventory) + "[all:vars]\nfirewall_mode=off\nkubernetes_version=\"1.30\"\n";
  CHECK_THAT(error_of({}, text), StartsWith("inv.ini:7: firewall_mode is \"off\": expected \"disabled\""));
  // Unquoted in INI, 1.30 is the number 1.3.
  const std::string number = std::string(kInventory) + "[all:vars]\nkubernetes_version=1.30\n";
  CHECK_THAT(error_of({}, number), StartsWith("inv.ini:7: kubernetes_version is 1.3: expected"));
  CHECK_THAT(error_of({}, number), Contains("in quotes"));
}

TEST_CASE("a bad value of the defaults file names it") {
  const std::string text = std::string(kInventory) + "[all:vars]\npod_network_cidr=10.96.0.0/16\n";
  // The admin's pod network overlaps the default service network: the admin's is named.
  CHECK_THAT(error_of({}, text), StartsWith("inv.ini:7: pod_network_cidr is \"10.96.0.0/16\": expected a network "
                                            "apart from service_cidr \"10.96.0.0/12\" (" + kDefaults + ":"));
}

TEST_CASE("each setting's bad values, with what was expected") {
  const std::vector<std::tuple<const char*, const char*, const char*>> cases = {
      {"kubernetes_version", "v1.33", "without the leading v"},
      {"kubernetes_version", "1.23", "from 1.24 to 1.35"},
      {"kubernetes_version", "1.36", "from 1.24 to 1.35"},
      {"kubernetes_version", "1.33.x", "a release (\"1.33.5\")"},
      {"kubernetes_version", "", "a Kubernetes version"},
      {"kubernetes_repo_url", "https://mirror.example/v{minor}/rpm", "ending in /"},
      {"kubernetes_repo_url", "ftp://mirror.example/", "http(s)://"},
      {"crio_repo_url", "https://mirror.example/$(reboot)/", "without spaces or shell characters"},
      {"crio_repo_url", "https://mirror.example/a;b/", "shell characters"},
      {"cni_manifest", "https://example.com/calico.yaml; rm -rf /", "without spaces"},
      {"cni_manifest", "no-such-manifest.yaml", "no such file"},
      {"pod_network_cidr", "10.244.0.0", "CIDR form"},
      {"pod_network_cidr", "10.244.0.1/16", "host bits"},
      {"pod_network_cidr", "10.244.0.0/33", "CIDR form"},
      {"pod_network_cidr", "10.244.0.0/26", "/24 or larger"},
      {"service_cidr", "10.0.0.0/8", "/12 or smaller"},
      {"service_cidr", "10.244.0.0/20", "apart from pod_network_cidr"},
      {"service_cidr", "192.168.56.0/24", "node address 192.168.56.10 (inv.ini:2: ansible_host of cp1)"},
      {"os_update", "maybe", "a boolean"},
      {"os_update", "y", "a boolean"},  // the bool filter reads "y" as false
      {"firewall_mode", "off", "\"disabled\""},
      {"control_plane_endpoint", "https://lb.example.com:6443", "without a scheme"},
      {"control_plane_endpoint", "lb.example.com:99999", "a port from 1 to 65535"},
      {"control_plane_endpoint", "lb example", "HOST:PORT"},
      {"control_plane_endpoint", "[not-an-ip]:6443", "HOST:PORT"},
      {"cluster_name", "a/b", "letters, digits"},
      {"cluster_name", "", "letters, digits"},
      {"kubeadm_extra_config", "kind: [oops", "YAML documents"},
      {"kubeadm_extra_config", "foo: bar", "has no apiVersion or kind"},
      {"node_ip", "10.0.0.1", "only per host"},
      {"join_parallel", "0", "a number of nodes from 1 to 1000"},
      {"join_parallel", "1001", "a number of nodes from 1 to 1000"},
      {"join_parallel", "5; reboot", "a number of nodes from 1 to 1000"},
      {"join_parallel", "{{ 5 }}", "a number of nodes from 1 to 1000"},
      {"cert_renew_days", "0", "a number of days from 1 to 3650"},
  };
  for (const auto& [name, value, expected] : cases) {
    INFO(name << "=" << value);
    const std::string m = error_of({{name, Value(value)}});
    CHECK_THAT(m, StartsWith(std::string("-e: ") + name));
    CHECK_THAT(m, Contains(expected));
  }
  CHECK_THAT(error_of({{"os_update", Value(Value::Object{})}}), Contains("a boolean"));
  CHECK_THAT(error_of({{"kubeadm_extra_config", Value(Value::Object{{"kind", Value("x")}})}}),
             Contains("a string of YAML documents"));
}

TEST_CASE("good values pass") {
  const std::vector<std::pair<const char*, Value>> cases = {
      {"kubernetes_version", Value("1.24")},
      {"kubernetes_version", Value("1.34")},
      {"kubernetes_version", Value("1.33.5")},
      {"kubernetes_repo_url", Value("https://mirror.example:8443/k8s/v{minor}/rpm/")},
      {"crio_repo_url", Value("file:///srv/repos/cri-o/")},
      {"cni_manifest", Value("https://raw.githubusercontent.com/projectcalico/calico/v3.30.3/manifests/calico.yaml")},
      {"cni_manifest", Value("/etc/hostname")},
      {"pod_network_cidr", Value("172.16.0.0/16")},
      {"service_cidr", Value("fd00:10:96::/112")},
      {"os_update", Value(true)},
      {"os_update", Value("yes")},
      {"os_update", Value("False")},
      {"os_update", Value(0)},
      {"firewall_mode", Value("trusted")},
      {"control_plane_endpoint", Value("")},
      {"control_plane_endpoint", Value("lb.example.com")},
      {"control_plane_endpoint", Value("lb.example.com:6443")},
      {"control_plane_endpoint", Value("10.0.0.5:6443")},
      {"control_plane_endpoint", Value("[fd00::1]:6443")},
      {"cluster_name", Value("prod-eu_1.k8s")},
      {"join_parallel", Value(1)},
      {"join_parallel", Value("1000")},
      {"kubeadm_extra_config", Value("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                                     "maxPods: 150\n---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\n"
                                     "kind: KubeProxyConfiguration\nmode: ipvs\n")},
  };
  for (const auto& [name, value] : cases) {
    INFO(name << "=" << value.to_json());
    auto r = settings({{name, value}});
    CHECK(r.ok());
    if (!r.ok()) WARN(r.error().message());
  }
}

TEST_CASE("a manifest file relative to the working directory comes back absolute") {
  const auto dir = std::filesystem::temp_directory_path() / "fleetk8s-cni-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "cni.yaml") << "kind: List\n";
  const auto before = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  auto r = settings({{"cni_manifest", Value("cni.yaml")}});
  std::filesystem::current_path(before);
  std::filesystem::remove_all(dir);
  REQUIRE(r.ok());
  CHECK((*r)["cni_manifest"].as_string() == (dir / "cni.yaml").string());
}

TEST_CASE("node_ip of each host: an address of its own, outside the cluster's networks") {
  CHECK_THAT(error_of({}, std::string(kInventory) + "w3 node_ip=banana\n"),
             StartsWith("inv.ini:6: node_ip of w3 is \"banana\": expected an IPv4 or IPv6 address"));
  CHECK_THAT(error_of({}, std::string(kInventory) + "w3 node_ip=192.168.56.12\n"),
             Contains("expected an address of its own (w2 has it too)"));
  // The default network is not the mistake: the node's address is named.
  CHECK_THAT(error_of({}, std::string(kInventory) + "w3 node_ip=10.244.3.4\n"),
             StartsWith("inv.ini:6: node_ip of w3 is 10.244.3.4, inside pod_network_cidr (" + kDefaults + ":"));
}

TEST_CASE("a host in both control_plane and workers is an error naming both places") {
  auto inv = inventory::Inventory::parse_ini(
      "[control_plane]\ncp1\n[workers]\nw1\ncp1\n", "inv.ini");
  REQUIRE(inv.ok());
  auto roles = orchestrator::cluster_roles(*inv);
  REQUIRE_FALSE(roles.ok());
  CHECK(roles.error().message() ==
        "cp1 is in both control_plane (inv.ini:2) and workers (inv.ini:5): expected each host in one of them "
        "(a control plane is not also a worker)");
}

TEST_CASE("through a child group, the child is named") {
  auto inv = inventory::Inventory::parse_ini(
      "[control_plane]\ncp1\n[gpu]\ncp1\n[workers:children]\ngpu\n", "inv.ini");
  REQUIRE(inv.ok());
  auto roles = orchestrator::cluster_roles(*inv);
  REQUIRE_FALSE(roles.ok());
  CHECK_THAT(roles.error().message(), Contains("cp1 is in both control_plane (inv.ini:2) and workers (inv.ini:4, group gpu)"));
}

TEST_CASE("kubespray's kube_node may list the control planes: they stay control planes") {
  auto inv = inventory::Inventory::parse_ini(
      "[kube_control_plane]\ncp1\n[kube_node]\ncp1\nw1\n", "inv.ini");
  REQUIRE(inv.ok());
  auto roles = orchestrator::cluster_roles(*inv);
  REQUIRE(roles.ok());
  CHECK(roles->workers == std::vector<std::string>{"w1"});
}

TEST_CASE("fleetk8s_state=absent leaves a host out of the roles; another value is an error with its file:line") {
  auto inv = inventory::Inventory::parse_ini(
      "[control_plane]\ncp1\ncp2 fleetk8s_state=absent\n[workers]\nw1 fleetk8s_state=present\nw2 fleetk8s_state=absent\nw3\n",
      "inv.ini");
  REQUIRE(inv.ok());
  auto roles = orchestrator::cluster_roles(*inv);
  REQUIRE(roles.ok());
  CHECK(roles->control_planes == std::vector<std::string>{"cp1"});
  CHECK(roles->workers == std::vector<std::string>{"w1", "w3"});
  CHECK(roles->absent == std::vector<std::string>{"cp2", "w2"});

  auto bad = inventory::Inventory::parse_ini("[control_plane]\ncp1\n[workers]\nw1 fleetk8s_state=gone\n", "inv.ini");
  REQUIRE(bad.ok());
  auto refused = orchestrator::cluster_roles(*bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "inv.ini:4: w1: fleetk8s_state is \"gone\": expected present or absent");

  auto none = inventory::Inventory::parse_ini("[control_plane]\ncp1 fleetk8s_state=absent\n[workers]\nw1\n", "inv.ini");
  REQUIRE(none.ok());
  auto empty = orchestrator::cluster_roles(*none);
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.error().message(), Contains("every control plane of the inventory is marked fleetk8s_state=absent"));
}

TEST_CASE("an -e name a typo away from a setting is an error, other names are the playbooks'") {
  CHECK(error_of({{"kubernets_version", Value("1.30")}}) ==
        "-e: kubernets_version is no cluster setting: expected kubernetes_version (a name of defaults.yml)?");
  CHECK(settings({{"my_playbook_var", Value("x")}}).ok());
}

TEST_CASE("a host the inventory gives another value than the first control plane's is an error") {
  const std::string text = std::string(kInventory) + "[workers:vars]\nkubernetes_version=\"1.30\"\n";
  CHECK(error_of({}, text) ==
        "inv.ini:7: kubernetes_version of w1 is \"1.30\", of cp1 \"1.33\" (" + kDefaults +
            ":10): expected one value for the whole cluster (set it under [all:vars], or with -e)");
  // -e sets it for every host alike.
  CHECK(settings({{"kubernetes_version", Value("1.31")}}, text).ok());
  // Set for the control planes only, it is the cluster's (inventories/example.ini does so).
  CHECK(settings({}, std::string(kInventory) + "[control_plane:vars]\ncontrol_plane_endpoint=10.0.0.10:6443\n").ok());
}

TEST_CASE("the API endpoint: one control plane its own address, several the node-local one, else the one given") {
  auto one = settings({});
  REQUIRE(one.ok());
  CHECK((*one)["api_endpoint"].to_display().empty());
  CHECK_FALSE((*one)["node_local_api"].as_bool());
  CHECK((*one)["api_servers"].as_array().size() == 1);

  const std::string ha =
      "[control_plane]\n"
      "cp1 ansible_host=192.168.56.10\n"
      "cp2 ansible_host=cp2.example.com node_ip=192.168.56.21\n"
      "cp3 ansible_host=cp3.example.com\n"
      "cp4\n"
      "[workers]\n"
      "w1 ansible_host=192.168.56.11\n";
  auto three = settings({}, ha);
  REQUIRE(three.ok());
  CHECK((*three)["api_endpoint"].to_display() == "127.0.0.1:7443");
  CHECK((*three)["node_local_api"].as_bool());
  const auto& servers = (*three)["api_servers"].as_array();
  REQUIRE(servers.size() == 4);
  auto server = [&](size_t i) {
    return servers[i].as_object().at("name").to_display() + " " + servers[i].as_object().at("address").to_display();
  };
  CHECK(server(0) == "cp1 192.168.56.10");
  CHECK(server(1) == "cp2 192.168.56.21");  // node_ip first, as the advertise address
  CHECK(server(2) == "cp3 cp3.example.com");
  CHECK(server(3) == "cp4 cp4");

  auto given = settings({{"control_plane_endpoint", Value("lb.example.com:6443")}}, ha);
  REQUIRE(given.ok());
  CHECK((*given)["api_endpoint"].to_display() == "lb.example.com:6443");
  CHECK_FALSE((*given)["node_local_api"].as_bool());
}

TEST_CASE("hostile: a control plane's address never rides into haproxy.cfg as more than one word", "[hostile]") {
  for (const std::string bad : {"'cp2 backup\\n    server evil 10.0.0.66'", "'$(id)'", "-cp2", "'a b'", "'cp2:6443'"}) {
    const std::string inv = "[control_plane]\ncp1 ansible_host=192.168.56.10\ncp2 ansible_host=" + bad + "\n";
    const std::string e = error_of({}, inv);
    CHECK_THAT(e, StartsWith("inv.ini:3: ansible_host of cp2 is \""));
    CHECK_THAT(e, Contains("expected an IP address or a DNS name for the node-local API endpoint"));
  }
  // -e cannot set what fleetk8s works out itself
  CHECK_THAT(error_of({{"api_endpoint", Value("127.0.0.1:1")}}), Contains("api_endpoint"));
}

TEST_CASE("hostile: a control plane's name is one word of haproxy.cfg too", "[hostile]") {
  const std::string e = error_of({}, "[control_plane]\ncp1 ansible_host=192.168.56.10\ncp2;id ansible_host=192.168.56.11\n");
  CHECK_THAT(e, Contains("the control plane \"cp2;id\": expected a host name of letters, digits"));
}

#include <catch2/catch.hpp>

#include "fleetk8s/modules/module.h"
#include "module_test_util.h"

using namespace fleetk8s;
using namespace fleetk8s::modules;
using modules::testing::args;
using modules::testing::error;
using modules::testing::script;

TEST_CASE("OS modules reject bad arguments with the module's name") {
  CHECK(error("sysctl", args({{"value", "1"}})) == "sysctl: name is required");
  CHECK_THAT(error("sysctl", args({{"name", "a"}, {"value", "1"}, {"state", "on"}})), Catch::Contains("state must be one of"));
  CHECK_THAT(error("modprobe", args({{"name", "x"}, {"persistent", "yes"}})), Catch::Contains("persistent must be one of"));
  CHECK_THAT(error("systemd", args({{"name", "crio"}, {"state", "running"}})), Catch::Contains("state must be one of"));
  CHECK(error("dnf", args({{"state", "present"}})) == "dnf: name is required");
  CHECK_THAT(error("yum_repository", args({{"name", "k"}, {"description", "K"}})), Catch::Contains("baseurl"));
  CHECK_THAT(error("selinux", args({{"state", "off"}})), Catch::Contains("state must be one of"));
}

TEST_CASE("check mode scripts never run the changing command") {
  RunMode check{true, false};
  CHECK(script("dnf", args({{"name", Value::Array{"kubelet", "kubeadm"}}}), check).find("dnf install") == std::string::npos);
  CHECK(script("systemd", args({{"name", "crio"}, {"state", "started"}, {"enabled", true}}), check).find("systemctl start") ==
        std::string::npos);
  CHECK(script("modprobe", args({{"name", "br_netfilter"}}), check).find("modprobe \"$fk_m\"") == std::string::npos);
  CHECK(script("sysctl", args({{"name", "net.ipv4.ip_forward"}, {"value", "1"}, {"sysctl_set", true}}), check)
            .find("sysctl -w") == std::string::npos);
  CHECK(script("selinux", args({{"state", "permissive"}}), check).find("setenforce") == std::string::npos);
}

TEST_CASE("dnf splits names and passes options") {
  auto s = script("dnf", args({{"name", "kubelet-1.30.*, kubeadm"}, {"disable_excludes", "kubernetes"}}));
  CHECK_THAT(s, Catch::Contains("--disableexcludes='kubernetes'"));
  CHECK_THAT(s, Catch::Contains("rpm -q --qf '%{NAME}-%{VERSION}-%{RELEASE}\\n' -- 'kubelet'"));
  CHECK_THAT(s, Catch::Contains("rpm -q -- 'kubeadm'"));
}

TEST_CASE("yum_repository writes the section as Ansible does") {
  auto s = script("yum_repository", args({{"name", "kubernetes"},
                                          {"description", "Kubernetes"},
                                          {"baseurl", "https://pkgs.k8s.io/core:/stable:/v1.30/rpm/"},
                                          {"gpgcheck", true},
                                          {"exclude", Value::Array{"kubelet", "kubeadm"}}}));
  CHECK_THAT(s, Catch::Contains("FK_BLOCK='[kubernetes]\nbaseurl = https://pkgs.k8s.io/core:/stable:/v1.30/rpm/\n"
                                "exclude = kubelet kubeadm\ngpgcheck = 1\nname = Kubernetes\n\n'"));
}

// What the cluster commands read from hosts' output: kubeadm certs
// check-expiration's tables, etcdctl's member list and endpoint health,
// kubectl drain's dry run, package versions. A host is not trusted to
// print what the tools print: whatever it prints must not crash or
// overflow the controller. The first byte picks the reader.
#include <algorithm>
#include <chrono>
#include <string>

#include "drain.h"
#include "etcd.h"
#include "fleetk8s/cluster/cert_expiry.h"
#include "fleetk8s/cluster/versions.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(fleetk8s_fuzz::text(data + 1, size - 1));
  using namespace fleetk8s::cluster;
  switch (data[0] % 4) {
    case 0:
      for (const auto& row : parse_check_expiration(text)) (void)days_left(row, std::chrono::system_clock::now());
      break;
    case 1:
      (void)phases::parse_etcd_members(text);
      break;
    case 2:
      (void)phases::parse_drain_blockers(text);
      break;
    default: {
      // "WANTED\nhost1 VERSION\nhost2 VERSION...": the kubelet versions the hosts said.
      const size_t nl = text.find('\n');
      std::vector<std::pair<std::string, std::string>> installed;
      size_t at = nl == std::string::npos ? text.size() : nl + 1;
      while (at < text.size()) {
        const size_t end = std::min(text.find('\n', at), text.size());
        const std::string line = text.substr(at, end - at);
        const size_t sp = line.find(' ');
        installed.emplace_back(line.substr(0, sp), sp == std::string::npos ? "" : line.substr(sp + 1));
        at = end + 1;
      }
      (void)compare_versions(text.substr(0, nl), installed);
      if (auto v = KubeVersion::parse(text.substr(0, nl))) (void)v->str();
    }
  }
  return 0;
}

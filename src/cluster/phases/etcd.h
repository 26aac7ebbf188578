// etcd as the phases see it: its members and their health, asked inside a
// control plane's etcd static pod (ETCDCTL_IN_POD), and removing one.
// Private to src/cluster.
#pragma once

#include <string>
#include <vector>

#include "phases.h"

namespace fleetk8s::cluster::phases {

struct EtcdMember {
  std::string id_hex;      // as etcdctl's table and `member remove` take it
  std::string name;        // the node's name (kubeadm's); "" for a member not started yet
  std::string client_url;  // https://ADDR:2379
  bool healthy = false;    // endpoint health --cluster
  std::string error;       // why not healthy
};

// etcdctl's `member list -w json`, a line "---", then `endpoint health
// --cluster -w json` (what etcd_members() runs), as members. Pure.
std::vector<EtcdMember> parse_etcd_members(const std::string& out);

// The members and their health, asked on `cp`. Errors: unreachable, no
// etcd container, etcdctl failed (its words; one line).
ssh::Task<Result<std::vector<EtcdMember>>> etcd_members(ClusterRun& run, const std::string& cp);

// `etcdctl member remove ID` on `cp` (etcd refuses what would break its
// quorum: its words in the error).
ssh::Task<Result<void>> remove_etcd_member(ClusterRun& run, const std::string& cp, const std::string& id_hex);

}  // namespace fleetk8s::cluster::phases

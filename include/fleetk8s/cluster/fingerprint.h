// What lets `fleetk8s watch` skip the full check of a host that did not
// change: a fingerprint of everything on the host the cluster's check reads
// and that can drift, taken by one fixed script (one SSH round-trip, a few
// program starts) at the start of every cycle.
//
// The fingerprint covers:
// - the files the check reads (fstab, modules-load.d, sysctl.d, the
//   repositories, CRI-O's and the kubelet's configuration, /etc/kubernetes,
//   unit enablement under /etc/systemd/system, firewalld's configuration,
//   the rpm database): each one's ctime, size and path, so an edit in
//   place, a new or removed file, `cp -p` or `touch -d` all change it
//   (ctime cannot be set from user space);
// - the units' runtime state (crio, kubelet, firewalld, haproxy);
// - the kernel's: swap in use, the bridge and forwarding sysctls, the
//   host name, the modules loaded, SELinux's mode.
// What it does not cover (the prerequisites' free space and memory,
// updates a repository offers, certificates crossing a threshold in days)
// is seen by the full check a host gets at least every `full_every`.
//
// Pure functions; no I/O.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::cluster {

// The probe: fixed text (no value of any kind reaches it), run as root;
// what it prints is what the fingerprint is made of.
std::string_view fingerprint_script();

// The fingerprint of the probe's output, hashed here so the host starts no
// hashing program: FNV-1a (64 bits) and the length. A change detector, not
// a defence (root on a host can hide anything from any agentless check).
std::string fingerprint_of(std::string_view probe_output);

// A host's fingerprint when its last full check found nothing (no drift,
// no failure), and when that probe ran.
struct Baseline {
  std::string fingerprint;
  std::chrono::steady_clock::time_point taken{};
};

// The hosts a cycle checks in full, in the order of `hosts`: those whose
// probe failed (no entry or nullopt in `probed`), those without a baseline
// (new, back, drifted or failed last time), whose fingerprint differs from
// their baseline, or whose baseline is `full_every` old or older.
std::vector<std::string> hosts_to_check(const std::vector<std::string>& hosts,
                                        const std::map<std::string, std::optional<std::string>>& probed,
                                        const std::map<std::string, Baseline>& baselines,
                                        std::chrono::steady_clock::time_point now,
                                        std::chrono::milliseconds full_every);

// The hosts of `checked` a full check found something on: a task that
// would change or failed, or a problem that names it ("cp1: ..."). They
// keep no baseline: they are checked in full until they are clean.
std::set<std::string> hosts_with_findings(const std::vector<std::string>& checked,
                                          const std::vector<std::pair<std::string, std::string>>& changes,
                                          const std::map<std::string, std::string>& failed,
                                          const std::vector<std::string>& problems);

}  // namespace fleetk8s::cluster
